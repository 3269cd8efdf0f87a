"""JSON API of committee elections (换届选举). The organisation's secretary and officers, the station's
admins and workers and HQ read the elections they keep; they request a renewal, list the candidates,
record the meeting and report the result; the superior (the station's admins, HQ) decides the request and
the result. Anyone else gets 404. A service's refusal answers 400 with its code (`no_quorum`,
`ballots_exceed`, `not_elected`, `too_few_candidates`, `wrong_state`…).

- `GET /elections/`: the elections the caller keeps (`?status=`, `?organization=`);
- `GET /elections/{id}`: one election with its candidates, votes and timeline;
- `POST /elections/`: a renewal request; `POST /elections/{id}/decide`: the superior's decision;
- `POST /elections/{id}/candidates`, `/meeting`, `/result`; `POST /elections/{id}/result/decide`.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from dangjian.core.api_errors import ApiError
from dangjian.core.api_schemas import ObjectId, local, paginated, text, with_errors, write_responses
from dangjian.elections import selectors, services
from dangjian.elections.models import Election, ElectionStatus
from dangjian.organizations.models import CommitteePosition

router = Router(tags=["换届选举"])

REQUEST_CODES = ("invalid", "seats", "positions", "no_secretary", "past_date", "term_not_due", "already_open")
DECIDE_CODES = ("wrong_state", "required")
CANDIDATE_CODES = ("wrong_state", "too_few_candidates", "not_formal_member")
MEETING_CODES = (
    "wrong_state",
    "too_few_candidates",
    "no_quorum",
    "ballots_exceed",
    "not_elected",
    "vote_numbers",
    "no_voters",
    "no_roster",
    "future_date",
    "before_approval",
)
RESULT_CODES = ("wrong_state", "not_elected", "positions", "no_secretary")
CONFIRM_CODES = ("wrong_state", "required", "no_secretary", "duplicate", "term_order")


class Ref(Schema):
    id: int
    name: str


class CandidateOut(Schema):
    id: int
    user_id: int
    name: str
    votes: int | None
    elected: bool
    tied: bool = Field(..., description="末位票数相同，未当选，需另行选举")
    position: str = Field(..., description="分工（当选后），如 secretary 书记")
    position_label: str

    @staticmethod
    def resolve_position_label(obj: Any) -> str:
        return obj.get_position_display() if obj.position else ""


class EventOut(Schema):
    action: str
    label: str
    actor: str
    at: datetime
    note: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor.display_name)

    @staticmethod
    def resolve_at(obj: Any) -> datetime | None:
        return local(obj.at)


class ElectionOut(Schema):
    id: int
    organization: Ref
    station: Ref
    status: str
    status_label: str
    seats: int
    positions: list[str]
    planned_on: date
    meeting_on: date | None
    term_start: date | None
    term_end: date | None

    @staticmethod
    def resolve_status_label(obj: Election) -> str:
        return obj.get_status_display()


class ElectionDetailOut(ElectionOut):
    reason: str
    decision_note: str
    entitled: int | None
    present: int | None
    ballots_issued: int | None
    ballots_returned: int | None
    undecided_seats: int
    candidates: list[CandidateOut]
    events: list[EventOut]


class ElectionFilter(Schema):
    status: ElectionStatus | None = Field(None, description="状态")
    organization: ObjectId | None = Field(None, description="党组织 id")


# the positions of CommitteePosition (checked against it below)
NamedPosition = Literal["secretary", "deputy", "organization", "publicity", "discipline"]
Position = Literal["secretary", "deputy", "organization", "publicity", "discipline", "member"]
assert set(get_args(Position)) == set(CommitteePosition.values)
Count = Annotated[int, Field(ge=0, le=100000)]


class RequestIn(Schema):
    organization: ObjectId
    seats: int = Field(..., ge=1, le=31, description="应选委员人数")
    positions: list[NamedPosition] = Field(..., max_length=10, description="拟设职务（其余席位为委员）")
    planned_on: date
    reason: Annotated[str, text(1000)] = ""


class DecisionIn(Schema):
    approve: bool
    note: Annotated[str, text(1000)] = ""


class CandidatesIn(Schema):
    candidates: list[ObjectId] = Field(..., min_length=1, max_length=200, description="候选人的用户 id")


class VoteIn(Schema):
    candidate: ObjectId
    votes: Count


class MeetingIn(Schema):
    meeting_on: date
    present: Count
    ballots_issued: Count
    ballots_returned: Count
    votes: list[VoteIn] = Field(..., max_length=200)


class PositionIn(Schema):
    candidate: ObjectId
    position: Position


class ResultIn(Schema):
    positions: list[PositionIn] = Field(..., max_length=200)


def election_out(election: Election) -> Election:
    """The election as it now is, with its candidates and timeline (two further queries)."""
    fresh = selectors.with_details(
        Election.objects.filter(pk=election.pk).select_related(*selectors.ELECTION_RELATED)
    )
    return fresh.first() or election


@router.get(
    "/",
    response=with_errors({200: list[ElectionOut]}, 401, 422),
    url_name="elections_list",
    summary="换届选举列表",
    description="本组织书记、委员，所在站点的站点管理员、党务工作者及总站可查看。",
)
@paginated
def elections_list(request: HttpRequest, filters: Query[ElectionFilter]) -> QuerySet[Election]:
    elections = selectors.visible_elections(request.user)
    if filters.status:
        elections = elections.filter(status=filters.status)
    if filters.organization:
        elections = elections.filter(organization_id=filters.organization)
    return elections


@router.post(
    "/",
    response=write_responses({201: ElectionDetailOut}, REQUEST_CODES),
    url_name="elections_request",
    summary="提交换届请示",
    description="党组织书记、委员或站点工作人员为任期届满（或即将届满）的党组织提交换届请示。",
)
def elections_request(request: HttpRequest, payload: RequestIn) -> Status:
    organization = selectors.access_organization(user=request.user, pk=payload.organization)
    election = services.election_request(
        actor=request.user,
        organization=organization,
        data=services.RequestInput(
            seats=payload.seats,
            positions=tuple(payload.positions),
            planned_on=payload.planned_on,
            reason=payload.reason,
        ),
    )
    return Status(201, election_out(election))


@router.get(
    "/{election_id}",
    response=with_errors({200: ElectionDetailOut}, 401, 404, 422),
    url_name="elections_detail",
    summary="换届选举详情（候选人、得票与办理进程）",
)
def elections_detail(request: HttpRequest, election_id: ObjectId) -> Election:
    return election_out(selectors.access_election(user=request.user, pk=election_id))


@router.post(
    "/{election_id}/decide",
    response=write_responses({200: ElectionDetailOut}, DECIDE_CODES),
    url_name="elections_decide",
    summary="批复换届请示",
    description="上级党组织（站点管理员、总站）批复；不予批准时须填写批复意见。",
)
def elections_decide(request: HttpRequest, election_id: ObjectId, payload: DecisionIn) -> Election:
    election = selectors.access_election(user=request.user, pk=election_id)
    services.election_decide(
        actor=request.user, election=election, approve=payload.approve, note=payload.note
    )
    return election_out(election)


@router.post(
    "/{election_id}/candidates",
    response=write_responses({200: ElectionDetailOut}, CANDIDATE_CODES),
    url_name="elections_candidates",
    summary="确定候选人",
    description="候选人须为本组织的正式党员，人数不少于应选人数（可差额）。",
)
def elections_candidates(request: HttpRequest, election_id: ObjectId, payload: CandidatesIn) -> Election:
    election = selectors.access_election(user=request.user, pk=election_id)
    wanted = set(payload.candidates)
    users = list(selectors.formal_members(election.organization_id).filter(pk__in=sorted(wanted)))
    if len(users) != len(wanted):
        if not request.user.has_perm("elections.keep", election):
            raise ApiError(403, "forbidden", "您无权办理该事项")
        raise ApiError(400, "not_formal_member", "候选人须为本组织的正式党员")
    services.candidates_set(actor=request.user, election=election, users=users)
    return election_out(election)


@router.post(
    "/{election_id}/meeting",
    response=write_responses({200: ElectionDetailOut}, MEETING_CODES),
    url_name="elections_meeting",
    summary="记录选举大会和计票结果",
    description="到会人数须超过应到会人数的半数（`no_quorum`）；收回选票多于发出选票则选举无效（`ballots_exceed`）；"
    "赞成票超过实到会有选举权人数一半方可当选，多于应选人数时按得票多少，末位票数相同的另行选举。",
)
def elections_meeting(request: HttpRequest, election_id: ObjectId, payload: MeetingIn) -> Election:
    election = selectors.access_election(user=request.user, pk=election_id)
    services.meeting_record(
        actor=request.user,
        election=election,
        data=services.MeetingInput(
            meeting_on=payload.meeting_on,
            present=payload.present,
            ballots_issued=payload.ballots_issued,
            ballots_returned=payload.ballots_returned,
            votes={vote.candidate: vote.votes for vote in payload.votes},
        ),
    )
    return election_out(election)


@router.post(
    "/{election_id}/result",
    response=write_responses({200: ElectionDetailOut}, RESULT_CODES),
    url_name="elections_result",
    summary="报告选举结果（当选人员分工）",
)
def elections_result(request: HttpRequest, election_id: ObjectId, payload: ResultIn) -> Election:
    election = selectors.access_election(user=request.user, pk=election_id)
    services.result_report(
        actor=request.user, election=election, positions={p.candidate: p.position for p in payload.positions}
    )
    return election_out(election)


@router.post(
    "/{election_id}/result/decide",
    response=write_responses({200: ElectionDetailOut}, CONFIRM_CODES),
    url_name="elections_result_decide",
    summary="批复选举结果",
    description="同意后，新一届班子和任期（党委 5 年，总支、支部 3 年，自选举之日起）登记到党组织，原班子存入历届记录；"
    "退回时须填写批复意见。",
)
def elections_result_decide(request: HttpRequest, election_id: ObjectId, payload: DecisionIn) -> Election:
    election = selectors.access_election(user=request.user, pk=election_id)
    services.result_decide(actor=request.user, election=election, approve=payload.approve, note=payload.note)
    return election_out(election)
