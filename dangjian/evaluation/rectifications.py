"""Rectification to the end (DB3212/T 1124 §10.2: 分析原因、制定措施、跟踪整改).

A measure moves open (待整改) → in_progress (整改中) → pending_verification (待验证) → closed (已办结):

    start    open → in_progress                  the owner (or the station admin)
    submit   in_progress → pending_verification  the owner, with the evidence: text and an upload
    approve  pending_verification → closed        the verifier (never the owner)
    return   pending_verification → in_progress   the verifier, with the reason

Every other move is refused (`wrong_state`, a Chinese message). Every move and progress note is a line of
the timeline; the public accountability page shows it with role titles only. Overdue measures alert the
station admin and HQ once (`alert_overdue`, idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core import cache as page_cache
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.core.uploads import FileKind, check_upload
from dangjian.evaluation.models import (
    Rectification,
    RectificationNote,
    RectificationSource,
    RectificationStatus,
)
from dangjian.evaluation.services import clean_text, require
from dangjian.feedback.models import Feedback
from dangjian.stations.models import Station

S = RectificationStatus


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    label: str


MOVES: dict[str, Move] = {
    "start": Move(frozenset({S.OPEN}), S.IN_PROGRESS, "开始整改"),
    "submit": Move(frozenset({S.IN_PROGRESS}), S.PENDING_VERIFICATION, "提交验证"),
    "approve": Move(frozenset({S.PENDING_VERIFICATION}), S.CLOSED, "验证通过并办结"),
    "return": Move(frozenset({S.PENDING_VERIFICATION}), S.IN_PROGRESS, "验证未通过，退回整改"),
}


def accountability_scope(station_code: str) -> str:
    """The public accountability page of one station (its measures and their timelines)."""
    return f"evaluation:accountability:{station_code}"


def role_title(actor: Any, measure: Rectification) -> str:
    """What the public page shows instead of the person."""
    if actor.pk == measure.owner_id:
        return "整改责任人"
    if actor.pk == measure.verifier_id:
        return "验证人"
    return "站点管理员"


def _changed(measure: Rectification) -> None:
    page_cache.bump(accountability_scope(measure.station.code))


def _note(measure: Rectification, actor: Any, text: str) -> RectificationNote:
    return RectificationNote.objects.create(
        rectification=measure,
        author=actor,
        role_title=role_title(actor, measure),
        status=measure.status,
        text=text,
    )


def _station_person(station: Station, person: Any, what: str) -> User:
    if not isinstance(person, User) or not person.is_active:
        raise ValidationError({what: ValidationError("所选人员不存在", code="does_not_exist")})
    return person


def rectification_create(
    *,
    actor: Any,
    station: Station,
    title: str,
    problem: str,
    source: str,
    owner: User,
    verifier: User,
    deadline: date,
    indicator: str = "",
    complaint: Feedback | None = None,
) -> Rectification:
    """A measure of the station, from a failed indicator, a complaint or an analysis."""
    require(actor, "evaluation.manage_rectification", station, "只有本站点的管理员可以制定整改措施")
    title = clean_text(title, what="整改事项", max_length=120, field="title")
    problem = clean_text(problem, what="存在问题", max_length=2000, field="problem")
    if source not in RectificationSource.values:
        raise ValidationError({"source": ValidationError("请选择整改来源", code="required")})
    owner = _station_person(station, owner, "owner")
    verifier = _station_person(station, verifier, "verifier")
    if owner.pk == verifier.pk:
        raise ValidationError({"verifier": ValidationError("验证人不能是整改责任人本人", code="self_review")})
    if complaint is not None and complaint.station_id != station.pk:
        raise ValidationError({"complaint": ValidationError("所选投诉不属于该站点", code="wrong_station")})
    if source == RectificationSource.COMPLAINT and complaint is None:
        raise ValidationError(
            {"complaint": ValidationError("来源为投诉时请填写对应的投诉编号", code="required")}
        )
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": ValidationError("整改期限不能早于今天", code="past")})
    with transaction.atomic():
        measure = Rectification.objects.create(
            station=station,
            title=title,
            problem=problem,
            source=source,
            indicator=indicator[:20] if source == RectificationSource.INDICATOR else "",
            complaint=complaint if source == RectificationSource.COMPLAINT else None,
            owner=owner,
            verifier=verifier,
            deadline=deadline,
            created_by=actor,
        )
        _note(measure, actor, f"制定整改措施，期限 {deadline:%Y年%m月%d日}")
        record_event(
            actor=actor,
            action="evaluation.rectification.create",
            target=measure,
            station=station,
            data={
                "source": source,
                "owner": owner.pk,
                "verifier": verifier.pk,
                "deadline": deadline,
                "complaint": complaint.pk if complaint is not None else None,
            },
        )
        notify(
            recipients=[owner],
            title=f"您负责的整改措施：{title}",
            body=f"整改期限 {deadline:%Y年%m月%d日}",
            url=reverse("evaluation:measure", kwargs={"pk": measure.pk}),
            station=station,
        )
        _changed(measure)
    return measure


def progress_add(*, actor: Any, measure: Rectification, text: str) -> RectificationNote:
    """A progress note on the timeline (the owner, or the station admin)."""
    require(actor, "evaluation.report_progress", measure, "只有整改责任人可以填写整改进展")
    text = clean_text(text, what="整改进展", max_length=500, field="text")
    with transaction.atomic():
        locked = _locked(measure)
        if locked.status == S.CLOSED:
            raise ValidationError("整改措施已办结，不能再填写进展", code="wrong_state")
        note = _note(locked, actor, text)
        record_event(
            actor=actor,
            action="evaluation.rectification.progress",
            target=locked,
            station=locked.station,
            data={},
        )
        _changed(locked)
    return note


def _locked(measure: Rectification) -> Rectification:
    return Rectification.objects.select_for_update(of=("self",)).select_related("station").get(pk=measure.pk)


def _authorise_move(actor: Any, measure: Rectification, action: str) -> None:
    if action in ("start", "submit"):
        require(actor, "evaluation.report_progress", measure, "只有整改责任人可以进行此操作")
    elif action in ("approve", "return"):
        if actor.pk == measure.owner_id:
            raise ValidationError("整改责任人不能验证自己的整改", code="self_review")
        require(actor, "evaluation.verify", measure, "只有指定的验证人可以验证整改")
    else:
        raise ValidationError("不支持的操作", code="invalid")


def rectification_move(
    *,
    actor: Any,
    measure: Rectification,
    action: str,
    comment: str = "",
    evidence_text: str = "",
    evidence_file: UploadedFile | None = None,
) -> Rectification:
    """One move of the measure (see the module's table); refused moves change nothing."""
    if action not in MOVES:
        raise ValidationError("不支持的操作", code="invalid")
    _authorise_move(actor, measure, action)
    move = MOVES[action]
    with transaction.atomic():
        locked = _locked(measure)
        if locked.status not in move.sources:
            raise ValidationError(
                f"整改措施{locked.get_status_display()}，不能{move.label}", code="wrong_state"
            )
        text = _move_text(locked, action, comment, evidence_text, evidence_file)
        locked.status = move.target
        if move.target == S.CLOSED:
            locked.closed_at = timezone.now()
        locked.save()
        _note(locked, actor, text)
        record_event(
            actor=actor,
            action=f"evaluation.rectification.{action}",
            target=locked,
            station=locked.station,
            data={"status": locked.status},
        )
        _tell(locked, action)
        _changed(locked)
    return locked


def _move_text(
    measure: Rectification, action: str, comment: str, evidence_text: str, evidence_file: UploadedFile | None
) -> str:
    if action == "submit":
        evidence = clean_text(evidence_text, what="整改成效说明", max_length=2000, field="evidence_text")
        if evidence_file is None:
            raise ValidationError({"evidence_file": ValidationError("办结须上传证明材料", code="required")})
        checked = check_upload(evidence_file, kinds=(FileKind.IMAGE, FileKind.PDF))
        measure.evidence_text = evidence
        measure.evidence_file.save(f"evidence.{checked.extension}", checked.file, save=False)
        return f"提交验证：{evidence[:200]}"
    if action == "approve":
        if not measure.evidence_text or not measure.evidence_file:
            raise ValidationError("没有整改证明材料，不能办结", code="required")
        note = clean_text(comment, what="验证意见", max_length=500, required=False)
        return "验证通过，整改办结" + (f"：{note}" if note else "")
    if action == "return":
        reason = clean_text(comment, what="退回原因", max_length=500, field="comment")
        return f"验证未通过：{reason}"
    return "开始整改"


def _tell(measure: Rectification, action: str) -> None:
    url = reverse("evaluation:measure", kwargs={"pk": measure.pk})
    if action == "submit":
        notify(
            recipients=[measure.verifier],
            title=f"请验证整改：{measure.title}",
            url=url,
            station=measure.station,
        )
    elif action in ("approve", "return"):
        title = "整改已办结" if action == "approve" else "整改验证未通过，请继续整改"
        notify(
            recipients=[measure.owner], title=f"{title}：{measure.title}", url=url, station=measure.station
        )


def alert_overdue(*, today: date | None = None) -> int:
    """The daily beat: every measure past its deadline and not closed alerts the station admins of its
    station and HQ's once (`overdue_alerted_on` is claimed by a conditional update), so running it again,
    or twice at the same time, sends nothing more. Returns how many measures alerted."""
    today = today or timezone.localdate()
    due = Rectification.objects.filter(deadline__lt=today, overdue_alerted_on__isnull=True).exclude(
        status=S.CLOSED
    )
    alerted = 0
    hq_admins = list(role_holders(Role.STATION_ADMIN, at_hq=True))
    for measure in due.select_related("station"):
        with transaction.atomic():
            claimed = Rectification.objects.filter(pk=measure.pk, overdue_alerted_on__isnull=True).update(
                overdue_alerted_on=today
            )
            if not claimed:
                continue
            admins = list(role_holders(Role.STATION_ADMIN, station_id=measure.station_id))
            notify(
                recipients=[*admins, *hq_admins],
                title=f"整改逾期：{measure.station.name}“{measure.title}”",
                body=f"整改期限 {measure.deadline:%Y年%m月%d日}，当前{measure.get_status_display()}",
                url=reverse("evaluation:measure", kwargs={"pk": measure.pk}),
                station=measure.station,
            )
            alerted += 1
    return alerted
