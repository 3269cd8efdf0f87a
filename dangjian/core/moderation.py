"""Screening of what people post (forum, feedback…) against the HQ-edited sensitive-word lists.

`screen_text(text)` uses the newest published `WordListVersion`; before HQ publishes one, the built-in lists
below (version 0) apply. The engine of a version is built once per process and reused
(`sensitive_words.engine_for`), so screening costs one small query and a pass of the automaton.
HQ edits the lists on one page (`publish_word_lists`): each save is a new version, never an edit in place, and
a save based on an older version than the newest is refused, so two editors cannot overwrite each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from dangjian.core.audit import record_event
from dangjian.core.sensitive_words import Action, Engine, Screening, WordList, engine_for
from dangjian.core.word_list_models import WordKind, WordListEntry, WordListVersion

BUILT_IN: dict[str, tuple[str, ...]] = {
    WordKind.BLOCK: ("法轮功", "全能神", "代开发票", "六合彩", "网络赌博", "枪支出售", "办假证", "刷单返利"),
    WordKind.HOLD: ("代办证件", "贷款无抵押", "加微信领", "高额返利", "兼职刷单", "私彩"),
    WordKind.REPLACE: ("傻逼", "脑残", "他妈的", "王八蛋", "滚蛋"),
    WordKind.ALLOW: ("中国共产党", "共产党员", "共产主义", "毛泽东选集", "毛泽东思想"),
}
LIST_NAMES = {WordKind.BLOCK: "禁发词", WordKind.HOLD: "审核词", WordKind.REPLACE: "替换词"}
ACTIONS = {WordKind.BLOCK: Action.BLOCK, WordKind.HOLD: Action.HOLD, WordKind.REPLACE: Action.REPLACE}
MAX_WORD_LENGTH = 50
MAX_WORDS_PER_KIND = 5000
EDIT_PERMISSION = "core.edit_word_lists"


def latest_version() -> WordListVersion | None:
    return WordListVersion.objects.order_by("-number").first()


def current_version() -> int:
    """The number of the lists in force (0 while the built-in lists apply)."""
    latest = WordListVersion.objects.order_by("-number").values_list("number", flat=True).first()
    return latest or 0


def words_of(version: WordListVersion | None) -> dict[str, tuple[str, ...]]:
    """The words of each kind in `version` (the built-in lists for None)."""
    if version is None:
        return dict(BUILT_IN)
    words: dict[str, list[str]] = {kind: [] for kind in WordKind.values}
    for kind, word in version.entries.values_list("kind", "word"):
        words[kind].append(word)
    return {kind: tuple(sorted(found)) for kind, found in words.items()}


def _lists(version: WordListVersion | None) -> Iterator[WordList]:
    words = words_of(version)  # a generator: read only when the engine of this version is built
    yield from (WordList(LIST_NAMES[kind], ACTIONS[kind], words[kind]) for kind in ACTIONS)


def _allowed(version: WordListVersion | None) -> Iterator[str]:
    yield from words_of(version)[WordKind.ALLOW]


def _engine(version: WordListVersion | None) -> Engine:
    # the key tells apart versions of different databases that share a number (test databases)
    key = "built-in" if version is None else f"{version.number}:{version.pk}:{version.created_at.timestamp()}"
    return engine_for(key, _lists(version), _allowed(version))


def screen_text(text: str) -> Screening:
    """Screen `text` with the lists in force: block > hold > replace; `.text` is masked for replace."""
    return _engine(latest_version()).screen(text)


def parse_words(text: str, *, label: str) -> tuple[str, ...]:
    """Words typed one per line (or separated by ，、, ; spaces), trimmed and deduplicated in order."""
    for separator in "，、,;；\t ":
        text = text.replace(separator, "\n")
    words = tuple(dict.fromkeys(word.strip() for word in text.splitlines() if word.strip()))
    too_long = [word for word in words if len(word) > MAX_WORD_LENGTH]
    if too_long:
        raise ValidationError(
            f"{label}中的词语不能超过 {MAX_WORD_LENGTH} 个字：{too_long[0][:20]}…", code="word_too_long"
        )
    if len(words) > MAX_WORDS_PER_KIND:
        raise ValidationError(f"{label}最多 {MAX_WORDS_PER_KIND} 个词", code="too_many_words")
    if any("\x00" in word for word in words):
        raise ValidationError(f"{label}含有无法识别的字符", code="invalid_character")
    return words


def publish_word_lists(
    *, actor: Any, words: Mapping[str, Iterable[str]], based_on: int, note: str = ""
) -> WordListVersion:
    """Publish the lists as a new version. `based_on` is the version the editor started from: an older one
    than the newest is refused (someone else saved meanwhile), so no edit is silently lost."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(EDIT_PERMISSION):
        raise PermissionDenied("只有总站管理员可以修改敏感词表")
    cleaned = {kind: tuple(dict.fromkeys(words.get(kind, ()))) for kind in WordKind.values}
    before = words_of(latest_version())
    with transaction.atomic():
        newest = current_version()
        if based_on != newest:
            raise ValidationError(
                "词表已被他人修改（现为第 %(n)s 版），请刷新后重新编辑", code="stale", params={"n": newest}
            )
        if cleaned == {kind: tuple(sorted(before[kind])) for kind in WordKind.values} and newest:
            raise ValidationError("词表没有变化", code="unchanged")
        try:
            with transaction.atomic():
                version = WordListVersion.objects.create(number=newest + 1, note=note[:200], created_by=actor)
        except IntegrityError:
            raise ValidationError("词表已被他人修改，请刷新后重新编辑", code="stale") from None
        WordListEntry.objects.bulk_create(
            WordListEntry(version=version, kind=kind, word=word)
            for kind, found in cleaned.items()
            for word in found
        )
        record_event(
            actor=actor,
            action="core.word_lists_published",
            target=version,
            data={
                "number": version.number,
                **{
                    f"{kind}_added": sorted(set(cleaned[kind]) - set(before[kind]))[:50]
                    for kind in WordKind.values
                },
                **{
                    f"{kind}_removed": sorted(set(before[kind]) - set(cleaned[kind]))[:50]
                    for kind in WordKind.values
                },
            },
        )
    return version


def versions_page() -> list[WordListVersion]:
    """The recent versions with their word counts, newest first (one query)."""
    from django.db.models import Count

    return list(
        WordListVersion.objects.select_related("created_by").annotate(word_count=Count("entries"))[:20]
    )
