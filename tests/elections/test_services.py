"""The services: every refused transition, the rules at the meeting, and the approved result writing the
new committee and term while keeping the old one in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.models import AuditEvent, Notification
from dangjian.elections import services
from dangjian.elections.models import ElectionStatus
from dangjian.elections.rules import add_years
from dangjian.organizations.models import CommitteeMember, CommitteeTerm
from tests.elections import builders as b
from tests.elections.builders import P, today

pytestmark = pytest.mark.django_db(transaction=False)


def _audited(action: str) -> bool:
    with scopes_disabled():
        return AuditEvent.objects.filter(action=action).exists()


def _code(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return next(e.code for errors in error.error_dict.values() for e in errors)
    return str(error.code or error.error_list[0].code)


def test_the_secretary_requests_and_the_station_is_told(el, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        election = b.request(el.a)
    assert election.status == ElectionStatus.REQUESTED
    assert election.station_id == el.a.station.pk
    assert Notification.objects.filter(recipient=el.admin_a).exists()
    assert _audited("elections.election.request")


def test_a_request_far_before_the_term_ends_is_refused(el) -> None:
    el.a.organization.term_end = today() + timedelta(days=400)
    el.a.organization.save()
    with pytest.raises(ValidationError) as excinfo:
        b.request(el.a)
    assert _code(excinfo) == "term_not_due"


def test_a_second_open_request_is_refused(el) -> None:
    b.request(el.a)
    with pytest.raises(ValidationError) as excinfo:
        b.request(el.a)
    assert _code(excinfo) == "already_open"


@pytest.mark.parametrize(
    ("more", "code"),
    [
        ({"positions": ("organization",)}, "no_secretary"),
        ({"seats": 1, "positions": ("secretary", "deputy")}, "positions"),
        ({"planned_on": today() - timedelta(days=1)}, "past_date"),
        ({"positions": ("secretary", "member")}, "positions"),
    ],
)
def test_a_wrong_request_is_refused(el, more, code) -> None:
    with pytest.raises(ValidationError) as excinfo:
        b.request(el.a, **more)
    assert _code(excinfo) == code


def test_another_station_or_organisation_may_not_request(el) -> None:
    for actor in (el.admin_b, el.worker_b, el.other_officer, el.b.secretary):
        with pytest.raises(PermissionDenied):
            b.request(el.a, actor=actor)
    assert b.request(el.a, actor=el.worker_a).requested_by == el.worker_a


def test_only_the_superior_decides(el) -> None:
    election = b.request(el.a)
    for actor in (el.a.secretary, el.worker_a, el.admin_b, el.other_officer):
        with pytest.raises(PermissionDenied):
            services.election_decide(actor=actor, election=election, approve=True)
    services.election_decide(actor=el.hq_admin, election=election, approve=True)
    election.refresh_from_db()
    assert election.status == ElectionStatus.APPROVED and election.decided_by == el.hq_admin


def test_a_refusal_needs_a_note_and_closes(el) -> None:
    election = b.request(el.a)
    with pytest.raises(ValidationError) as excinfo:
        services.election_decide(actor=el.admin_a, election=election, approve=False)
    assert _code(excinfo) == "required"
    services.election_decide(
        actor=el.admin_a, election=election, approve=False, note="请先完成党员组织关系排查"
    )
    election.refresh_from_db()
    assert election.status == ElectionStatus.REFUSED
    with pytest.raises(ValidationError) as excinfo:
        services.election_decide(actor=el.admin_a, election=election, approve=True)
    assert _code(excinfo) == "wrong_state"
    assert b.request(el.a).status == ElectionStatus.REQUESTED  # a refused one no longer blocks a new request


def test_every_step_out_of_order_is_wrong_state(el) -> None:
    election = b.request(el.a)
    admin, secretary = el.admin_a, el.a.secretary
    refused = [
        lambda: services.candidates_set(actor=secretary, election=election, users=el.a.members[:3]),
        lambda: services.meeting_record(
            actor=secretary,
            election=election,
            data=services.MeetingInput(today(), 8, 8, 8, {}),
        ),
        lambda: services.result_report(actor=secretary, election=election, positions={}),
        lambda: services.result_decide(actor=admin, election=election, approve=True),
        lambda: services.result_decide(actor=admin, election=election, approve=False, note="退回"),
    ]
    for attempt in refused:
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert _code(excinfo) == "wrong_state"
    done = b.reported(el.b, el.admin_b)
    with pytest.raises(ValidationError) as excinfo:
        services.election_decide(actor=el.admin_b, election=done, approve=True)
    assert _code(excinfo) == "wrong_state"
    with pytest.raises(ValidationError) as excinfo:
        services.candidates_set(actor=el.b.secretary, election=done, users=el.b.members[:3])
    assert _code(excinfo) == "wrong_state"


def test_candidates_are_formal_members_and_no_fewer_than_the_seats(el) -> None:
    election = b.approved(el.a, el.admin_a)
    with pytest.raises(ValidationError) as excinfo:
        services.candidates_set(actor=el.a.secretary, election=election, users=el.a.members[:2])
    assert _code(excinfo) == "too_few_candidates"
    with pytest.raises(ValidationError) as excinfo:
        services.candidates_set(
            actor=el.a.secretary, election=election, users=[*el.a.members[:3], el.a.probationary[0]]
        )
    assert _code(excinfo) == "not_formal_member"
    with pytest.raises(ValidationError) as excinfo:
        services.candidates_set(
            actor=el.a.secretary, election=election, users=[*el.a.members[:3], el.b.members[1]]
        )
    assert _code(excinfo) == "not_formal_member"
    rows = services.candidates_set(actor=el.a.secretary, election=election, users=el.a.members[:3])  # 等额
    assert len(rows) == 3
    rows = services.candidates_set(actor=el.a.secretary, election=election, users=el.a.members[:5])  # 差额
    assert len(b.candidates(election)) == 5


@pytest.mark.parametrize(
    ("present", "issued", "returned", "votes", "code"),
    [
        (4, 4, 4, [4, 4, 4, 4], "no_quorum"),  # 9 entitled: 4 is not more than half
        (8, 8, 9, [8, 7, 6, 2], "ballots_exceed"),
        (8, 8, 8, [4, 4, 4, 4], "not_elected"),  # exactly half of those present
        (8, 9, 9, [8, 7, 6, 2], "vote_numbers"),  # more ballots than people present
        (10, 10, 10, [8, 7, 6, 2], "vote_numbers"),  # more present than entitled
    ],
)
def test_the_meeting_is_refused_and_nothing_written(el, present, issued, returned, votes, code) -> None:
    election = b.with_candidates(el.a, el.admin_a)
    data = b.meeting_input(election, votes, present=present, issued=issued, returned=returned)
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_record(actor=el.a.secretary, election=election, data=data)
    assert _code(excinfo) == code
    election.refresh_from_db()
    assert election.status == ElectionStatus.APPROVED and election.meeting_on is None
    assert all(c.votes is None for c in b.candidates(election))


def test_a_meeting_in_the_future_or_with_missing_votes_is_refused(el) -> None:
    election = b.with_candidates(el.a, el.admin_a)
    future = b.meeting_input(election, [8, 7, 6, 2], on=today() + timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_record(actor=el.a.secretary, election=election, data=future)
    assert _code(excinfo) == "future_date"
    partial = b.meeting_input(election, [8, 7, 6, 2])
    partial = services.MeetingInput(**{**partial.__dict__, "votes": dict(list(partial.votes.items())[:3])})
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_record(actor=el.a.secretary, election=election, data=partial)
    assert _code(excinfo) == "vote_numbers"


def test_the_meeting_counts_the_votes_from_the_roster(el) -> None:
    election = b.voted(el.a, el.admin_a, votes=(8, 7, 6, 2))
    assert election.status == ElectionStatus.VOTED
    assert election.entitled == 9  # the 9 full members; the probationary member has no vote
    assert [c.elected for c in b.candidates(election)] == [True, True, True, False]
    assert election.undecided_seats == 0


def test_a_tie_at_the_last_seat_is_recorded_as_undecided(el) -> None:
    election = b.voted(el.a, el.admin_a, votes=(7, 6, 5, 5))
    assert [(c.elected, c.tied) for c in b.candidates(election)] == [
        (True, False),
        (True, False),
        (False, True),
        (False, True),
    ]
    assert election.undecided_seats == 1


def test_the_result_report_needs_a_secretary_among_the_elected(el) -> None:
    election = b.voted(el.a, el.admin_a)
    rows = b.candidates(election)
    elected, loser = [c for c in rows if c.elected], next(c for c in rows if not c.elected)
    cases = [
        ({c.pk: P.MEMBER for c in elected}, "no_secretary"),
        ({**{c.pk: P.MEMBER for c in elected}, loser.pk: P.SECRETARY}, "not_elected"),
        ({elected[0].pk: P.SECRETARY}, "positions"),  # every elected member needs a position
        ({elected[0].pk: P.SECRETARY, elected[1].pk: P.SECRETARY, elected[2].pk: P.MEMBER}, "no_secretary"),
        (
            {elected[0].pk: P.SECRETARY, elected[1].pk: P.DEPUTY, elected[2].pk: P.MEMBER},
            "positions",
        ),  # not planned
    ]
    for positions, code in cases:
        with pytest.raises(ValidationError) as excinfo:
            services.result_report(actor=el.a.secretary, election=election, positions=positions)
        assert _code(excinfo) == code, positions


def test_the_approved_result_writes_the_committee_and_keeps_the_history(
    el, django_capture_on_commit_callbacks
) -> None:
    organization = el.a.organization
    old_start, old_end = organization.term_start, organization.term_end
    election = b.reported(el.a, el.admin_a)
    elected = [c for c in b.candidates(election) if c.elected]
    with django_capture_on_commit_callbacks(execute=True):
        services.result_decide(actor=el.admin_a, election=election, approve=True)
    election.refresh_from_db()
    organization.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED
    assert organization.term_start == today()
    assert organization.term_end == add_years(today(), 3)  # a branch: 3 years
    assert organization.secretary_id == elected[0].user_id
    committee = {m.user_id: m.position for m in CommitteeMember.objects.filter(organization=organization)}
    assert committee == {
        elected[0].user_id: P.SECRETARY,
        elected[1].user_id: P.ORGANIZATION,
        elected[2].user_id: P.MEMBER,
    }
    roles = set(
        RoleAssignment.objects.filter(
            organization=organization, role__in=(Role.ORG_SECRETARY, Role.ORG_OFFICER)
        ).values_list("user_id", "role")
    )
    assert roles == {
        (elected[0].user_id, Role.ORG_SECRETARY),
        (elected[1].user_id, Role.ORG_OFFICER),
        (elected[2].user_id, Role.ORG_OFFICER),
    }  # the officer roles follow the new committee; the old secretary's, if not re-elected, is gone
    past = CommitteeTerm.objects.get(organization=organization)
    assert (past.term_start, past.term_end, past.ended_on) == (old_start, old_end, today())
    assert past.source_election == election
    assert [m["position"] for m in past.members] == [P.SECRETARY, P.ORGANIZATION]
    assert past.members[0]["name"] == el.a.secretary.display_name and past.secretary_name
    assert _audited("organizations.term.replace")
    assert _audited("elections.result.confirm")
    assert Notification.objects.filter(recipient=el.a.secretary).exists()
    with pytest.raises(ValidationError) as excinfo:
        services.result_decide(actor=el.admin_a, election=election, approve=True)
    assert _code(excinfo) == "wrong_state"


def test_a_committee_gets_five_years(el) -> None:
    branch = b.make_branch(el.a.station, kind="committee", name="万达广场商业管理有限公司党委")
    election = b.reported(branch, el.admin_a)
    services.result_decide(actor=el.hq_admin, election=election, approve=True)
    branch.organization.refresh_from_db()
    assert branch.organization.term_end == add_years(today(), 5)


def test_a_returned_result_goes_back_to_the_officers(el) -> None:
    election = b.reported(el.a, el.admin_a)
    with pytest.raises(ValidationError) as excinfo:
        services.result_decide(actor=el.admin_a, election=election, approve=False)
    assert _code(excinfo) == "required"
    with pytest.raises(PermissionDenied):
        services.result_decide(actor=el.a.secretary, election=election, approve=True)
    services.result_decide(actor=el.admin_a, election=election, approve=False, note="分工需重新研究")
    election.refresh_from_db()
    assert election.status == ElectionStatus.VOTED
    assert not CommitteeTerm.objects.exists()


def test_the_term_replace_service_guards_itself(el) -> None:
    from dangjian.organizations.services import Seat, committee_term_replace

    organization = el.a.organization
    start = today()
    with pytest.raises(PermissionDenied):
        committee_term_replace(
            organization=organization, actor=el.admin_b, seats=[], term_start=start, term_end=start
        )
    seats = [Seat(el.a.members[1], P.MEMBER)]
    with pytest.raises(ValidationError):
        committee_term_replace(
            organization=organization, actor=el.admin_a, seats=seats, term_start=start, term_end=start
        )
    seats = [Seat(el.a.members[1], P.SECRETARY)]
    with pytest.raises(ValidationError):
        committee_term_replace(
            organization=organization,
            actor=el.admin_a,
            seats=seats,
            term_start=organization.term_start - timedelta(days=1),
            term_end=start,
        )
    assert not CommitteeTerm.objects.exists()
