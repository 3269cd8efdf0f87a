"""Writes of party-affairs disclosures (DB3212/T 1124 §6.3 党务公开) through the review workflow (§5.5).

Every function is atomic, re-reads the row under a lock, checks the actor's role and the item's state
(`TransitionError` with a Chinese message otherwise), writes the audit log and the item's history, and
notifies people once the transaction commits (`dangjian.core.notifications.notify`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import role_holders
from dangjian.core import cache as page_cache
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.core.richtext import plain_text, sanitize_html
from dangjian.core.search import index_document, remove_document
from dangjian.core.services import save_audited
from dangjian.core.workflow import (
    ReviewAction,
    ReviewStatus,
    TransitionError,
    next_status,
    refuse_self_review,
    require_comment,
)
from dangjian.disclosures.models import EDITABLE_STATUSES, Disclosure, DisclosureEvent

SEARCH_KIND = "党务公开"

WRITER_REFUSAL = "只有本组织所在站点的站点管理员、党务工作者或本组织书记、委员可以进行此操作"
REVIEWER_REFUSAL = "只有本站点的党建指导员可以审核党务公开"
WITHDRAW_REFUSAL = "只有本站点的站点管理员、党务工作者、党建指导员或本组织书记、委员可以撤回"


def _require(actor: Any, permission: str, obj: Any, message: str) -> None:
    if not actor.has_perm(permission, obj):
        raise TransitionError(message, code="forbidden")


def _history(disclosure: Disclosure, *, action: str, actor: Any, comment: str = "") -> None:
    """One line of the item's own history, shown on its review page."""
    DisclosureEvent.objects.create(
        disclosure=disclosure, action=action, actor=actor, comment=comment, at=timezone.now()
    )


def _log(disclosure: Disclosure, *, action: str, actor: Any, comment: str = "", data: Any = None) -> None:
    """The item's history and the platform audit trail, in the caller's transaction."""
    _history(disclosure, action=action, actor=actor, comment=comment)
    record_event(
        actor=actor,
        action=f"disclosures.disclosure.{action}",
        target=disclosure,
        station=disclosure.station,
        data=data or {},
    )


# ---------------------------------------------------------------- drafts


def disclosure_save(
    *, disclosure: Disclosure, actor: Any, before: Mapping[str, Any] | None = None
) -> Disclosure:
    """Create (`before` is None) or edit a draft. Only drafts and returned items may change; the station
    always follows the organisation; the body is sanitised rich text and must say something."""
    if disclosure.organization_id is None:
        raise ValidationError({"organization": "请选择党组织"}, code="required")
    _require(actor, "disclosures.write_for", disclosure.organization, WRITER_REFUSAL)
    disclosure.station_id = disclosure.organization.station_id
    disclosure.body = sanitize_html(disclosure.body)
    if not plain_text(disclosure.body) and "<img" not in disclosure.body:
        raise ValidationError({"body": "请填写公开内容"}, code="required")
    with transaction.atomic():
        if before is None:
            disclosure.author = actor
            disclosure.status = ReviewStatus.DRAFT
        else:
            _check_editable(disclosure, actor)
        saved = save_audited(
            disclosure,
            actor=actor,
            action="disclosures.disclosure.create" if before is None else "disclosures.disclosure.update",
            station=disclosure.station,
            before=before,
        )
        _history(saved, action="create" if before is None else "update", actor=actor)
    return saved


def _check_editable(disclosure: Disclosure, actor: Any) -> None:
    stored = (
        Disclosure.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=disclosure.pk)
    )
    _require(actor, "disclosures.change_disclosure", stored, WRITER_REFUSAL)
    if stored.status not in EDITABLE_STATUSES:
        raise TransitionError(
            f"当前状态为“{stored.get_status_display()}”，不能修改；只有草稿和已退回的内容可以修改",
            code="wrong_state",
        )
    disclosure.status = stored.status


# ---------------------------------------------------------------- transitions


