"""活动邀约 (issue 10 §3): invitations to an organisation, a resident unit, an alliance and a person, answered
by that party's secretary/officer (or the person) with a head count; the organiser's counts; the silent
ones reminded once per day however often the beat task runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.activities.invitations import (
    invitation_answer,
    invitation_counts,
    invitation_send,
    remind_silent_invitations,
)
from dangjian.activities.models import Invitation, InvitationStatus, SentReminder
from tests.activities.builders import audit_actions, inbox, new_activity

pytestmark = pytest.mark.django_db


def end_of_local_day(moment: datetime) -> datetime:
    """The last microsecond of `moment`'s local day: reminders are once per local day."""
    local = timezone.localtime(moment)
    return local.replace(hour=23, minute=59, second=59, microsecond=999999)


@pytest.fixture
def invited(life: Any) -> Any:
    world = life.world
    life.world.org_b.units.add(world.unit_b)
    activity = new_activity(life.secretary_a, [world.org_a], audience="public")
    made = invitation_send(
        actor=life.secretary_a,
        activity=activity,
        organizations=[world.org_b],
        units=[world.unit_b],
        alliances=[world.alliance_a],
        people=[world.resident],
        note="欢迎携家属参加",
    )
    life.activity, life.invitations = activity, {i.kind: i for i in made}
    return life


def test_counts_of_accepted_heads_declined_and_silent(invited) -> None:
    world, inv = invited.world, invited.invitations
    assert invitation_counts(activity=invited.activity).invited == 4
    invitation_answer(actor=invited.secretary_b, invitation=inv["organization"], accept=True, head_count=12)
    invitation_answer(actor=world.resident, invitation=inv["person"], accept=True)
    invitation_answer(actor=invited.secretary_b, invitation=inv["unit"], accept=False, note="另有安排")

    counts = invitation_counts(activity=invited.activity)
    assert (counts.invited, counts.accepted, counts.accepted_head_count, counts.declined, counts.silent) == (
        4,
        2,
        13,
        1,
        1,
    )
    assert "activities.invitation.answer" in audit_actions()


def test_the_alliance_is_answered_by_its_lead_organisations_officers(invited) -> None:
    invitation = invited.invitations["alliance"]
    with pytest.raises(PermissionDenied):
        invitation_answer(actor=invited.secretary_b, invitation=invitation, accept=True, head_count=3)
    answered = invitation_answer(actor=invited.secretary_a, invitation=invitation, accept=True, head_count=3)
    assert answered.status == InvitationStatus.ACCEPTED and answered.answered_by == invited.secretary_a


def test_strangers_cannot_answer_and_accepting_needs_a_head_count(invited) -> None:
    inv = invited.invitations
    for stranger in (invited.members[0], invited.world.other_admin):
        with pytest.raises(PermissionDenied):
            invitation_answer(actor=stranger, invitation=inv["organization"], accept=False)
    with pytest.raises(ValidationError) as refused:
        invitation_answer(actor=invited.secretary_b, invitation=inv["organization"], accept=True)
    assert refused.value.error_dict["head_count"][0].code == "head_count"


def test_inviting_again_skips_those_already_invited_and_only_managers_invite(invited) -> None:
    again = invitation_send(
        actor=invited.secretary_a, activity=invited.activity, organizations=[invited.world.org_b]
    )
    assert again == [] and Invitation.objects.count() == 4
    with pytest.raises(PermissionDenied):
        invitation_send(actor=invited.secretary_b, activity=invited.activity, people=[invited.members[0]])


def test_silent_invitations_are_reminded_once_per_day(invited, django_capture_on_commit_callbacks) -> None:
    inv = invited.invitations
    invitation_answer(actor=invited.secretary_b, invitation=inv["organization"], accept=True, head_count=5)
    tomorrow = timezone.now() + timedelta(days=1, hours=1)
    half_an_hour = min(timedelta(minutes=30), end_of_local_day(tomorrow) - tomorrow)

    assert remind_silent_invitations(now=timezone.now()) == 0  # not silent for a day yet
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_silent_invitations(now=tomorrow) == 3  # unit, alliance, person
        assert remind_silent_invitations(now=tomorrow) == 0  # the beat runs again: nothing twice
        assert remind_silent_invitations(now=tomorrow + half_an_hour) == 0  # same local day
    assert SentReminder.objects.filter(key__startswith="invitation:").count() == 3
    assert inbox(invited.world.resident).count(f"邀约待答复：{invited.activity.title}") == 1
    # B's secretary answered for B but not for the unit B covers: reminded of that one only
    assert inbox(invited.secretary_b).count(f"邀约待答复：{invited.activity.title}") == 1
    # the next day the still-silent ones are reminded again, once
    assert remind_silent_invitations(now=tomorrow + timedelta(days=1)) == 3


def test_each_answerer_sees_the_invitations_they_answer(invited) -> None:
    from django.http import Http404

    from dangjian.activities.selectors import access_invitation, invitations_of, invitations_to_answer

    inv, world = invited.invitations, invited.world
    assert {i.kind for i in invitations_to_answer(user=invited.secretary_b)} == {"organization", "unit"}
    assert {i.kind for i in invitations_to_answer(user=invited.secretary_a)} == {"alliance"}
    assert {i.kind for i in invitations_to_answer(user=world.resident)} == {"person"}
    assert list(invitations_to_answer(user=invited.members[0])) == []
    assert access_invitation(user=invited.secretary_b, pk=inv["unit"].pk) == inv["unit"]
    with pytest.raises(Http404):
        access_invitation(user=invited.secretary_b, pk=inv["person"].pk)
    assert access_invitation(user=invited.secretary_a, pk=inv["person"].pk, manage=True) == inv["person"]
    with pytest.raises(Http404):
        access_invitation(user=invited.secretary_b, pk=inv["organization"].pk, manage=True)
    assert invitations_of(user=invited.secretary_a, activity=invited.activity).count() == 4
    with pytest.raises(Http404):
        invitations_of(user=invited.secretary_b, activity=invited.activity)
