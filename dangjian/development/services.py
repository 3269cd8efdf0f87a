"""Writes of the development pipeline (发展党员, 《中国共产党发展党员工作细则》).

Every service authorises with `actor.has_perm(...)` (PermissionDenied otherwise), locks the candidate
(`select_for_update`), guards the state with a Chinese `ValidationError` carrying a `code`, records an
audit event and notifies on commit. A step done too early (or, for the superior committee's approvals, too
late) is refused with the rule and the earliest (latest) date; the refusal itself is audited
(`development.step.refused`) so the file shows what was attempted.

When the superior committee approves the admission (step 17) the probationary member's `MemberProfile`
is created through `members.services.member_create`; when it approves the full membership (step 24) the
record becomes a full member's through `members.services.member_update` — never typed again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.accounts.permissions import OFFICER_ROLES, role_holders
from dangjian.core.audit import record_event
from dangjian.core.crypto import decrypt, encrypt, keyed_hash, mask_id_number
from dangjian.core.notifications import notify
from dangjian.core.services import refusal, require_perm
from dangjian.core.uploads import FileKind, check_upload
from dangjian.core.validators import (
    id_number_birth_date,
    normalize_id_number,
    validate_id_number,
    validate_mobile,
)
from dangjian.development import selectors
from dangjian.development.models import (
    Candidate,
    CandidatePerson,
    CandidateStatus,
    PersonRole,
    Reminder,
    ReminderKind,
    Report,
    ReportKind,
    StepDocument,
    StepRecord,
)
from dangjian.development.rules import (
    VoteOutcome,
    add_months,
    chinese_date,
    working_days_between,
)
from dangjian.development.signals import candidate_admitted, candidate_became_full_member, step_completed
from dangjian.development.timers import Facts, completion_problem, missing_reports
from dangjian.members.models import ETHNICITY_CHOICES, Education, Gender
from dangjian.organizations.models import PartyOrganization

NOT_ACTIVE_MESSAGE = "该入党申请人当前状态为“{status}”，不能继续办理"
AFTER_FULL_MEMBERSHIP = ("archived",)  # 材料归档 follows the full membership


def _locked(candidate: Candidate) -> Candidate:
    """Re-read under a lock a candidate the caller found inside its scope."""
    return (
        Candidate.all_objects.select_for_update(of=("self",))
        .select_related("organization", "station")
        .get(pk=candidate.pk)
    )


def _require_active(candidate: Candidate) -> None:
    if candidate.status != CandidateStatus.ACTIVE:
        raise refusal(NOT_ACTIVE_MESSAGE.format(status=candidate.get_status_display()), "not_active")


def secretaries(organization_id: int) -> list[User]:
    return list(role_holders(*OFFICER_ROLES, organization_id=organization_id))


# ---------------------------------------------------------------- the application


@dataclass(frozen=True)
class Applicant:
    name: str
    gender: str
    birth_date: date | None
    education: str
    phone: str
    id_number: str
    applied_on: date
    ethnicity: str = "01"
    job_title: str = ""
    resident_unit_id: int | None = None
    user_id: int | None = None


def _applicant_problems(applicant: Applicant, today: date) -> dict[str, ValidationError]:
    problems: dict[str, ValidationError] = {}
    if not applicant.name.strip():
        problems["name"] = ValidationError("请填写姓名", code="required")
    try:
        validate_mobile(applicant.phone)
    except ValidationError as error:
        problems["phone"] = error
    number = normalize_id_number(applicant.id_number)
    try:
        validate_id_number(number)
    except ValidationError as error:
        problems["id_number"] = error
    else:
        if applicant.birth_date and id_number_birth_date(number) != applicant.birth_date:
            problems["id_number"] = ValidationError("公民身份号码与出生日期不一致", code="id_birth")
    birth = applicant.birth_date or (id_number_birth_date(number) if "id_number" not in problems else None)
    if applicant.applied_on > today:
        problems["applied_on"] = ValidationError("递交入党申请书日期不能晚于今天", code="future_date")
    elif birth and add_months(birth, 18 * 12) > applicant.applied_on:
        problems["applied_on"] = ValidationError("年满十八周岁才能递交入党申请书", code="under_age")
    for field, value, choices, label in (
        ("gender", applicant.gender, Gender.values, "性别"),
        ("education", applicant.education, Education.values, "学历"),
        ("ethnicity", applicant.ethnicity, [code for code, _ in ETHNICITY_CHOICES], "民族"),
    ):
        if value not in choices:
            problems[field] = ValidationError(f"请选择{label}", code="invalid")
    return problems


def candidate_create(*, actor: Any, organization: PartyOrganization, applicant: Applicant) -> Candidate:
    """Register an application (step 1 done on its date); the organisation's officers are told."""
    require_perm(actor, "development.manage_for", organization, "您不能登记该党组织的入党申请")
    problems = _applicant_problems(applicant, timezone.localdate())
    if problems:
        raise ValidationError(problems)
    number = normalize_id_number(applicant.id_number)
    candidate = Candidate(
        station_id=organization.station_id,
        organization=organization,
        resident_unit_id=applicant.resident_unit_id,
        user_id=applicant.user_id,
        name=applicant.name.strip(),
        gender=applicant.gender,
        ethnicity=applicant.ethnicity,
        birth_date=applicant.birth_date or id_number_birth_date(number) or applicant.applied_on,
        education=applicant.education,
        job_title=applicant.job_title.strip(),
        phone=applicant.phone,
        id_number_encrypted=encrypt(number),
        id_number_hash=keyed_hash(number),
        id_number_masked=mask_id_number(number),
        applied_on=applicant.applied_on,
    )
    try:
        with transaction.atomic():
            if Candidate.all_objects.filter(
                id_number_hash=candidate.id_number_hash, status=CandidateStatus.ACTIVE
            ).exists():
                raise refusal("该公民身份号码已有一份培养中的入党申请", "duplicate", "id_number")
            candidate.full_clean(exclude=["id_number_encrypted", "id_number_hash", "id_number_masked"])
            candidate.save()
            StepRecord.all_objects.create(
                candidate=candidate,
                station_id=candidate.station_id,
                step="apply",
                done_on=candidate.applied_on,
                recorded_by=actor,
            )
            record_event(
                actor=actor,
                action="development.candidate.create",
                target=candidate,
                station=organization.station,
                data={"name": candidate.name, "id_number": candidate.id_number_masked},
            )
            notify(
                recipients=secretaries(organization.pk),
                title=f"{candidate.name}递交了入党申请书，请在一个月内派人谈话",
                url=candidate.get_absolute_url(),
                station=organization.station,
            )
    except IntegrityError as exc:
        raise refusal("该公民身份号码已有一份培养中的入党申请", "duplicate", "id_number") from exc
    return candidate


