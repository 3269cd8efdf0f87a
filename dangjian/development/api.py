"""JSON API of the development pipeline (发展党员). ID numbers are always masked; only the birth year is
given. Officers (the organisation's secretary and officers, the station's admins and workers, HQ) read
the candidates and their 25 steps; an applicant reads their own progress. Anyone else gets 404.

- `GET /development/candidates`: the candidates the caller keeps (`?stage=`, `?organization=`);
- `GET /development/candidates/{id}`: one candidate with the state of each step (done, open with its due
  date, blocked with the reason and the earliest date);
- `GET /development/me`: the caller's own applications;
- `POST /development/candidates` (register an application), `…/{id}/steps/{step}` (do a step, refused
  with the rule's code: too_early, too_late, no_quorum, not_passed, training_short …), `…/{id}/people`,
  `…/{id}/advance`, `…/{id}/reports` (a contact person's evaluation or a thought report).
"""

from datetime import date
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from dangjian.core.api_errors import ApiError
from dangjian.core.api_schemas import ObjectId, paginated, text, with_errors, write_responses
from dangjian.development import selectors, services
from dangjian.development.models import Candidate
from dangjian.development.timers import StepState

router = Router(tags=["发展党员"])


class Ref(Schema):
    id: int
    name: str


class StepOut(Schema):
    number: int
    key: str
    stage: int
    title: str
    state: str = Field(..., description="done 已完成 / open 办理中 / blocked 未到办理条件")
    state_label: str
    done_on: date | None
    due: date | None = Field(..., description="规定的最迟办理日期（如有）")
    earliest: date | None = Field(..., description="规定的最早办理日期（如有）")
    reason: str = Field(..., description="未到办理条件的原因（规定与最早日期）")


class CandidateFields(Schema):
    id: int
    name: str
    gender_label: str
    birth_year: int
    id_number_masked: str = Field(..., description="公民身份号码（脱敏：前 3 位与后 4 位）")
    organization: Ref
    applied_on: date
    stage: int
    stage_label: str
    status: str
    status_label: str


class CandidateOut(CandidateFields):
    @staticmethod
    def resolve_gender_label(obj: Candidate) -> str:
        return obj.get_gender_display()

    @staticmethod
    def resolve_birth_year(obj: Candidate) -> int:
        return obj.birth_date.year

    @staticmethod
    def resolve_stage_label(obj: Candidate) -> str:
        return obj.get_stage_display()

    @staticmethod
    def resolve_status_label(obj: Candidate) -> str:
        return obj.get_status_display()


class CandidateDetailOut(CandidateFields):
    steps: list[StepOut]
    overdue: list[str] = Field(..., description="已逾期步骤的 key")


class ApplicationOut(Schema):
    organization: Ref
    applied_on: date
    stage: int
    stage_label: str
    status: str
    status_label: str
    steps: list[StepOut]


class CandidateFilter(Schema):
    stage: int | None = Field(None, ge=1, le=5, description="阶段 1–5")
    organization: ObjectId | None = Field(None, description="党组织 id")


def candidate_fields(candidate: Candidate) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "name": candidate.name,
        "gender_label": candidate.get_gender_display(),
        "birth_year": candidate.birth_date.year,
        "id_number_masked": candidate.id_number_masked,
        "organization": candidate.organization,
        "applied_on": candidate.applied_on,
        "stage": candidate.stage,
        "stage_label": candidate.get_stage_display(),
        "status": candidate.status,
        "status_label": candidate.get_status_display(),
    }


def step_out(state: StepState) -> dict[str, Any]:
    return {
        "number": state.step.number,
        "key": state.step.key,
        "stage": state.step.stage,
        "title": state.step.title,
        "state": str(state.state),
        "state_label": state.label,
        "done_on": state.done_on,
        "due": state.due,
        "earliest": state.earliest,
        "reason": state.reason,
    }


@router.get(
    "/candidates",
    response=with_errors({200: list[CandidateOut]}, 401, 422),
    url_name="development_candidates",
    summary="入党申请人列表",
    description="本组织书记、委员，所在站点的站点管理员、党务工作者及总站可查看；公民身份号码脱敏。",
)
@paginated
def development_candidates(request: HttpRequest, filters: Query[CandidateFilter]) -> QuerySet[Candidate]:
    with selectors.development_scope(request.user):
        candidates = selectors.visible_candidates(request.user).select_related("organization")
        if filters.stage:
            candidates = candidates.filter(stage=filters.stage)
        if filters.organization:
            candidates = candidates.filter(organization_id=filters.organization)
        return candidates


