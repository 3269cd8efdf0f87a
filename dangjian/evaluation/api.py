"""JSON API of service evaluation (DB3212/T 1124 §10.1.1, §5.2).

- My satisfaction surveys waiting for an answer, and the answer (1–5 and a comment; one per person and
  occasion: a second answer is 409 `duplicate`).
- The four indicators of a station for a period (`2026-Q1`, `2026-03`, `2026`): each with numerator,
  denominator and the rate in percent (`null` when the denominator is zero — never 0).
- Voting in a questionnaire (投票问卷): one ballot per person (409 `duplicate`), only while it is open
  (400 `not_open`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from dangjian.core.api_errors import ApiError, service_error_code
from dangjian.core.api_schemas import ObjectId, local, paginated, text, with_errors, write_responses
from dangjian.evaluation import selectors, services
from dangjian.evaluation.indicators import Period
from dangjian.evaluation.models import SatisfactionInvitation

router = Router(tags=["服务评价与改进"])


def _refusal(error: ValidationError) -> ApiError | None:
    """`duplicate` answers 409; every other refusal keeps its code with 400 (the default handler)."""
    code = service_error_code(error)
    if code != "duplicate":
        return None
    return ApiError(409, code, "；".join(dict.fromkeys(error.messages)))


class InvitationOut(Schema):
    id: int
    occasion_kind: str
    occasion_kind_label: str
    title: str = Field(..., alias="occasion_title")
    station: dict[str, Any] | None
    occurred_at: datetime | None

    @staticmethod
    def resolve_occasion_kind_label(obj: SatisfactionInvitation) -> str:
        return obj.get_occasion_kind_display()

    @staticmethod
    def resolve_station(obj: SatisfactionInvitation) -> dict[str, Any]:
        return {"id": obj.station_id, "name": obj.station.name}

    @staticmethod
    def resolve_occurred_at(obj: SatisfactionInvitation) -> datetime | None:
        return local(obj.occurred_at)


@router.get(
    "/surveys/pending",
    response=with_errors({200: list[InvitationOut]}, 401, 422),
    url_name="evaluation_pending_surveys",
    summary="我的待评价",
)
@paginated
def pending_surveys(request: HttpRequest) -> QuerySet[SatisfactionInvitation]:
    return selectors.pending_surveys_for(user=request.user).order_by("-occurred_at", "-id")


class AnswerIn(Schema):
    score: int = Field(..., ge=1, le=5, description="满意度 1–5（4、5 为满意）")
    comment: Annotated[str, text(500)] = Field("", description="意见和建议（可选，不超过 500 字）")


class AnswerOut(Schema):
    invitation_id: int
    score: int
    answered_at: datetime | None


@router.post(
    "/surveys/{int:invitation_id}/answer",
    response=write_responses({201: AnswerOut}, ("invalid", "too_long"), e409=("duplicate",)),
    url_name="evaluation_survey_answer",
    summary="提交满意度评价",
    description="每人每次只能评价一次：重复提交答复 409 `duplicate`。只能评价邀请本人的事项（他人的为 404）。",
)
def survey_answer(request: HttpRequest, invitation_id: ObjectId, payload: AnswerIn) -> Status:
    invitation = selectors.access_invitation(user=request.user, pk=invitation_id)
    try:
        answer = services.survey_answer(
            actor=request.user, invitation=invitation, score=payload.score, comment=payload.comment
        )
    except ValidationError as error:
        raise (_refusal(error) or error) from None
    return Status(
        201, {"invitation_id": invitation.pk, "score": answer.score, "answered_at": local(answer.answered_at)}
    )


class IndicatorQuery(Schema):
    period: Annotated[str, text(10)] = Field(
        ..., description="统计期：2026-03（月）、2026-Q1（季度）或 2026（年）"
    )


class IndicatorOut(Schema):
    code: str
    name: str
    formula: str
    numerator: int
    denominator: int
    percent: Decimal | None = Field(..., description="百分比（一位小数）；分母为零时为 null")


class IndicatorsOut(Schema):
    station: dict[str, Any]
    period: str
    period_label: str
    mean_score: Decimal | None = Field(..., description="平均满意分（两位小数）；没有评价时为 null")
    indicators: list[IndicatorOut]


@router.get(
    "/stations/{int:station_id}/indicators",
    response=with_errors({200: IndicatorsOut}, 401, 404, 422),
    url_name="evaluation_indicators",
    summary="站点的服务评价指标（§10.1.1）",
    description="本站点的工作人员（及总站）可查看。分母为零的指标 `percent` 为 null（页面显示“—”）。",
)
def station_indicators(
    request: HttpRequest, station_id: ObjectId, query: Query[IndicatorQuery]
) -> dict[str, Any]:
    station = selectors.access_indicator_station(user=request.user, pk=station_id)
    period = Period.parse(query.period)
    if period is None:
        raise ApiError(422, "invalid", "统计期格式应为 2026-03、2026-Q1 或 2026")
    report = selectors.station_report(station_id=station.pk, period=period)
    mean = None if report.mean_score is None else Decimal(report.mean_label)
    return {
        "station": {"id": station.pk, "name": station.name},
        "period": period.code,
        "period_label": period.label,
        "mean_score": mean,
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "formula": i.formula,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "percent": i.percent,
            }
            for i in report.indicators
        ],
    }


class VoteIn(Schema):
    choices: dict[ObjectId, list[ObjectId]] = Field(
        default_factory=dict, description="每道选择题的编号 → 所选选项编号（单选题只能选一项）", max_length=50
    )
    texts: dict[ObjectId, Annotated[str, text(500)]] = Field(
        default_factory=dict, description="每道文字题的编号 → 意见（可选）", max_length=50
    )


class VoteOut(Schema):
    questionnaire_id: int
    cast_at: datetime | None


@router.post(
    "/questionnaires/{int:questionnaire_id}/vote",
    response=write_responses({201: VoteOut}, ("not_open", "required", "invalid"), e409=("duplicate",)),
    url_name="evaluation_vote",
    summary="参与投票问卷",
    description="每人限投一次（再次投票 409 `duplicate`）；未开始或已截止 400 `not_open`。",
)
def vote(request: HttpRequest, questionnaire_id: ObjectId, payload: VoteIn) -> Status:
    found = selectors.access_questionnaire(user=request.user, pk=questionnaire_id)
    try:
        ballot = services.ballot_cast(
            actor=request.user, questionnaire=found, choices=payload.choices, texts=payload.texts
        )
    except ValidationError as error:
        raise (_refusal(error) or error) from None
    return Status(201, {"questionnaire_id": found.pk, "cast_at": local(ballot.cast_at)})