# ---------------------------------------------------------------- contact persons and introducers


def person_assign(*, actor: Any, candidate: Candidate, user: User, role: str) -> CandidatePerson:
    """Assign a full member as contact person (one or two) or introducer (two)."""
    require_perm(actor, "development.manage_for", candidate)
    if role not in PersonRole.values:
        raise refusal("请选择培养联系人或入党介绍人", "role", "role")
    with transaction.atomic():
        locked = _locked(candidate)
        _require_active(locked)
        if user.pk == locked.user_id:
            raise refusal("入党申请人本人不能担任自己的培养联系人或入党介绍人", "self", "user")
        if user.pk not in selectors.full_member_user_ids([user.pk]):
            raise refusal(f"{PersonRole(role).label}须为正式党员", "not_full_member", "user")
        rules = selectors.facts_of(locked).rules()
        limit = rules.contact_persons[1] if role == PersonRole.CONTACT else rules.introducers
        assigned = CandidatePerson.all_objects.filter(candidate=locked, role=role)
        if assigned.filter(user=user).exists():
            raise refusal(f"该党员已是{PersonRole(role).label}", "duplicate", "user")
        if assigned.count() >= limit:
            raise refusal(f"{PersonRole(role).label}最多 {limit} 名", "too_many", "user")
        person = CandidatePerson.all_objects.create(
            candidate=locked, station_id=locked.station_id, user=user, role=role
        )
        record_event(
            actor=actor,
            action="development.person.assign",
            target=locked,
            station=locked.station,
            data={"role": role, "user": user.display_name},
        )
        notify(
            recipients=[user],
            title=f"您被指定为{locked.name}的{PersonRole(role).label}",
            url="/development/contacts/" if role == PersonRole.CONTACT else "",
            station=locked.station,
        )
    return person


