"""Check-in (issue 10 §4 acceptance): the guide scans the person's QR code or searches the name, the attendee
scans the activity's code; a retried upload (same nonce) counts once with the same result; a second check-in
of the same person is refused clearly; a code of another activity is refused; only the guide or organiser
checks others in; the sign-in sheet and the ticks entered afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.activities.checkin import attendance_enter, check_in, signin_sheet
from dangjian.activities.models import Activity, Attendance, CheckInNonce
from dangjian.activities.services import register
from tests import factories as f
from tests.activities.builders import audit_actions, new_activity
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(life: Any) -> Any:
    """A public activity of A starting in 30 minutes; a resident and a member of A registered; A's guide."""
    world = life.world
    life.guide = f.UserFactory(username="guide_a", real_name="孙丽")
    f.grant(life.guide, Role.GUIDE, world.a)
    life.activity = new_activity(
        life.secretary_a, [world.org_a], audience="public", starts_at=timezone.now() + timedelta(minutes=30)
    )
    life.other = new_activity(life.secretary_a, [world.org_a], audience="public", title="另一场活动")
    life.resident_reg = register(actor=world.resident, activity=life.activity)
    life.member_reg = register(actor=life.members[0], activity=life.activity)
    return life


def test_the_guide_scans_the_qr_code_and_a_retry_counts_once(today) -> None:
    first = check_in(actor=today.guide, activity=today.activity, token=today.resident_reg.token, nonce="n-1")
    again = check_in(actor=today.guide, activity=today.activity, token=today.resident_reg.token, nonce="n-1")

    assert first.person == today.world.resident and not first.replayed
    assert again.replayed and again.attendance.pk == first.attendance.pk
    assert Attendance.objects.count() == 1 and CheckInNonce.objects.count() == 1
    assert audit_actions().count("activities.checkin.scan") == 1


def test_a_second_check_in_of_the_same_person_is_refused_clearly(today) -> None:
    check_in(actor=today.guide, activity=today.activity, token=today.resident_reg.token, nonce="n-1")
    with pytest.raises(ValidationError) as refused:
        check_in(actor=today.guide, activity=today.activity, person=today.world.resident, nonce="n-2")
    assert refused.value.code == "already_checked_in"
    assert "已于" in refused.value.messages[0] and "请勿重复签到" in refused.value.messages[0]
    assert Attendance.objects.count() == 1


def test_a_code_of_another_activity_is_refused(today) -> None:
    with pytest.raises(ValidationError) as by_guide:
        check_in(actor=today.guide, activity=today.other, token=today.resident_reg.token, nonce="n-1")
    assert by_guide.value.code == "wrong_activity"
    with pytest.raises(ValidationError) as by_self:
        check_in(
            actor=today.world.resident,
            activity=today.activity,
            activity_code=today.other.checkin_code,
            nonce="n-2",
        )
    assert by_self.value.code == "wrong_activity" and "另一场活动" in by_self.value.messages[0]
    with pytest.raises(ValidationError) as nonsense:
        check_in(actor=today.world.resident, activity=today.activity, activity_code="xyz", nonce="n-3")
    assert nonsense.value.code == "invalid_code"
    assert not Attendance.objects.exists()


def test_the_attendee_scans_the_activity_code_when_registered_or_an_organisers_member(today) -> None:
    code = today.activity.checkin_code
    assert check_in(
        actor=today.world.resident, activity=today.activity, activity_code=code, nonce="a"
    ).attendance
    # a member of the organiser need not have registered
    unregistered_member = today.members[3]
    assert check_in(
        actor=unregistered_member, activity=today.activity, activity_code=code, nonce="b"
    ).attendance
    stranger = f.UserFactory(username="passer_by")
    with pytest.raises(ValidationError) as refused:
        check_in(actor=stranger, activity=today.activity, activity_code=code, nonce="c")
    assert refused.value.code == "not_registered"


def test_only_the_guide_or_organiser_checks_others_in(today) -> None:
    for actor in (today.members[1], today.world.other_admin, today.world.resident):
        with pytest.raises(PermissionDenied):
            check_in(actor=actor, activity=today.activity, token=today.member_reg.token, nonce=f"x{actor.pk}")
    assert check_in(actor=today.secretary_a, activity=today.activity, person=today.members[0], nonce="s")