@router.get(
    "/candidates/{candidate_id}",
    response=with_errors({200: CandidateDetailOut}, 401, 404, 422),
    url_name="development_candidate",
    summary="入党申请人及其发展步骤",
)
def development_candidate(request: HttpRequest, candidate_id: ObjectId) -> dict[str, Any]:
    candidate = selectors.access_candidate(user=request.user, pk=candidate_id)
    return {**candidate_fields(candidate), **_steps_of(candidate)}


@router.get(
    "/me",
    response=with_errors({200: list[ApplicationOut]}, 401),
    url_name="development_my_application",
    summary="我的入党申请进度",
)
def development_my_application(request: HttpRequest) -> list[dict[str, Any]]:
    rows = []
    for pipeline in selectors.pipelines(selectors.own_applications(request.user)):
        candidate = pipeline.candidate
        rows.append(
            {
                "organization": candidate.organization,
                "applied_on": candidate.applied_on,
                "stage": candidate.stage,
                "stage_label": candidate.get_stage_display(),
                "status": candidate.status,
                "status_label": candidate.get_status_display(),
                "steps": [step_out(state) for state in pipeline.steps],
            }
        )
    return rows


# ---------------------------------------------------------------- writes (officers; contact persons file reports)

Short = Annotated[str, text(60)]
Note = Annotated[str, text(500)]
APPLICATION_CODES = (
    "invalid",
    "required",
    "mobile",
    "id_format",
    "id_birth_date",
    "id_checksum",
    "id_birth",
    "under_age",
    "future_date",
    "duplicate",
    "conflict",
)
STEP_CODES = (
    "invalid",
    "unknown_step",
    "not_active",
    "wrong_stage",
    "prerequisite",
    "before_previous",
    "future_date",
    "too_early",
    "too_late",
    "contacts",
    "introducers",
    "reports_missing",
    "training_short",
    "course_not_completed",
    "notice_missing",
    "notice_order",
    "notice_short",
    "meeting_unknown",
    "vote_missing",
    "no_voters",
    "vote_numbers",
    "no_quorum",
    "not_passed",
)
PERSON_CODES = ("invalid", "role", "not_active", "self", "not_full_member", "duplicate", "too_many")
ADVANCE_CODES = ("not_active", "last_stage", "stage_open")
REPORT_CODES = ("invalid", "kind", "not_active", "not_activist", "future_date", "conflict", "required")


class ApplicationIn(Schema):
    organization: ObjectId = Field(..., description="党支部 id")
    name: Annotated[str, text(30, min_length=1)]
    gender: str = Field(..., description="male 男 / female 女")
    birth_date: date | None = Field(None, description="出生日期（缺省时按公民身份号码）")
    education: str = Field(..., description="学历代码，同党员信息")
    phone: Annotated[str, text(11)]
    id_number: Annotated[str, text(18)]
    applied_on: date
    ethnicity: Annotated[str, text(2)] = "01"
    job_title: Short = ""
    resident_unit: ObjectId | None = Field(None, description="工作单位（入驻单位）id")


class StepIn(Schema):
    done_on: date = Field(..., description="办理日期（关联支部党员大会时取会议日期）")
    note: Note = ""
    entitled: int | None = Field(None, ge=0, le=100000, description="应到会有表决权人数")
    present: int | None = Field(None, ge=0, le=100000, description="实到会有表决权人数")
    votes_for: int | None = Field(None, ge=0, le=100000, description="赞成人数")
    training_days: int | None = Field(None, ge=0, le=365)
    training_hours: int | None = Field(None, ge=0, le=10000)
    notice_from: date | None = None
    notice_until: date | None = None
    meeting: ObjectId | None = Field(None, description="支部党员大会（活动）id：日期与人数取自其台账")
    course: ObjectId | None = Field(None, description="申请人已完成的培训课程 id：学时取自学习记录")


class PersonIn(Schema):
    user: ObjectId = Field(..., description="本支部正式党员的用户 id")
    role: str = Field(..., description="contact 培养联系人 / introducer 入党介绍人")


class ReportIn(Schema):
    kind: str = Field(..., description="evaluation 半年考察 / thought_report 思想汇报")
    filed_on: date
    content: Annotated[str, text(2000, min_length=1)]