# ---------------------------------------------------------------- steps


@dataclass(frozen=True)
class StepInput:
    done_on: date
    note: str = ""
    responsible_id: int | None = None
    entitled: int | None = None
    present: int | None = None
    votes_for: int | None = None
    training_days: int | None = None
    training_hours: int | None = None
    notice_from: date | None = None
    notice_until: date | None = None
    meeting_id: int | None = None  # a 支部党员大会 of the activities capability, with its record
    course_id: int | None = None  # a course completed in the learning capability


def step_complete(*, actor: Any, candidate: Candidate, step: str, data: StepInput) -> StepRecord:
    """Record a step as done on `data.done_on`, if its rules allow it that day."""
    require_perm(actor, "development.manage_for", candidate)
    data = _with_linked_facts(candidate, step, data)
    with transaction.atomic():
        locked = _locked(candidate)
        if not (locked.status == CandidateStatus.FULL_MEMBER and step in AFTER_FULL_MEMBERSHIP):
            _require_active(locked)
        refusal = _step_refusal(locked, step, data)
        if refusal is None:
            return _save_step(actor, locked, step, data)
    _record_refusal(actor, candidate, step, data, refusal)
    raise refusal


def _with_linked_facts(candidate: Candidate, step: str, data: StepInput) -> StepInput:
    """A branch meeting taken from its record (台账): its day, the members entitled (the record's, else
    the roster's) and those present; a training taken from a completed course: its 学时."""
    if data.meeting_id is not None:
        meeting = (
            selectors.branch_meeting(candidate, data.meeting_id) if step in selectors.MEETING_STEPS else None
        )
        if meeting is None:
            raise refusal("请选择本支部已建立台账的支部党员大会", "meeting_unknown", "meeting_id")
        entitled = meeting.entitled if meeting.entitled is not None else data.entitled
        return replace(
            data,
            done_on=meeting.held_on,
            entitled=entitled
            if entitled is not None
            else selectors.entitled_voters(candidate.organization_id),
            present=meeting.present,
        )
    if data.course_id is not None:
        course = selectors.completed_course(candidate, data.course_id) if step == "training" else None
        if course is None:
            raise refusal("请选择申请人已完成的培训课程", "course_not_completed", "course_id")
        return replace(data, training_hours=max(course.hours, data.training_hours or 0))
    return data


def _record_refusal(
    actor: Any, candidate: Candidate, step: str, data: StepInput, refusal: ValidationError
) -> None:
    """The refused attempt is kept in the audit trail (outside the rolled-back transaction)."""
    record_event(
        actor=actor,
        action="development.step.refused",
        target=candidate,
        station=candidate.station,
        data={"step": step, "done_on": data.done_on, "reason": refusal.messages[0]},
    )


def _step_refusal(candidate: Candidate, step: str, data: StepInput) -> ValidationError | None:
    facts = selectors.facts_of(candidate)
    rules = facts.rules()
    if step not in rules.steps_by_key:
        return refusal("没有这个发展步骤", "unknown_step")
    found = completion_problem(step, data.done_on, facts, timezone.localdate())
    if found is not None:
        return refusal(found.message, found.code, "done_on")
    stage = rules.step(step).stage
    if stage > candidate.stage:
        title = rules.stages[stage - 1].title
        return refusal(f"尚未进入“{title}”阶段，请先完成本阶段各步骤并进入下一阶段", "wrong_stage")
    check = STEP_CHECKS.get(step)
    return check(candidate, data, facts) if check else None


