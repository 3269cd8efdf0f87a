"""The roster answers activities' question of how many members may vote at a 支部党员大会 (quorum, 台账):
full members in good standing on the meeting's day; 预备党员, members not yet full that day and members who
left do not count; an organisation without a roster here leaves the number to the secretary."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.activities.signals import EntitledVotersQuery, entitled_voters_wanted
from dangjian.members.models import Category, MemberStatus
from tests import factories as f
from tests.members.builders import make_profile

pytestmark = pytest.mark.django_db


def asked(organization_id: int, on: date) -> list[object]:
    answers = entitled_voters_wanted.send(sender=EntitledVotersQuery, organization_id=organization_id, on=on)
    return [answer for _receiver, answer in answers]


def test_full_members_in_good_standing_on_the_day_are_counted(world) -> None:
    org = world.org_a
    for _ in range(3):
        make_profile(org)
    make_profile(org, category=Category.PROBATIONARY, full_member_on=None)
    make_profile(org, full_member_on=date(2027, 3, 1), admitted_on=date(2026, 3, 1))
    make_profile(org, status=MemberStatus.TRANSFERRED_OUT)
    make_profile(f.PartyOrganizationFactory(station=world.a))  # another organisation's member

    assert asked(org.pk, date(2027, 1, 10)) == [3]
    assert asked(org.pk, date(2027, 3, 1)) == [4]  # full since that day


def test_an_organisation_without_a_roster_gets_no_answer(world) -> None:
    assert asked(world.org_a.pk, date(2027, 1, 10)) == [None]