@router.post(
    "/candidates",
    response=write_responses({201: CandidateDetailOut}, APPLICATION_CODES),
    url_name="development_candidate_create",
    summary="登记入党申请",
    description="党支部书记、委员，或其站点的站点管理员、党务工作者登记；他人的党组织 404。",
)
def development_candidate_create(request: HttpRequest, payload: ApplicationIn) -> Status:
    organization = selectors.access_organization(user=request.user, pk=payload.organization)
    unit = payload.resident_unit
    if unit is not None and not selectors.unit_of_station(unit, organization.station_id):
        raise ApiError(400, "invalid", "工作单位须为该党组织所在站点的入驻单位")
    data = payload.model_dump(exclude={"organization", "resident_unit"})
    candidate = services.candidate_create(
        actor=request.user,
        organization=organization,
        applicant=services.Applicant(**data, resident_unit_id=unit),
    )
    return Status(201, development_candidate(request, candidate.pk))


@router.post(
    "/candidates/{candidate_id}/steps/{step}",
    response=write_responses({201: StepOut}, STEP_CODES),
    url_name="development_step_complete",
    summary="办理发展步骤",
    description="步骤 key 见详情的 steps；早于规定的最早日期 400 `too_early`，晚于硬性期限 400 `too_late`，"
    "支部大会不足法定人数 400 `no_quorum`、未过半数 400 `not_passed`，集中培训不足 400 `training_short`。",
)
def development_step_complete(
    request: HttpRequest, candidate_id: ObjectId, step: str, payload: StepIn
) -> Status:
    candidate = selectors.access_candidate(user=request.user, pk=candidate_id)
    data = payload.model_dump(exclude={"meeting", "course"})
    services.step_complete(
        actor=request.user,
        candidate=candidate,
        step=step,
        data=services.StepInput(**data, meeting_id=payload.meeting, course_id=payload.course),
    )
    done = selectors.access_candidate(user=request.user, pk=candidate_id)
    return Status(201, step_out(selectors.pipeline_of(done).state_of(step)))


@router.post(
    "/candidates/{candidate_id}/people",
    response=write_responses({201: CandidateDetailOut}, PERSON_CODES),
    url_name="development_person_assign",
    summary="指定培养联系人或入党介绍人",
)
def development_person_assign(request: HttpRequest, candidate_id: ObjectId, payload: PersonIn) -> Status:
    candidate = selectors.access_candidate(user=request.user, pk=candidate_id)
    if payload.user not in {pk for pk, _ in selectors.member_choices(candidate.organization)}:
        raise ApiError(400, "not_full_member", "请选择本支部的正式党员")
    services.person_assign(
        actor=request.user, candidate=candidate, user=selectors.chosen_person(payload.user), role=payload.role
    )
    return Status(201, development_candidate(request, candidate.pk))


@router.post(
    "/candidates/{candidate_id}/advance",
    response=write_responses({200: CandidateDetailOut}, ADVANCE_CODES),
    url_name="development_stage_advance",
    summary="进入下一阶段",
)
def development_stage_advance(request: HttpRequest, candidate_id: ObjectId) -> dict[str, Any]:
    candidate = selectors.access_candidate(user=request.user, pk=candidate_id)
    services.stage_advance(actor=request.user, candidate=candidate)
    return development_candidate(request, candidate.pk)


@router.post(
    "/candidates/{candidate_id}/reports",
    response=write_responses({201: CandidateDetailOut}, REPORT_CODES),
    url_name="development_report_file",
    summary="填写半年考察或思想汇报",
    description="培养联系人（或本支部书记、委员）填写；同一期次已填写 400 `conflict`。",
)
def development_report_file(request: HttpRequest, candidate_id: ObjectId, payload: ReportIn) -> Status:
    candidate = selectors.access_reportable_candidate(user=request.user, pk=candidate_id)
    services.report_file(actor=request.user, candidate=candidate, **payload.model_dump())
    return Status(201, {**candidate_fields(candidate), **_steps_of(candidate)})


def _steps_of(candidate: Candidate) -> dict[str, Any]:
    pipeline = selectors.pipeline_of(candidate)
    return {
        "steps": [step_out(state) for state in pipeline.steps],
        "overdue": [state.step.key for state in pipeline.overdue],
    }