def _check_contacts(candidate: Candidate, data: StepInput, facts: Facts) -> ValidationError | None:
    low, high = facts.rules().contact_persons
    count = CandidatePerson.all_objects.filter(candidate=candidate, role=PersonRole.CONTACT).count()
    if not low <= count <= high:
        return refusal(f"须先指定 {low}～{high} 名正式党员作培养联系人（已指定 {count} 名）", "contacts")
    return None


def _check_introducers(candidate: Candidate, data: StepInput, facts: Facts) -> ValidationError | None:
    needed = facts.rules().introducers
    user_ids = list(
        CandidatePerson.all_objects.filter(candidate=candidate, role=PersonRole.INTRODUCER).values_list(
            "user_id", flat=True
        )
    )
    full = selectors.full_member_user_ids(user_ids)
    if len(full) < needed:
        return refusal(f"须有 {needed} 名正式党员作入党介绍人（已指定 {len(full)} 名）", "introducers")
    return None


def _check_cultivation(candidate: Candidate, data: StepInput, facts: Facts) -> ValidationError | None:
    missing = missing_reports(facts, data.done_on)
    if missing:
        first = missing[0]
        label = ReportKind(first.kind).label
        return refusal(
            f"第{first.number}次{label}（应于 {chinese_date(first.due)} 前完成）尚未填写", "reports_missing"
        )
    return None


def _check_training(candidate: Candidate, data: StepInput, facts: Facts) -> ValidationError | None:
    rules = facts.rules()
    if (data.training_days or 0) >= rules.training_days or (data.training_hours or 0) >= rules.training_hours:
        return None
    return refusal(
        f"集中培训时间一般不少于{rules.training_days}天（或不少于{rules.training_hours}个学时）",
        "training_short",
        "training_days",
    )


def _check_notice(candidate: Candidate, data: StepInput, facts: Facts) -> ValidationError | None:
    needed = facts.rules().notice_working_days
    start, end = data.notice_from, data.notice_until
    if start is None or end is None or end < start:
        return refusal("请填写公示的起止日期", "notice_missing", "notice_from")
    if start < facts.done["committee_review"] or end >= data.done_on:
        return refusal("公示应在支部委员会审查之后、上级党委预审之前进行", "notice_order", "notice_from")
    if working_days_between(start, end) < needed:
        return refusal(f"公示期不少于{needed}个工作日", "notice_short", "notice_until")
    return None


def _check_vote(candidate: Candidate, data: StepInput, facts: Facts) -> ValidationError | None:
    if data.entitled is None or data.present is None or data.votes_for is None:
        return refusal("请填写应到会、实到会有表决权人数和赞成人数", "vote_missing", "present")
    problem = VoteOutcome(data.entitled, data.present, data.votes_for).problem()
    return refusal(problem[0], problem[1], "present") if problem else None


STEP_CHECKS = {
    "cultivation": _check_cultivation,
    "contacts": _check_contacts,
    "introducers": _check_introducers,
    "training": _check_training,
    "pre_review": _check_notice,
    "branch_meeting": _check_vote,
    "full_meeting": _check_vote,
}


def _save_step(actor: Any, candidate: Candidate, step: str, data: StepInput) -> StepRecord:
    record = StepRecord.all_objects.create(
        candidate=candidate,
        station_id=candidate.station_id,
        step=step,
        done_on=data.done_on,
        responsible_id=data.responsible_id or actor.pk,
        recorded_by=actor,
        note=data.note.strip()[:500],
        entitled=data.entitled,
        present=data.present,
        votes_for=data.votes_for,
        training_days=data.training_days,
        training_hours=data.training_hours,
        notice_from=data.notice_from,
        notice_until=data.notice_until,
        meeting_id=data.meeting_id,
        training_course_id=data.course_id,
    )
    record_event(
        actor=actor,
        action="development.step.complete",
        target=candidate,
        station=candidate.station,
        data={"step": step, "done_on": data.done_on},
    )
    if step == "approval":
        _admit(actor, candidate)
    elif step == "full_approval":
        _make_full_member(actor, candidate)
    transaction.on_commit(lambda: step_completed.send(sender=StepRecord, record=record, actor=actor))
    return record


