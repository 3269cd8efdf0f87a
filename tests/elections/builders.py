"""Builders of the elections tests: a branch with a roster whose term ends soon, and elections walked
along the pipeline by the services on days relative to today's local (Asia/Shanghai) day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import PersonKind, Role, User
from dangjian.elections import services
from dangjian.elections.models import Election, ElectionCandidate
from dangjian.members.models import Category
from dangjian.organizations.models import CommitteeMember, CommitteePosition
from tests import factories as f
from tests.members.builders import make_profile

P = CommitteePosition
_sequence = iter(range(500, 10_000))


def today() -> date:
    return timezone.localdate()


@dataclass
class Branch:
    station: Any
    organization: Any
    secretary: User
    members: list[User]  # full members, the secretary first (entitled to vote)
    probationary: list[User]


def make_branch(
    station: Any = None, *, full: int = 9, probationary: int = 1, name: str = "", kind: str = "branch"
) -> Branch:
    """A branch whose term ends in 30 days, with `full` formal members (the secretary among them) and an
    old committee of two."""
    if station is None:
        number = next(_sequence)
        station = f.StationFactory(code=f"el{number}", name=f"楼宇党建分站{number}")
    organization = f.PartyOrganizationFactory(
        station=station,
        kind=kind,
        term_start=today() - timedelta(days=3 * 365),
        term_end=today() + timedelta(days=30),
        **({"name": name} if name else {}),
    )
    secretary = f.UserFactory(person_kind=PersonKind.MEMBER, organization=organization, home_station=station)
    f.grant(secretary, Role.ORG_SECRETARY, station, organization=organization)
    make_profile(organization, user=secretary)
    members = [make_profile(organization).user for _ in range(full - 1)]
    late = [
        make_profile(
            organization, category=Category.PROBATIONARY, full_member_on=None, admitted_on=date(2025, 7, 1)
        ).user
        for _ in range(probationary)
    ]
    CommitteeMember.objects.create(organization=organization, user=secretary, position=P.SECRETARY)
    CommitteeMember.objects.create(organization=organization, user=members[0], position=P.ORGANIZATION)
    organization.secretary = secretary
    organization.save(update_fields=["secretary"])
    return Branch(station, organization, secretary, [secretary, *members], late)


def request(branch: Branch, actor: Any = None, *, seats: int = 3, **more: Any) -> Election:
    data = services.RequestInput(
        seats=seats,
        positions=more.pop("positions", (P.SECRETARY, P.ORGANIZATION)),
        planned_on=more.pop("planned_on", today() + timedelta(days=14)),
        reason=more.pop("reason", "本届任期即将届满，申请换届"),
    )
    return services.election_request(
        actor=actor or branch.secretary, organization=branch.organization, data=data
    )


def approved(branch: Branch, superior: Any, **more: Any) -> Election:
    election = request(branch, **more)
    services.election_decide(actor=superior, election=election, approve=True, note="同意")
    election.refresh_from_db()
    return election


def with_candidates(branch: Branch, superior: Any, count: int = 4, **more: Any) -> Election:
    election = approved(branch, superior, **more)
    services.candidates_set(actor=branch.secretary, election=election, users=branch.members[:count])
    return election


def candidates(election: Election) -> list[ElectionCandidate]:
    return list(ElectionCandidate.objects.filter(election=election).order_by("id"))


def meeting_input(
    election: Election,
    votes: list[int],
    *,
    present: int = 8,
    issued: int | None = None,
    returned: int | None = None,
    on: date | None = None,
) -> services.MeetingInput:
    rows = candidates(election)
    issued = present if issued is None else issued
    return services.MeetingInput(
        meeting_on=on or today(),
        present=present,
        ballots_issued=issued,
        ballots_returned=issued if returned is None else returned,
        votes={c.pk: v for c, v in zip(rows, votes, strict=True)},
    )


def voted(branch: Branch, superior: Any, votes: tuple[int, ...] = (8, 7, 6, 2), **more: Any) -> Election:
    election = with_candidates(branch, superior, count=len(votes), **more)
    services.meeting_record(
        actor=branch.secretary, election=election, data=meeting_input(election, list(votes))
    )
    election.refresh_from_db()
    return election


def reported(branch: Branch, superior: Any, **more: Any) -> Election:
    election = voted(branch, superior, **more)
    elected = [c for c in candidates(election) if c.elected]
    positions = [P.SECRETARY, P.ORGANIZATION, P.MEMBER, P.MEMBER, P.MEMBER][: len(elected)]
    services.result_report(
        actor=branch.secretary,
        election=election,
        positions={c.pk: p for c, p in zip(elected, positions, strict=True)},
    )
    election.refresh_from_db()
    return election
