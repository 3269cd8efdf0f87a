"""Writes of demonstration and leadership (示范引领, §9).

Every service authorises with `require_perm` (PermissionDenied otherwise), validates (a Chinese
`ValidationError` with its code), locks the row it moves (`select_for_update(of=("self",))`), guards the
state along `models.TRANSITIONS` (`TransitionError`, code `wrong_state`, as the shared workflow), keeps
§5.5 separation of duties (`self_review`), records an audit event and the nomination's history, and
notifies on commit. An award bumps the honour roll's page-cache scope.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import role_holders
from dangjian.core import cache as page_cache
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.core.richtext import plain_text
from dangjian.core.services import refusal, require_perm, save_audited
from dangjian.core.uploads import FileKind, check_upload, stored_name
from dangjian.core.workflow import (
    ReviewAction,
    TransitionError,
    refuse_self_review,
    require_comment,
)
from dangjian.honors import selectors
from dangjian.honors.models import (
    ACTION_LABELS,
    AWARD,
    REJECT,
    TRANSITIONS,
    DemonstrationEvent,
    HonorKind,
    Nomination,
    NominationEvent,
    NominationStatus,
    PublicityRecord,
)
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station

ROLL = "honors:roll"  # page-cache scope of the public honour roll: the awarded honours
DEEDS_MAX = 5000
ATTACHMENT_KINDS = (FileKind.PDF, FileKind.DOCX, FileKind.IMAGE)
CLIPPING_KINDS = (FileKind.PDF, FileKind.IMAGE)
EARLIEST_YEAR = 2000
DUPLICATE_MESSAGE = "该对象本年度已有同类荣誉的推荐，同一对象每年每类荣誉只能推荐一次"


# ---------------------------------------------------------------- nominations


@dataclass(frozen=True)
class NominationInput:
    kind: str
    year: int
    deeds: str
    nominee: Any = None  # a User for 优秀共产党员 / 优秀党务工作者; None for 先进基层党组织
    attachment: UploadedFile | None = None


def _storage_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def _check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= timezone.localdate().year:
        raise refusal(f"年度应在 {EARLIEST_YEAR} 年至今年之间", "year", "year")


def _clean_deeds(deeds: str) -> str:
    text = plain_text(deeds or "")
    if not text:
        raise refusal("请填写主要事迹", "required", "deeds")
    if len(text) > DEEDS_MAX:
        raise refusal(f"主要事迹不能超过 {DEEDS_MAX} 字", "too_long", "deeds")
    return text


def _nominee_name(organization: PartyOrganization, data: NominationInput) -> str:
    if data.kind == HonorKind.ORGANIZATION:
        if data.nominee is not None:
            raise refusal("先进基层党组织推荐的是党组织本身，不能选择个人", "nominee", "nominee")
        return organization.name
    if data.nominee is None:
        raise refusal("请选择被推荐人", "required", "nominee")
    if not selectors.eligible_nominees(organization, data.kind).filter(pk=data.nominee.pk).exists():
        message = (
            "被推荐人须为本组织的党员"
            if data.kind == HonorKind.MEMBER
            else "被推荐人须为本站点的党务工作者或本组织的书记、委员"
        )
        raise refusal(message, "nominee", "nominee")
    return str(data.nominee.display_name)


def nomination_create(*, actor: Any, organization: PartyOrganization, data: NominationInput) -> Nomination:
    """A nomination (推荐) in draft, by whoever keeps the organisation's records."""
    require_perm(actor, "honors.nominate_for", organization, "您不能为该党组织推荐评先评优")
    if data.kind not in HonorKind.values:
        raise refusal("荣誉类别不正确", "kind", "kind")
    _check_year(data.year)
    deeds = _clean_deeds(data.deeds)
    name = _nominee_name(organization, data)
    nomination = Nomination(
        station_id=organization.station_id,
        organization=organization,
        kind=data.kind,
        year=data.year,
        nominee_user=data.nominee,
        nominee_name=name,
        deeds=deeds,
        nominated_by=actor,
    )
    if data.attachment is not None:
        checked = check_upload(data.attachment, kinds=ATTACHMENT_KINDS)
        nomination.attachment.save(_storage_name(checked.extension), checked.file, save=False)
        nomination.attachment_name = stored_name(data.attachment.name or "", checked.extension)
        nomination.attachment_type = checked.content_type
    try:
        with transaction.atomic():
            _refuse_duplicate(nomination)
            nomination.save()
            NominationEvent.objects.create(nomination=nomination, action="create", actor=actor)
            record_event(
                actor=actor,
                action="honors.nomination.create",
                target=nomination,
                station=nomination.station,
                data={"kind": nomination.kind, "year": nomination.year, "nominee": name},
            )
    except IntegrityError as exc:  # a concurrent nomination won the unique constraint
        raise refusal(DUPLICATE_MESSAGE, "duplicate") from exc
    return nomination


