"""Writes of committee elections (换届选举, 《中国共产党基层组织选举工作条例》).

Every service authorises with `actor.has_perm(...)` (PermissionDenied otherwise), locks the election
(`select_for_update`), guards the state along `models.TRANSITIONS` (a Chinese `ValidationError` with the
code `wrong_state`), checks the rules of `rules.py` (each refusal with its own code), records an audit
event and a timeline step, and notifies on commit. When the superior approves the result, the new
committee and term are written by `organizations.services.committee_term_replace`, which keeps the old
term in the organisation's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import OFFICER_ROLES, role_holders
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.core.services import refusal, require_perm
from dangjian.elections import rules, selectors
from dangjian.elections.models import (
    ACTION_LABELS,
    OPEN_STATUSES,
    TRANSITIONS,
    Election,
    ElectionCandidate,
    ElectionEvent,
    ElectionStatus,
)
from dangjian.elections.signals import election_completed
from dangjian.organizations.models import CommitteePosition, PartyOrganization
from dangjian.organizations.services import Seat, committee_term_replace

# a renewal may be requested from this many days before the term ends (or any time after)
REQUEST_WINDOW_DAYS = 180
POSITION_LABELS = dict(CommitteePosition.choices)


def _problem(problem: rules.Problem | None, field: str | None = None) -> None:
    if problem is not None:
        raise refusal(problem.message, problem.code, field)


def _locked(election: Election) -> Election:
    return (
        Election.objects.select_for_update(of=("self",))
        .select_related("organization", "station")
        .get(pk=election.pk)
    )


def _guard(election: Election, action: str) -> str:
    """The state `action` leads to, or the refusal of the current state."""
    sources, target = TRANSITIONS[action]
    if election.status not in sources:
        raise refusal(
            f"该换届选举当前状态为“{election.get_status_display()}”，不能{ACTION_LABELS[action]}",
            "wrong_state",
        )
    return target


def _step(
    election: Election, action: str, actor: Any, note: str = "", data: dict[str, Any] | None = None
) -> None:
    ElectionEvent.objects.create(election=election, action=action, actor=actor, note=note)
    audit = {
        "request": "elections.election.request",
        "approve": "elections.election.approve",
        "refuse": "elections.election.refuse",
        "candidates": "elections.candidates.set",
        "meeting": "elections.meeting.record",
        "report": "elections.result.report",
        "return": "elections.result.return",
        "confirm": "elections.result.confirm",
    }[action]
    record_event(
        actor=actor,
        action=audit,
        target=election,
        station=election.station,
        data={"organization": election.organization_id, "status": election.status, **(data or {})},
    )


def _superiors(election: Election) -> list[Any]:
    return list(role_holders(Role.STATION_ADMIN, station_id=election.station_id))


def _keepers(election: Election) -> list[Any]:
    return [*role_holders(*OFFICER_ROLES, organization_id=election.organization_id), election.requested_by]


def _tell(election: Election, recipients: Iterable[Any], title: str, body: str = "") -> None:
    notify(
        recipients=recipients,
        title=title,
        body=body,
        url=election.get_absolute_url(),
        station=election.station,
    )


# ---------------------------------------------------------------- 换届请示 and its 批复


@dataclass(frozen=True)
class RequestInput:
    seats: int
    positions: tuple[str, ...]
    planned_on: date
    reason: str = ""


def election_request(*, actor: Any, organization: PartyOrganization, data: RequestInput) -> Election:
    """Open a renewal (换届请示) for an organisation whose term ends soon or has ended; the superior (the
    station's admins) is told."""
    require_perm(actor, "elections.request_for", organization, "您不能为该党组织提交换届请示")
    today = timezone.localdate()
    ruleset = rules.rules_on(data.planned_on)
    problems: dict[str, ValidationError] = {}
    positions = tuple(data.positions)
    if any(p not in POSITION_LABELS or p == CommitteePosition.MEMBER for p in positions):
        problems["positions"] = ValidationError("拟设职务不正确", code="positions")
    else:
        found = rules.seats_problem(ruleset, data.seats, positions)
        if found:
            problems["seats" if found.code == "seats" else "positions"] = ValidationError(
                found.message, code=found.code
            )
    if data.planned_on < today:
        problems["planned_on"] = ValidationError("计划选举日期不能早于今天", code="past_date")
    if problems:
        raise ValidationError(problems)
    if organization.term_end and organization.term_end > today + timedelta(days=REQUEST_WINDOW_DAYS):
        raise refusal(
            f"本届任期至{rules.chinese_date(organization.term_end)}届满，届满前 {REQUEST_WINDOW_DAYS} 天内方可提交换届请示",
            "term_not_due",
        )
    try:
        with transaction.atomic():
            locked = PartyOrganization.objects.select_for_update(of=("self",)).get(pk=organization.pk)
            if Election.objects.filter(organization=locked, status__in=OPEN_STATUSES).exists():
                raise refusal("该党组织已有进行中的换届，不能重复请示", "already_open")
            election = Election.objects.create(
                station_id=locked.station_id,
                organization=locked,
                seats=data.seats,
                positions=list(positions),
                planned_on=data.planned_on,
                reason=data.reason.strip(),
                rules_name=ruleset.name,
                requested_by=actor,
            )
            _step(
                election,
                "request",
                actor,
                election.reason,
                {"seats": data.seats, "positions": list(positions)},
            )
            _tell(election, _superiors(election), f"{locked.name}提交了换届请示，请批复")
    except IntegrityError as exc:  # a concurrent request won the partial unique index
        raise refusal("该党组织已有进行中的换届，不能重复请示", "already_open") from exc
    return election


def election_decide(*, actor: Any, election: Election, approve: bool, note: str = "") -> Election:
    """The superior's 批复 of the request: approved (the election is prepared) or refused (closed)."""
    require_perm(actor, "elections.decide", election, "只有上级党组织（站点管理员、总站）可以批复换届请示")
    note = note.strip()
    if not approve and not note:
        raise refusal("不予批准时请填写批复意见", "required", "note")
    action = "approve" if approve else "refuse"
    with transaction.atomic():
        locked = _locked(election)
        locked.status = _guard(locked, action)
        locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        _step(locked, action, actor, note)
        verdict = "同意" if approve else "未批准"
        _tell(locked, _keepers(locked), f"上级{verdict}{locked.organization.name}的换届请示", note)
    return locked


# ---------------------------------------------------------------- 候选人


def candidates_set(*, actor: Any, election: Election, users: Iterable[Any]) -> list[ElectionCandidate]:
    """The candidates (候选人预备人选): full members of the organisation, no fewer than the seats."""
    require_perm(actor, "elections.keep", election)
    chosen = list({user.pk: user for user in users}.values())
    with transaction.atomic():
        locked = _locked(election)
        _guard(locked, "candidates")
        eligible = set(selectors.formal_members(locked.organization_id).values_list("pk", flat=True))
        strangers = [user.display_name for user in chosen if user.pk not in eligible]
        if strangers:
            raise refusal(
                f"候选人须为本组织的正式党员：{'、'.join(strangers)}不符合条件",
                "not_formal_member",
                "candidates",
            )
        _problem(
            rules.candidates_problem(rules.rules_on(timezone.localdate()), locked.seats, len(chosen)),
            "candidates",
        )
        ElectionCandidate.objects.filter(election=locked).delete()
        rows = ElectionCandidate.objects.bulk_create(
            ElectionCandidate(election=locked, user=user, name=user.display_name) for user in chosen
        )
        names = "、".join(row.name for row in rows)
        _step(locked, "candidates", actor, f"候选人：{names}", {"candidates": [u.pk for u in chosen]})
    return rows


# ---------------------------------------------------------------- 选举大会


@dataclass(frozen=True)
class MeetingInput:
    meeting_on: date
    present: int
    ballots_issued: int
    ballots_returned: int
    votes: Mapping[int, int]  # candidate id → votes for


def meeting_record(*, actor: Any, election: Election, data: MeetingInput) -> Election:
    """Record the election meeting and count the votes. Refused (nothing written) when the meeting had no
    quorum, more ballots came back than were issued (选举无效), or nobody was elected."""
    require_perm(actor, "elections.keep", election)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(election)
        target = _guard(locked, "meeting")
        if data.meeting_on > today:
            raise refusal("选举日期不能晚于今天", "future_date", "meeting_on")
        if locked.decided_at and data.meeting_on < timezone.localdate(locked.decided_at):
            raise refusal("选举大会应在上级批复换届请示之后召开", "before_approval", "meeting_on")
        candidates = list(ElectionCandidate.objects.filter(election=locked).order_by("id"))
        ruleset = rules.rules_on(data.meeting_on)
        _problem(rules.candidates_problem(ruleset, locked.seats, len(candidates)))
        if set(data.votes) != {c.pk for c in candidates}:
            raise refusal("请填写每位候选人的得票数", "vote_numbers")
        entitled = selectors.entitled_voters(locked.organization_id, data.meeting_on)
        if entitled is None:
            raise refusal("本组织尚未登记党员名册，无法确定应到会有选举权人数", "no_roster")
        ballot = rules.Ballot(entitled, data.present, data.ballots_issued, data.ballots_returned)
        _problem(rules.meeting_problem(ballot, data.votes, locked.seats))
        tally = rules.count_votes(locked.seats, data.present, data.votes)
        if not tally.elected:
            raise refusal(
                f"没有候选人获得超过实到会有选举权人数一半的赞成票，无人当选，应另行选举。依据：{rules.BASIS}",
                "not_elected",
            )
        for candidate in candidates:
            candidate.votes = data.votes[candidate.pk]
            candidate.elected = candidate.pk in tally.elected
            candidate.tied = candidate.pk in tally.tied
            candidate.position = ""
        ElectionCandidate.objects.bulk_update(candidates, ["votes", "elected", "tied", "position"])
        locked.status = target
        locked.meeting_on, locked.entitled, locked.present = data.meeting_on, entitled, data.present
        locked.ballots_issued, locked.ballots_returned = data.ballots_issued, data.ballots_returned
        locked.undecided_seats = tally.undecided_seats
        locked.rules_name = ruleset.name
        locked.save()
        elected = "、".join(c.name for c in candidates if c.elected)
        note = f"应到 {entitled} 人，实到 {data.present} 人；发出选票 {data.ballots_issued} 张，收回 {data.ballots_returned} 张；当选：{elected}"
        if tally.undecided_seats:
            note += f"；{tally.undecided_seats} 个席位需另行选举"
        _step(locked, "meeting", actor, note, {"votes": {str(k): v for k, v in data.votes.items()}})
    return locked


# ---------------------------------------------------------------- 选举结果报告 and its 批复


def result_report(*, actor: Any, election: Election, positions: Mapping[int, str]) -> Election:
    """Report the result with each elected member's position (分工); one of them is the secretary."""
    require_perm(actor, "elections.keep", election)
    with transaction.atomic():
        locked = _locked(election)
        target = _guard(locked, "report")
        candidates = {c.pk: c for c in ElectionCandidate.objects.filter(election=locked)}
        elected = {pk for pk, c in candidates.items() if c.elected}
        strangers = [
            candidates[pk].name if pk in candidates else str(pk) for pk in positions if pk not in elected
        ]
        if strangers:
            raise refusal(f"只能为当选人员确定分工：{'、'.join(strangers)}未当选", "not_elected")
        if set(positions) != elected:
            raise refusal("请为每位当选人员确定分工", "positions")
        named = [p for p in positions.values() if p != CommitteePosition.MEMBER]
        if any(p not in POSITION_LABELS for p in positions.values()):
            raise refusal("分工不正确", "positions")
        if named.count(CommitteePosition.SECRETARY) != 1:
            raise refusal("当选人员中须确定一名书记", "no_secretary")
        if len(named) != len(set(named)):
            raise refusal("同一职务只能由一人担任（委员除外）", "positions")
        unplanned = [POSITION_LABELS[p] for p in named if p not in locked.positions]
        if unplanned:
            raise refusal(f"分工须为换届请示中拟设的职务：{'、'.join(unplanned)}未在拟设之列", "positions")
        for pk, candidate in candidates.items():
            candidate.position = positions.get(pk, "")
        ElectionCandidate.objects.bulk_update(list(candidates.values()), ["position"])
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        summary = "；".join(f"{POSITION_LABELS[p]}：{candidates[pk].name}" for pk, p in positions.items())
        _step(locked, "report", actor, summary, {"positions": {str(k): v for k, v in positions.items()}})
        _tell(locked, _superiors(locked), f"{locked.organization.name}报告了换届选举结果，请批复")
    return locked


def result_decide(*, actor: Any, election: Election, approve: bool, note: str = "") -> Election:
    """The superior's 批复 of the result. Approved: the new committee (elected members with their
    positions, the secretary) and term (from the meeting day, 5 years for a 党委, 3 for a branch) replace
    the organisation's, the old term is kept in its history. Returned: back to the officers."""
    require_perm(actor, "elections.decide", election, "只有上级党组织（站点管理员、总站）可以批复选举结果")
    note = note.strip()
    if not approve and not note:
        raise refusal("退回时请填写批复意见", "required", "note")
    with transaction.atomic():
        locked = _locked(election)
        if not approve:
            locked.status = _guard(locked, "return")
            locked.save(update_fields=["status", "updated_at"])
            _step(locked, "return", actor, note)
            _tell(locked, _keepers(locked), f"{locked.organization.name}的换届选举结果报告被退回", note)
            return locked
        locked.status = _guard(locked, "confirm")
        assert locked.meeting_on is not None  # a reported election had its meeting
        ruleset = rules.rules_on(locked.meeting_on)
        start = locked.meeting_on
        end = rules.term_end(ruleset, locked.organization.kind, start)
        seats = [
            Seat(user=c.user, position=c.position)
            for c in ElectionCandidate.objects.filter(election=locked, elected=True).select_related("user")
        ]
        committee_term_replace(
            organization=locked.organization,
            actor=actor,
            seats=seats,
            term_start=start,
            term_end=end,
            source_election=locked,
        )
        locked.confirmed_by, locked.confirmed_at = actor, timezone.now()
        locked.term_start, locked.term_end = start, end
        locked.save(
            update_fields=["status", "confirmed_by", "confirmed_at", "term_start", "term_end", "updated_at"]
        )
        _step(
            locked,
            "confirm",
            actor,
            note or f"新一届任期自{rules.chinese_date(start)}至{rules.chinese_date(end)}",
            {"term": [start.isoformat(), end.isoformat()]},
        )
        _tell(
            locked,
            _keepers(locked),
            f"上级批复了{locked.organization.name}的换届选举结果",
            f"新一届任期自{rules.chinese_date(start)}至{rules.chinese_date(end)}。",
        )
        transaction.on_commit(lambda: election_completed.send(sender=Election, election=locked, actor=actor))
    return locked


__all__ = [
    "ElectionStatus",
    "MeetingInput",
    "RequestInput",
    "candidates_set",
    "election_decide",
    "election_request",
    "meeting_record",
    "result_decide",
    "result_report",
]
