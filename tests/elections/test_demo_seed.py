"""The demo elections: one renewal under way (approved, candidates listed, no meeting yet) and one
completed weeks ago with the old term in the history, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dangjian.accounts.models import Role
from dangjian.demo.elections_seed import create_elections
from dangjian.elections.models import Election, ElectionStatus
from dangjian.organizations.models import CommitteeMember, CommitteeTerm, TermStatus
from tests import factories as f
from tests.elections.builders import make_branch, today

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_renewal_under_way_and_one_completed() -> None:
    assert create_elections() == 0  # no branch yet: nothing
    station = f.StationFactory(code="wanda", name="万达广场分站")
    admin = f.UserFactory(username="wanda_admin", real_name="周海燕")
    f.grant(admin, Role.STATION_ADMIN, station)
    first = make_branch(station, name="中共泰州万达广场楼宇联合支部委员会")
    second = make_branch(station, name="中共泰州华信软件科技有限公司支部委员会")  # term ends in 30 days
    first.organization.term_end = today() + timedelta(days=400)  # in order
    first.organization.save()
    assert create_elections(today()) == 2
    completed = Election.objects.get(status=ElectionStatus.COMPLETED)
    under_way = Election.objects.get(status=ElectionStatus.APPROVED)
    assert completed.organization == first.organization and under_way.organization == second.organization
    assert completed.meeting_on < today() and completed.created_at.date() < completed.meeting_on
    assert under_way.candidates.count() == 5 and under_way.meeting_on is None
    first.organization.refresh_from_db()
    second.organization.refresh_from_db()
    assert first.organization.term_start == completed.meeting_on
    assert first.organization.secretary == first.secretary  # re-elected: the role holder stays secretary
    assert first.organization.term_status(today()) == TermStatus.NORMAL
    assert second.organization.term_status(today()) == TermStatus.EXPIRING  # left as it was
    assert CommitteeMember.objects.filter(organization=first.organization).count() >= 2
    past = CommitteeTerm.objects.get(organization=first.organization)
    assert past.source_election == completed and past.members
    assert create_elections(today()) == 0  # the demo branches already have their elections