def test_check_in_is_open_from_an_hour_before_to_the_end(today) -> None:
    later = new_activity(
        today.secretary_a, [today.world.org_a], starts_at=timezone.now() + timedelta(hours=3)
    )
    with pytest.raises(ValidationError) as early:
        check_in(actor=today.secretary_a, activity=later, person=today.members[0], nonce="e")
    assert early.value.code == "too_early"
    after = today.activity.ends_at + timedelta(minutes=1)
    with pytest.raises(ValidationError) as ended:
        check_in(actor=today.guide, activity=today.activity, person=today.members[0], nonce="l", now=after)
    assert ended.value.code == "ended"


def test_a_nonce_cannot_be_reused_for_another_scan(today) -> None:
    check_in(actor=today.guide, activity=today.activity, token=today.resident_reg.token, nonce="same")
    with pytest.raises(ValidationError) as refused:
        check_in(actor=today.secretary_a, activity=today.activity, person=today.members[0], nonce="same")
    assert refused.value.code == "nonce_reused"


def test_the_signin_sheet_and_the_ticks_entered_afterwards(today) -> None:
    sheet = signin_sheet(activity=today.activity)
    by_person = {row.person_id: row for row in sheet}
    assert by_person[today.world.resident.pk].token == today.resident_reg.token
    assert today.members[5].pk in by_person and by_person[today.members[5].pk].token == ""  # expected member
    check_in(actor=today.guide, activity=today.activity, token=today.resident_reg.token, nonce="n")

    Activity.objects.filter(pk=today.activity.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    entered = attendance_enter(
        actor=today.guide,
        activity=today.activity,
        person_ids=[today.world.resident.pk, today.members[0].pk, today.members[5].pk],
    )
    assert sorted(a.person_id for a in entered) == sorted([today.members[0].pk, today.members[5].pk])
    assert Attendance.objects.filter(activity=today.activity).count() == 3
    assert {r.person_id for r in signin_sheet(activity=today.activity) if r.checked_in} == {
        today.world.resident.pk,
        today.members[0].pk,
        today.members[5].pk,
    }
    with pytest.raises(ValidationError) as stranger:
        attendance_enter(actor=today.guide, activity=today.activity, person_ids=[today.world.other_admin.pk])
    assert stranger.value.code == "not_registered"
    with pytest.raises(PermissionDenied):
        attendance_enter(actor=today.members[1], activity=today.activity, person_ids=[today.members[1].pk])


def test_tokens_are_unguessable_and_stable(today) -> None:
    token = today.resident_reg.token
    assert len(token) >= 32 and token != today.member_reg.token
    assert today.activity.checkin_code != today.other.checkin_code
    today.resident_reg.refresh_from_db()
    assert today.resident_reg.token == token


@pytest.mark.django_db(transaction=True)
def test_the_same_nonce_uploaded_by_ten_threads_at_once_makes_one_attendance(today) -> None:
    guide, activity_id, token = today.guide.pk, today.activity.pk, today.resident_reg.token

    def upload(_: int) -> Any:
        return check_in(
            actor=User.objects.get(pk=guide),
            activity=Activity.objects.prefetch_related("organizers").get(pk=activity_id),
            token=token,
            nonce="one-scan",
        )

    outcomes = run_at_once(upload, 10)

    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert len({o.attendance.pk for o in outcomes}) == 1
    assert sum(1 for o in outcomes if not o.replayed) == 1
    assert Attendance.objects.filter(activity_id=activity_id).count() == 1
    assert CheckInNonce.objects.count() == 1


def test_the_guides_list_of_activities_open_for_check_in(today) -> None:
    from dangjian.activities.selectors import checkin_activities

    check_in(actor=today.guide, activity=today.activity, token=today.resident_reg.token, nonce="n")
    rows = list(checkin_activities(user=today.guide))
    assert [(a.pk, a.attended) for a in rows] == [(today.activity.pk, 1)]  # `other` starts in a week
    assert list(checkin_activities(user=today.members[0])) == []