# ---------------------------------------------------------------- into the members capability


def _done_on(candidate: Candidate, step: str) -> date:
    return StepRecord.all_objects.get(candidate=candidate, step=step).done_on


def _admit(actor: Any, candidate: Candidate) -> None:
    """Step 17: the probationary member's record, admitted on the branch meeting's day."""
    from dangjian.members.models import Category, MemberProfile
    from dangjian.members.services import member_create
    from dangjian.members.validation import PersonInput

    profile = MemberProfile(
        organization=candidate.organization,
        category=Category.PROBATIONARY,
        admitted_on=_done_on(candidate, "branch_meeting"),
        gender=candidate.gender,
        ethnicity=candidate.ethnicity,
        birth_date=candidate.birth_date,
        education=candidate.education,
        job_title=candidate.job_title,
        resident_unit_id=candidate.resident_unit_id,
        affiliation_organization=candidate.organization.name,
    )
    person = PersonInput(candidate.name, candidate.phone, decrypt(candidate.id_number_encrypted))
    profile = member_create(actor=actor, profile=profile, person=person)
    if candidate.user_id != profile.user_id:
        candidate.user_id = profile.user_id
        candidate.save(update_fields=["user", "updated_at"])
    transaction.on_commit(
        lambda: candidate_admitted.send(sender=Candidate, candidate=candidate, profile=profile)
    )


def _make_full_member(actor: Any, candidate: Candidate) -> None:
    """Step 24: full membership from the day the probation ended (预备期满之日)."""
    from dangjian.members.models import Category, MemberProfile
    from dangjian.members.services import member_update, profile_snapshot
    from dangjian.members.validation import PersonInput

    profile = MemberProfile.all_objects.select_related("user", "organization").get(
        user_id=candidate.user_id or 0
    )
    before = profile_snapshot(profile)
    probation = selectors.facts_of(candidate).rules().probation
    profile.category = Category.FORMAL
    profile.full_member_on = probation.after(profile.admitted_on)
    person = PersonInput(profile.user.real_name, profile.user.mobile or "")
    member_update(actor=actor, profile=profile, person=person, before=before)
    candidate.status = CandidateStatus.FULL_MEMBER
    candidate.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor, action="development.candidate.full_member", target=candidate, station=candidate.station
    )
    transaction.on_commit(
        lambda: candidate_became_full_member.send(sender=Candidate, candidate=candidate, profile=profile)
    )


# ---------------------------------------------------------------- stages and closing


def stage_advance(*, actor: Any, candidate: Candidate) -> Candidate:
    """Into the next stage, only once every step of the current stage is done."""
    require_perm(actor, "development.manage_for", candidate)
    with transaction.atomic():
        locked = _locked(candidate)
        _require_active(locked)
        rules = selectors.facts_of(locked).rules()
        if locked.stage >= len(rules.stages):
            raise refusal("已是最后一个阶段", "last_stage")
        done = set(StepRecord.all_objects.filter(candidate=locked).values_list("step", flat=True))
        open_steps = [s for s in rules.stage_steps(locked.stage) if s.key not in done]
        if open_steps:
            names = "、".join(f"第{s.number}步{s.title}" for s in open_steps)
            raise refusal(f"本阶段还有未完成的步骤：{names}", "stage_open")
        locked.stage += 1
        locked.save(update_fields=["stage", "updated_at"])
        record_event(
            actor=actor,
            action="development.stage.advance",
            target=locked,
            station=locked.station,
            data={"stage": locked.stage},
        )
        if locked.user_id:
            notify(
                recipients=[User.objects.get(pk=locked.user_id)],
                title=f"您的入党申请已进入“{rules.stages[locked.stage - 1].title}”阶段",
                url="/me/development/",
                station=locked.station,
            )
    return locked