@dataclass(frozen=True)
class Step:
    """How one workflow action applies to a disclosure."""

    action: ReviewAction
    permission: str
    refusal: str
    comment_label: str = ""  # a required comment, e.g. “退回意见”
    reviews: bool = False  # separation of duties: not by the author or submitter
    apply: Callable[[Disclosure, Any, str], None] = lambda d, actor, comment: None
    after: Callable[[Disclosure, Any, str], None] = lambda d, actor, comment: None


def _transition(disclosure: Disclosure, *, actor: Any, comment: str, step: Step) -> Disclosure:
    with transaction.atomic():
        locked = (
            Disclosure.objects.select_for_update(of=("self",))
            .select_related("organization", "station")
            .get(pk=disclosure.pk)
        )
        _require(actor, step.permission, locked, step.refusal)
        target = next_status(locked.status, step.action)
        if step.reviews:
            refuse_self_review(reviewer_id=actor.pk, author_ids={locked.author_id, locked.submitted_by_id})
        comment = require_comment(comment, what=step.comment_label) if step.comment_label else _short(comment)
        source = locked.status
        locked.status = target
        step.apply(locked, actor, comment)
        locked.save()
        _log(
            locked,
            action=step.action.value,
            actor=actor,
            comment=comment,
            data={"from": source, "to": target.value, "comment": comment},
        )
        step.after(locked, actor, comment)
        # the organisation's public index renders afresh once this commits (dangjian/core/cache.py)
        page_cache.bump(page_cache.organization_disclosures(locked.organization_id))
    return locked


