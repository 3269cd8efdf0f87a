"""The registry of the role work page (工作台) — DESIGN.md "Work pages".

Each capability contributes cards in its own `workcards.py` (found by `CoreConfig.ready`, like the
`audit_labels` modules), the way Wagtail apps add dashboard panels: the page itself knows no capability.
A card says who sees it (`roles`: a permission name asked with `user.has_perm`, or a predicate of the
user), what it counts (`count(user)`: only what the person may act on, with a constant number of
queries; `None` hides the card for that person), where it leads (`url`) and where it sits (`section`,
`order`). A card without a count is a shortcut.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

TODO = "todo"  # 待办: what waits for the person (drafts, returns, reviews, arrears, corrections)
KEEP = "keep"  # 我负责的: what the person keeps (a roster, branches, units)
SHORTCUT = "shortcut"  # 常用功能: links without a count

SECTIONS: dict[str, str] = {TODO: "待办事项", KEEP: "我负责的", SHORTCUT: "常用功能"}

Roles = str | Callable[[Any], bool]
Url = str | Callable[[Any], str]


@dataclass(frozen=True)
class WorkCard:
    key: str  # "news.review_queue": unique, prefixed by the app that registers it
    title: str
    icon: str  # a Bootstrap Icons name without "bi-"
    url: Url  # a URL name (reversed without arguments) or a function of the user returning a path
    roles: Roles
    count: Callable[[Any], int | None] | None = None
    order: int = 100
    section: str = TODO
    query: str = ""  # appended to a reversed URL name: "?status=draft"
    unit: str = ""  # shown after the number: "篇"
    hint: str = ""  # one line under the title
    note: Callable[[Any], str] | None = None  # a further line computed for the person ("合计 ¥45.68")

    def applies_to(self, user: Any) -> bool:
        if isinstance(self.roles, str):
            return bool(user.has_perm(self.roles))
        return bool(self.roles(user))

    def url_for(self, user: Any) -> str:
        if callable(self.url):
            return self.url(user)
        return reverse(self.url) + self.query


@dataclass(frozen=True)
class ShownCard:
    """A card as one person sees it."""

    card: WorkCard
    url: str
    count: int | None
    note: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.card.section == TODO and bool(self.count)


@dataclass
class WorkPage:
    sections: list[tuple[str, str, list[ShownCard]]] = field(default_factory=list)

    def section(self, key: str) -> list[ShownCard]:
        return next((cards for k, _, cards in self.sections if k == key), [])

    def card(self, key: str) -> ShownCard | None:
        return next((c for _, _, cards in self.sections for c in cards if c.card.key == key), None)

    @property
    def attention_total(self) -> int:
        """How many cards wait for the person (not the sum of their numbers: months, messages and
        members are not one unit)."""
        return sum(1 for _, _, cards in self.sections for c in cards if c.needs_attention)


_CARDS: dict[str, WorkCard] = {}


def register_card(
    *,
    key: str,
    title: str,
    icon: str,
    url: Url,
    roles: Roles,
    count: Callable[[Any], int | None] | None = None,
    order: int = 100,
    section: str | None = None,
    query: str = "",
    unit: str = "",
    hint: str = "",
    note: Callable[[Any], str] | None = None,
) -> WorkCard:
    """Add a card to every work page. A card with a count sits in 待办 unless told otherwise; one
    without a count is a shortcut. Registering a key twice is a programming error."""
    section = section or (TODO if count is not None else SHORTCUT)
    if section not in SECTIONS:
        raise ValueError(f"unknown work-page section {section!r}")
    if section != SHORTCUT and count is None:
        raise ValueError(f"card {key!r} in section {section!r} needs a count")
    if key in _CARDS:
        raise ValueError(f"work card {key!r} is registered twice")
    card = WorkCard(
        key=key,
        title=title,
        icon=icon,
        url=url,
        roles=roles,
        count=count,
        order=order,
        section=section,
        query=query,
        unit=unit,
        hint=hint,
        note=note,
    )
    _CARDS[key] = card
    return card


def unregister_card(key: str) -> None:
    """Remove a card (tests that register their own)."""
    _CARDS.pop(key, None)


def registered_cards() -> list[WorkCard]:
    order = list(SECTIONS)
    return sorted(_CARDS.values(), key=lambda c: (order.index(c.section), c.order, c.key))


def work_page_for(user: Any) -> WorkPage:
    """The cards `user` sees, counted for them, grouped by section (empty sections left out)."""
    grouped: dict[str, list[ShownCard]] = {key: [] for key in SECTIONS}
    for card in registered_cards():
        if not card.applies_to(user):
            continue
        count = None
        if card.count is not None:
            count = card.count(user)
            if count is None:
                continue
        note = card.note(user) if card.note is not None else ""
        grouped[card.section].append(ShownCard(card=card, url=card.url_for(user), count=count, note=note))
    return WorkPage([(key, SECTIONS[key], grouped[key]) for key in SECTIONS if grouped[key]])


def remembered(user: Any, key: str, compute: Callable[[], Any]) -> Any:
    """Compute something once per user object (one request): for cards of one app sharing a query."""
    memo: dict[str, Any] = user.__dict__.setdefault("_workcard_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]