def candidate_close(*, actor: Any, candidate: Candidate, status: str, note: str) -> Candidate:
    """End the pipeline: not developed (未予发展) or withdrawn by the applicant (本人撤回)."""
    require_perm(actor, "development.manage_for", candidate)
    if status not in (CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN):
        raise refusal("请选择终止原因", "status", "status")
    if not note.strip():
        raise refusal("请填写情况说明", "required", "note")
    with transaction.atomic():
        locked = _locked(candidate)
        _require_active(locked)
        locked.status, locked.closed_note = status, note.strip()[:300]
        locked.save(update_fields=["status", "closed_note", "updated_at"])
        verb = "refuse" if status == CandidateStatus.REFUSED else "withdraw"
        record_event(
            actor=actor,
            action=f"development.candidate.{verb}",
            target=locked,
            station=locked.station,
            data={"note": locked.closed_note},
        )
    return locked


def special_approval_set(*, actor: Any, candidate: Candidate, special: bool) -> Candidate:
    """Mark the superior committee's approval a special case (six months instead of three)."""
    require_perm(actor, "development.manage_for", candidate)
    with transaction.atomic():
        locked = _locked(candidate)
        _require_active(locked)
        locked.special_approval = special
        locked.save(update_fields=["special_approval", "updated_at"])
    return locked


# ---------------------------------------------------------------- evaluations and thought reports


def report_file(*, actor: Any, candidate: Candidate, kind: str, filed_on: date, content: str) -> Report:
    """A contact person's half-year evaluation, or a quarterly thought report received."""
    require_perm(actor, "development.file_report", candidate, "只有培养联系人或本组织书记、委员可以填写")
    if kind not in ReportKind.values:
        raise refusal("请选择类别", "kind", "kind")
    if not content.strip():
        raise refusal("请填写考察情况", "required", "content")
    if filed_on > timezone.localdate():
        raise refusal("日期不能晚于今天", "future_date", "filed_on")
    with transaction.atomic():
        locked = _locked(candidate)
        _require_active(locked)
        activist = StepRecord.all_objects.filter(candidate=locked, step="activist").first()
        if activist is None or filed_on < activist.done_on:
            raise refusal("确定为入党积极分子后才能填写考察和思想汇报", "not_activist", "filed_on")
        number = Report.all_objects.filter(candidate=locked, kind=kind).count() + 1
        try:
            with transaction.atomic():
                report = Report.all_objects.create(
                    candidate=locked,
                    station_id=locked.station_id,
                    kind=kind,
                    number=number,
                    filed_on=filed_on,
                    filed_by=actor,
                    content=content.strip()[:2000],
                )
        except IntegrityError as exc:
            raise refusal("该期已填写，请刷新后重试", "conflict") from exc
        record_event(
            actor=actor,
            action="development.report.file",
            target=locked,
            station=locked.station,
            data={"kind": kind, "number": number, "filed_on": filed_on},
        )
        notify(
            recipients=secretaries(locked.organization_id),
            title=f"{locked.name}的第{number}次{ReportKind(kind).label}已填写",
            url=locked.get_absolute_url(),
            station=locked.station,
        )
    return report


# ---------------------------------------------------------------- reminders (Celery beat)

REMIND_BEFORE_DAYS = 7