def _refuse_duplicate(nomination: Nomination) -> None:
    live = Nomination.objects.filter(kind=nomination.kind, year=nomination.year).exclude(
        status=NominationStatus.REJECTED
    )
    if nomination.kind == HonorKind.ORGANIZATION:
        live = live.filter(organization_id=nomination.organization_id)
    else:
        live = live.filter(nominee_user_id=nomination.nominee_user_id)
    if live.exists():
        raise refusal(DUPLICATE_MESSAGE, "duplicate")


EDITABLE = (NominationStatus.DRAFT, NominationStatus.RETURNED)


def nomination_update(*, actor: Any, nomination: Nomination, deeds: str) -> Nomination:
    """Revise the deeds of a draft or of a nomination returned for revision (退回修改)."""
    require_perm(actor, "honors.submit", nomination, "只有本组织的推荐人员可以修改推荐")
    text = _clean_deeds(deeds)
    with transaction.atomic():
        locked = (
            Nomination.objects.select_for_update(of=("self",)).select_related("station").get(pk=nomination.pk)
        )
        if locked.status not in EDITABLE:
            raise TransitionError(
                f"当前状态为“{locked.get_status_display()}”，不能修改；只有草稿和已退回的推荐可以修改",
                code="wrong_state",
            )
        changed = locked.deeds != text
        locked.deeds = text
        locked.save(update_fields=["deeds", "updated_at"])
        NominationEvent.objects.create(nomination=locked, action="update", actor=actor)
        record_event(
            actor=actor,
            action="honors.nomination.update",
            target=locked,
            station=locked.station,
            data={"changed": ["deeds"] if changed else []},
        )
    return locked


@dataclass(frozen=True)
class Step:
    permission: str
    refusal: str
    comment_label: str = ""  # a required comment (退回意见, 不予授予的理由)
    reviews: bool = False  # separation of duties: not by the nominator or submitter


STEPS: dict[str, Step] = {
    ReviewAction.SUBMIT.value: Step("honors.submit", "只有本组织的推荐人员可以提交推荐"),
    ReviewAction.APPROVE.value: Step("honors.review", "只有本站点的党建指导员可以审核推荐", reviews=True),
    ReviewAction.RETURN.value: Step(
        "honors.review", "只有本站点的党建指导员可以审核推荐", comment_label="退回意见", reviews=True
    ),
    AWARD: Step("honors.decide", "只有总站可以决定授予荣誉", reviews=True),
    REJECT: Step("honors.decide", "只有总站可以决定授予荣誉", comment_label="不予授予的理由", reviews=True),
}
ACTIONS = tuple(STEPS)


def _target(nomination: Nomination, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if nomination.status not in sources:
        raise TransitionError(
            f"当前状态为“{nomination.get_status_display()}”，不能{ACTION_LABELS[action]}", code="wrong_state"
        )
    return target


def _comment(comment: str, step: Step) -> str:
    if step.comment_label:
        return require_comment(comment, what=step.comment_label)
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise TransitionError("说明不能超过 500 字", code="comment_too_long")
    return comment


def _mark(nomination: Nomination, action: str, actor: Any, comment: str) -> None:
    now = timezone.now()
    if action == ReviewAction.SUBMIT:
        nomination.submitted_by, nomination.submitted_at = actor, now
    elif action in (ReviewAction.APPROVE, ReviewAction.RETURN):
        nomination.reviewed_by, nomination.reviewed_at, nomination.review_comment = actor, now, comment
    else:
        nomination.decided_by, nomination.decided_at, nomination.decision_note = actor, now, comment


def nomination_act(*, actor: Any, nomination: Nomination, action: str, comment: str = "") -> Nomination:
    """Move a nomination one step: submit (推荐人员), approve / return (the station's instructor), award /
    reject (HQ). A wrong step is refused with its code and changes nothing."""
    step = STEPS.get(action)
    if step is None:
        raise refusal("不支持的办理事项", "invalid")
    require_perm(actor, step.permission, nomination, step.refusal)
    with transaction.atomic():
        locked = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("station", "organization", "nominated_by")
            .get(pk=nomination.pk)
        )
        target = _target(locked, action)
        if step.reviews:
            refuse_self_review(
                reviewer_id=actor.pk, author_ids={locked.nominated_by_id, locked.submitted_by_id}
            )
        comment = _comment(comment, step)
        source = locked.status
        locked.status = target
        _mark(locked, action, actor, comment)
        locked.save()
        NominationEvent.objects.create(nomination=locked, action=action, actor=actor, comment=comment)
        record_event(
            actor=actor,
            action=f"honors.nomination.{action}",
            target=locked,
            station=locked.station,
            data={"from": source, "to": target, "comment": comment},
        )
        _tell(locked, action, actor, comment)
        if action == AWARD:
            page_cache.bump(ROLL)
    return locked