def _short(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise TransitionError("说明不能超过 500 字", code="comment_too_long")
    return comment


def _mark_submitted(disclosure: Disclosure, actor: Any, comment: str) -> None:
    disclosure.submitted_by, disclosure.submitted_at = actor, timezone.now()


def _mark_reviewed(disclosure: Disclosure, actor: Any, comment: str) -> None:
    disclosure.reviewed_by, disclosure.reviewed_at = actor, timezone.now()
    disclosure.review_comment = comment


def _mark_published(disclosure: Disclosure, actor: Any, comment: str) -> None:
    _mark_reviewed(disclosure, actor, comment)
    disclosure.published_at = disclosure.reviewed_at


def _mark_withdrawn(disclosure: Disclosure, actor: Any, comment: str) -> None:
    disclosure.withdrawn_by, disclosure.withdrawn_at = actor, timezone.now()
    disclosure.withdrawn_reason = comment


def index_disclosure(disclosure: Disclosure) -> None:
    """Published items are found by search with the same audience as the pages use."""
    index_document(
        disclosure,
        kind=SEARCH_KIND,
        title=disclosure.title,
        body_html_or_text=disclosure.body,
        url=disclosure.get_absolute_url(),
        station_id=disclosure.station_id,
        audience=disclosure.visibility,
        organization_id=disclosure.organization_id,
        shared=False,
        published_at=disclosure.published_at or timezone.now(),
    )


def _tell_instructors(disclosure: Disclosure, actor: Any, comment: str) -> None:
    """§5.5: the instructors assigned at exactly the item's station review it."""
    instructors = role_holders(Role.INSTRUCTOR, station_id=disclosure.station_id).exclude(pk=actor.pk)
    _notify(
        disclosure,
        recipients=list(instructors),
        title=f"党务公开待审核：{disclosure.title}",
        body=comment or f"{disclosure.organization.name} 提交了党务公开，请审核。",
        url=disclosure.get_manage_url(),
    )


def _tell_author(title: str, *, public_url: bool = False) -> Callable[[Disclosure, Any, str], None]:
    def tell(disclosure: Disclosure, actor: Any, comment: str) -> None:
        if disclosure.author_id == actor.pk:
            return
        _notify(
            disclosure,
            recipients=[disclosure.author],
            title=f"{title}：{disclosure.title}",
            body=comment,
            url=disclosure.get_absolute_url() if public_url else disclosure.get_manage_url(),
        )

    return tell


def _notify(disclosure: Disclosure, *, recipients: list[Any], title: str, body: str, url: str) -> None:
    if recipients:
        notify(recipients=recipients, title=title, body=body, url=url, station=disclosure.station)


_tell_published = _tell_author("党务公开已审核发布", public_url=True)


def _published(disclosure: Disclosure, actor: Any, comment: str) -> None:
    index_disclosure(disclosure)
    _tell_published(disclosure, actor, comment)


def _taken_down(notice: str | None) -> Callable[[Disclosure, Any, str], None]:
    tell = _tell_author(notice) if notice else None

    def after(disclosure: Disclosure, actor: Any, comment: str) -> None:
        remove_document(disclosure)
        if tell is not None:
            tell(disclosure, actor, comment)

    return after


SUBMIT = Step(
    ReviewAction.SUBMIT,
    "disclosures.submit_disclosure",
    WRITER_REFUSAL,
    apply=_mark_submitted,
    after=_tell_instructors,
)
APPROVE = Step(
    ReviewAction.APPROVE,
    "disclosures.review_disclosure",
    REVIEWER_REFUSAL,
    reviews=True,
    apply=_mark_published,
    after=_published,
)
RETURN = Step(
    ReviewAction.RETURN,
    "disclosures.review_disclosure",
    REVIEWER_REFUSAL,
    comment_label="退回意见",
    reviews=True,
    apply=_mark_reviewed,
    after=_tell_author("党务公开被退回修改"),
)
WITHDRAW = Step(
    ReviewAction.WITHDRAW,
    "disclosures.withdraw_disclosure",
    WITHDRAW_REFUSAL,
    comment_label="撤回原因",
    apply=_mark_withdrawn,
    after=_taken_down("党务公开已撤回"),
)
ARCHIVE = Step(
    ReviewAction.ARCHIVE, "disclosures.archive_disclosure", WRITER_REFUSAL, after=_taken_down(None)
)


def disclosure_submit(*, disclosure: Disclosure, actor: Any, comment: str = "") -> Disclosure:
    """Draft or returned → submitted; the station's instructors are told (§5.5)."""
    return _transition(disclosure, actor=actor, comment=comment, step=SUBMIT)


def disclosure_approve(*, disclosure: Disclosure, actor: Any, comment: str = "") -> Disclosure:
    """Submitted → published by an instructor of the station who neither wrote nor submitted it;
    indexed for search with the item's audience; the author is told."""
    return _transition(disclosure, actor=actor, comment=comment, step=APPROVE)


def disclosure_return(*, disclosure: Disclosure, actor: Any, comment: str = "") -> Disclosure:
    """Submitted → returned with a required comment; the author is told."""
    return _transition(disclosure, actor=actor, comment=comment, step=RETURN)


def disclosure_withdraw(*, disclosure: Disclosure, actor: Any, comment: str = "") -> Disclosure:
    """Published → withdrawn with a required reason. The record stays (a disclosure once made is not
    erased); pages show the reason instead of the body, and search forgets it."""
    return _transition(disclosure, actor=actor, comment=comment, step=WITHDRAW)


def disclosure_archive(*, disclosure: Disclosure, actor: Any, comment: str = "") -> Disclosure:
    """Published or withdrawn → archived: off the public index and out of search, kept on record."""
    return _transition(disclosure, actor=actor, comment=comment, step=ARCHIVE)


TRANSITIONS: dict[str, Callable[..., Disclosure]] = {
    ReviewAction.SUBMIT.value: disclosure_submit,
    ReviewAction.APPROVE.value: disclosure_approve,
    ReviewAction.RETURN.value: disclosure_return,
    ReviewAction.WITHDRAW.value: disclosure_withdraw,
    ReviewAction.ARCHIVE.value: disclosure_archive,
}
STEPS: dict[str, Step] = {step.action.value: step for step in (SUBMIT, APPROVE, RETURN, WITHDRAW, ARCHIVE)}