def send_reminders(*, today: date | None = None) -> int:
    """Remind the responsible person and the secretaries of every open step and report due within
    `REMIND_BEFORE_DAYS` (once) and overdue (once). Idempotent: one `Reminder` per subject and kind."""
    today = today or timezone.localdate()
    sent = 0
    candidates = selectors.with_pipeline(Candidate.all_objects.filter(status=CandidateStatus.ACTIVE))
    for candidate in candidates:
        pipeline = selectors.pipeline_of(candidate, today)
        contacts = [p.user for p in selectors.people_of(candidate) if p.role == PersonRole.CONTACT]
        for subject, title, due, to_contacts in _subjects(pipeline):
            kind = _reminder_kind(due, today)
            if kind is not None:
                sent += _remind(candidate, subject, kind, title, due, contacts if to_contacts else [])
    return sent


def _subjects(pipeline: selectors.Pipeline) -> list[tuple[str, str, date, bool]]:
    steps = [
        (s.step.key, f"第{s.step.number}步{s.step.title}", s.due, s.step.responsible == "contact")
        for s in pipeline.open_steps
        if s.due
    ]
    reports = [
        (f"{r.kind}:{r.number}", f"第{r.number}次{ReportKind(r.kind).label}", r.due, True)
        for r in pipeline.reports_open
    ]
    return [(k, t, d, c) for k, t, d, c in steps + reports if d is not None]


def _reminder_kind(due: date, today: date) -> str | None:
    if today > due:
        return ReminderKind.AFTER
    if (due - today).days <= REMIND_BEFORE_DAYS:
        return ReminderKind.BEFORE
    return None


def _remind(
    candidate: Candidate, subject: str, kind: str, title: str, due: date, contacts: list[User]
) -> int:
    try:
        with transaction.atomic():
            Reminder.all_objects.create(
                candidate=candidate, station_id=candidate.station_id, subject=subject, kind=kind
            )
            verb = "已逾期" if kind == ReminderKind.AFTER else "即将到期"
            notify(
                recipients=[*contacts, *secretaries(candidate.organization_id)],
                title=f"{candidate.name}的{title}{verb}（{chinese_date(due)}）",
                url=candidate.get_absolute_url(),
                station=candidate.station,
            )
            record_event(
                actor=None,
                action="development.reminder.send",
                target=candidate,
                station=candidate.station,
                data={"subject": subject, "kind": kind},
            )
    except IntegrityError:
        return 0  # sent before
    return 1


# ---------------------------------------------------------------- signed documents (档案)

SIGNED_KINDS = (FileKind.PDF, FileKind.IMAGE, FileKind.DOCX)


def signed_document_upload(
    *, actor: Any, candidate: Candidate, step: str, title: str, upload: UploadedFile
) -> StepDocument:
    """Keep a step's document uploaded back signed; the step must have been done and the document be
    one of the step's standard documents. The type is proved by the bytes (PDF, image, Word)."""
    require_perm(actor, "development.manage_for", candidate)
    rules = selectors.facts_of(candidate).rules()
    if step not in rules.steps_by_key:
        raise refusal("没有这个发展步骤", "unknown_step", "step")
    if title not in rules.step(step).documents:
        raise refusal(f"“{rules.step(step).title}”没有名为“{title}”的材料", "unknown_document", "title")
    checked = check_upload(upload, kinds=SIGNED_KINDS)
    with transaction.atomic():
        locked = _locked(candidate)
        if not StepRecord.all_objects.filter(candidate=locked, step=step).exists():
            raise refusal("该步骤尚未办理，办理后再上传签字材料", "step_not_done", "step")
        document = StepDocument(
            candidate=locked,
            station_id=locked.station_id,
            step=step,
            title=title,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor,
        )
        document.file.save(f"signed.{checked.extension}", checked.file, save=False)
        document.save()
        record_event(
            actor=actor,
            action="development.document.upload",
            target=locked,
            station=locked.station,
            data={"step": step, "title": title},
        )
    return document


def dossier_exported(*, actor: Any, candidate: Candidate, fmt: str) -> None:
    """A download of the whole file is personal data leaving the platform: kept in the audit trail."""
    require_perm(actor, "development.view_candidate", candidate)
    record_event(
        actor=actor,
        action="development.dossier.export",
        target=candidate,
        station=candidate.station,
        data={"format": fmt},
    )