def _tell(nomination: Nomination, action: str, actor: Any, comment: str) -> None:
    if action == ReviewAction.SUBMIT:
        recipients: Iterable[Any] = role_holders(Role.INSTRUCTOR, station_id=nomination.station_id).exclude(
            pk=actor.pk
        )
        title = f"评先评优推荐待审核：{nomination}"
    elif action == ReviewAction.APPROVE:
        recipients = role_holders(Role.STATION_ADMIN, at_hq=True).exclude(pk=actor.pk)
        title = f"评先评优推荐待总站决定：{nomination}"
    else:
        recipients = [nomination.nominated_by] if nomination.nominated_by_id != actor.pk else []
        verdict = {ReviewAction.RETURN.value: "被退回修改", AWARD: "已授予", REJECT: "未获授予"}[action]
        title = f"您推荐的{nomination}{verdict}"
    recipients = list(recipients)
    if recipients:
        notify(
            recipients=recipients,
            title=title,
            body=comment,
            url=nomination.get_absolute_url(),
            station=nomination.station,
        )


# ---------------------------------------------------------------- publicity records


@dataclass(frozen=True)
class PublicityInput:
    outlet: str
    level: str
    published_on: date
    title: str
    link: str = ""
    clipping: UploadedFile | None = None


def publicity_create(*, actor: Any, station: Station, data: PublicityInput) -> PublicityRecord:
    """A publicity record (宣传报道) of a station, kept by its admins and workers (HQ: every station)."""
    require_perm(actor, "honors.keep_records_of", station, "您不能为该站点登记宣传报道")
    if data.published_on > timezone.localdate():
        raise refusal("刊发日期不能晚于今天", "future_date", "published_on")
    record = PublicityRecord(
        station=station,
        outlet=data.outlet.strip(),
        level=data.level,
        published_on=data.published_on,
        title=data.title.strip(),
        link=data.link.strip(),
        created_by=actor,
    )
    if data.clipping is not None:
        checked = check_upload(data.clipping, kinds=CLIPPING_KINDS)
        record.clipping.save(_storage_name(checked.extension), checked.file, save=False)
        record.clipping_name = stored_name(data.clipping.name or "", checked.extension)
        record.clipping_type = checked.content_type
    return save_audited(record, actor=actor, action="honors.publicity.create", station=station)


# ---------------------------------------------------------------- demonstration events


@dataclass(frozen=True)
class EventInput:
    kind: str
    title: str
    held_on: date
    place: str
    summary: str = ""
    attendees: tuple[Any, ...] = ()
    visitor_count: int = 0
    visitors: str = ""


def event_create(*, actor: Any, station: Station, data: EventInput) -> DemonstrationEvent:
    """A demonstration event (现场会、经验交流、观摩学习) hosted by a station, with its attendees."""
    require_perm(actor, "honors.keep_records_of", station, "您不能为该站点登记示范活动")
    visitors = plain_text(data.visitors)
    listed = len([line for line in visitors.splitlines() if line.strip()])
    if listed > data.visitor_count:
        raise ValidationError(
            {"visitor_count": ValidationError("外单位来访人数少于所列人员", code="visitor_count")}
        )
    event = DemonstrationEvent(
        station=station,
        kind=data.kind,
        title=data.title.strip(),
        held_on=data.held_on,
        place=data.place.strip(),
        summary=plain_text(data.summary),
        visitor_count=data.visitor_count,
        visitors=visitors,
        created_by=actor,
    )
    return save_audited(
        event,
        actor=actor,
        action="honors.event.create",
        station=station,
        m2m={"attendees": [person.pk for person in data.attendees]},
    )
