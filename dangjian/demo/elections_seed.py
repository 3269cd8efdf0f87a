"""Demo committee elections (换届选举): in the demo branches with a secretary and enough full members, one
organisation in renewal (its request approved by the station, the candidates listed, the meeting not yet
held) and one renewal completed some weeks ago (the meeting, the result approved, the new committee and
term written, the old term kept in the history).

Written through the services, so the rules hold and the audit trail reads like real work: the request
by the branch's secretary, the decisions by the station's admin (or an HQ admin). The completed one is
then dated back to when it happened (request, approval and timeline), like a record kept over weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.demo.data import DEMO_LOGINS
from dangjian.elections import services
from dangjian.elections.models import Election, ElectionCandidate, ElectionEvent
from dangjian.elections.selectors import entitled_voters, formal_members
from dangjian.organizations.models import CommitteeMember, CommitteePosition, PartyOrganization

P = CommitteePosition


@dataclass
class Branch:
    organization: PartyOrganization
    secretary: User
    superior: User
    members: list[User]


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _branches() -> list[Branch]:
    """Branches with a secretary who is a full member, a station admin (or HQ admin) and at least five
    full members; the secretary first (re-elected secretary of the completed renewal, 连任)."""
    found = []
    hq_admin = role_holders(Role.STATION_ADMIN, at_hq=True).first()
    with scopes_disabled():
        for organization in PartyOrganization.objects.filter(is_active=True).order_by("id"):
            secretary = role_holders(Role.ORG_SECRETARY, organization_id=organization.pk).first()
            superior = (
                role_holders(Role.STATION_ADMIN, station_id=organization.station_id).first() or hq_admin
            )
            members = list(formal_members(organization.pk))
            if secretary is None or superior is None or secretary not in members or len(members) < 5:
                continue
            members = _standing_order(organization, secretary, members)
            if Election.objects.filter(organization=organization).exists():
                continue
            found.append(Branch(organization, secretary, superior, members))
    return found


def _standing_order(organization: PartyOrganization, secretary: User, members: list[User]) -> list[User]:
    """The secretary first (连任), then the sitting committee, then the other members; the demo's plain
    logins last, so a renewal leaves every demo login with the roles its brief gives it."""
    sitting = set(CommitteeMember.objects.filter(organization=organization).values_list("user_id", flat=True))
    logins = {login.username for login in DEMO_LOGINS}
    return sorted(
        members,
        key=lambda m: (m != secretary, m.pk not in sitting, m.username in logins, m.pk),
    )


def _set_term(organization: PartyOrganization, start: date, end: date) -> None:
    PartyOrganization.objects.filter(pk=organization.pk).update(term_start=start, term_end=end)
    organization.term_start, organization.term_end = start, end


def _in_renewal(branch: Branch, today: date) -> Election:
    """A term ending soon (or ended): the request approved, five candidates for four seats, the meeting
    three weeks ahead. The organisation's term is left as it is: the renewal is under way."""
    organization = branch.organization
    ends = f"于{organization.term_end:%Y年%-m月%-d日}届满" if organization.term_end else "届满"
    election = services.election_request(
        actor=branch.secretary,
        organization=organization,
        data=services.RequestInput(
            seats=4,
            positions=(P.SECRETARY, P.ORGANIZATION, P.PUBLICITY),
            planned_on=today + timedelta(days=21),
            reason=f"{organization.name}本届委员会任期{ends}，经支委会研究，拟召开党员大会进行换届选举，"
            "差额选举委员 4 名。",
        ),
    )
    services.election_decide(
        actor=branch.superior,
        election=election,
        approve=True,
        note="同意换届，请按程序做好候选人推荐和选举准备工作。",
    )
    services.candidates_set(actor=branch.secretary, election=election, users=branch.members[:5])
    return election


def _completed(branch: Branch, today: date) -> Election:
    """A renewal held six weeks ago: request, approval, meeting, result and its approval."""
    organization = branch.organization
    meeting_on = today - timedelta(days=42)
    requested_on, approved_on = meeting_on - timedelta(days=30), meeting_on - timedelta(days=20)
    years = 5 if organization.kind == "committee" else 3
    _set_term(
        organization, date(meeting_on.year - years, meeting_on.month, 1), meeting_on - timedelta(days=3)
    )
    election = services.election_request(
        actor=branch.secretary,
        organization=organization,
        data=services.RequestInput(
            seats=3,
            positions=(P.SECRETARY, P.ORGANIZATION),
            planned_on=today,
            reason=f"{organization.name}委员会任期届满，申请召开党员大会选举产生新一届支部委员会。",
        ),
    )
    services.election_decide(actor=branch.superior, election=election, approve=True, note="同意。")
    Election.objects.filter(pk=election.pk).update(decided_at=_moment(approved_on))
    services.candidates_set(actor=branch.secretary, election=election, users=branch.members[:4])
    entitled = entitled_voters(organization.pk, meeting_on) or len(branch.members)
    present = entitled - 1 if entitled > 2 else entitled
    candidates = list(ElectionCandidate.objects.filter(election=election).order_by("id"))
    votes = {c.pk: present - i for i, c in enumerate(candidates[:3])} | {c.pk: 1 for c in candidates[3:]}
    services.meeting_record(
        actor=branch.secretary,
        election=election,
        data=services.MeetingInput(
            meeting_on=meeting_on,
            present=present,
            ballots_issued=present,
            ballots_returned=present,
            votes=votes,
        ),
    )
    elected = list(ElectionCandidate.objects.filter(election=election, elected=True).order_by("-votes", "id"))
    positions = [P.SECRETARY, P.ORGANIZATION] + [P.MEMBER] * len(elected)
    services.result_report(
        actor=branch.secretary,
        election=election,
        positions={c.pk: positions[i] for i, c in enumerate(elected)},
    )
    services.result_decide(actor=branch.superior, election=election, approve=True)
    # dated back: the request, the approval and the timeline happened over those weeks
    Election.objects.filter(pk=election.pk).update(
        created_at=_moment(requested_on), confirmed_at=_moment(meeting_on + timedelta(days=7))
    )
    days = {
        "request": requested_on,
        "approve": approved_on,
        "candidates": approved_on + timedelta(days=5),
        "meeting": meeting_on,
        "report": meeting_on + timedelta(days=1),
        "confirm": meeting_on + timedelta(days=7),
    }
    for action, day in days.items():
        ElectionEvent.objects.filter(election=election, action=action).update(at=_moment(day, 15))
    return election


def create_elections(today: date | None = None) -> int:
    """The demo elections; returns how many were made (0 without a suitable branch). The completed renewal
    is of an organisation whose term is in order (its new term starts at the meeting), the one under way
    of one whose term ends soon or has ended: the counts of expired and expiring terms stay as they were."""
    today = today or timezone.localdate()
    branches = _branches()
    due = [
        b
        for b in branches
        if b.organization.term_end and b.organization.term_end <= today + timedelta(days=90)
    ]
    in_order = [b for b in branches if b not in due]
    due.sort(key=lambda b: (b.organization.term_end or today) < today)  # expiring before expired
    made = 0
    if in_order:
        _completed(in_order[0], today)
        made += 1
    if due:
        _in_renewal(due[0], today)
        made += 1
    return made


__all__ = ["create_elections"]
