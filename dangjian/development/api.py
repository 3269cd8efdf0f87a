"""JSON API of the development pipeline (发展党员). ID numbers are always masked; only the birth year is
given. Officers (the organisation's secretary and officers, the station's admins and workers, HQ) read
the candidates and their 25 steps; an applicant reads their own progress. Anyone else gets 404.

- `GET /development/candidates`: the candidates the caller keeps (`?stage=`, `?organization=`);
- `GET /development/candidates/{id}`: one candidate with the state of each step (done, open with its due
  date, blocked with the reason and the earliest date);
- `GET /development/me`: the caller's own applications.
"""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dangjian.core.api_schemas import ObjectId, paginated, with_errors
from dangjian.development import selectors
from dangjian.development.models import Candidate
from dangjian.development.timers import StepState

router = Router(tags=["发展党员与换届"])


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
    pipeline = selectors.pipeline_of(candidate)
    return {
        **candidate_fields(candidate),
        "steps": [step_out(state) for state in pipeline.steps],
        "overdue": [state.step.key for state in pipeline.overdue],
    }


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
