"""Satisfaction surveys (§10.1.1 服务对象满意度): an invitation per person and occasion made on completion
— an activity's record filed (its attendees), a booking checked in (its holder), a tour's result recorded
(its requester), a service delivered (the people served) — one answer per person and occasion (also two
answers at once), a "待评价" list and a notification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.activities.checkin import attendance_enter
from dangjian.activities.services import record_file
from dangjian.core.models import Notification
from dangjian.evaluation import services
from dangjian.evaluation.models import OccasionKind, SatisfactionAnswer, SatisfactionInvitation
from dangjian.venues import services as venues
from dangjian.venues.models import Reservation, ReservationStatus, Tour, TourStatus
from tests import factories as f
from tests.activities.builders import member_of, new_activity, secretary_of
from tests.evaluation.builders import at, day, invitation, make_item, occurrence
from tests.venues.builders import make_venue

pytestmark = pytest.mark.django_db


def invited(person: Any) -> list[tuple[str, int]]:
    return list(
        SatisfactionInvitation.objects.filter(person=person).values_list("occasion_kind", "occasion_id")
    )


def test_filing_an_activity_record_invites_every_attendee_once(
    world, django_capture_on_commit_callbacks
) -> None:
    secretary = secretary_of(world.org_a, "secretary_a")
    members = [member_of(world.org_a, f"member_a{i}") for i in range(3)]
    start = timezone.now() - timedelta(days=1, hours=3)
    activity = new_activity(secretary, [world.org_a], starts_at=start, title="重温入党誓词主题党日")
    with django_capture_on_commit_callbacks(execute=True):
        attendance_enter(actor=secretary, activity=activity, person_ids=[m.pk for m in members[:2]])
    with django_capture_on_commit_callbacks(execute=True):
        record_file(actor=secretary, activity=activity, summary="重温入党誓词，交流学习体会")
    with django_capture_on_commit_callbacks(execute=True):
        record_file(
            actor=secretary, activity=activity, summary="补充纪要"
        )  # filed again: no second invitation

    assert invited(members[0]) == [(OccasionKind.ACTIVITY, activity.pk)]
    assert invited(members[1]) == [(OccasionKind.ACTIVITY, activity.pk)]
    assert invited(members[2]) == []  # absent: not asked
    row = SatisfactionInvitation.objects.get(person=members[0])
    assert row.station_id == world.a.pk and row.organization_id == world.org_a.pk
    titles = list(Notification.objects.filter(recipient=members[0]).values_list("title", flat=True))
    assert titles.count("请对活动“重温入党誓词主题党日”作出满意度评价") == 1


def test_checking_a_booking_in_invites_its_holder(world, django_capture_on_commit_callbacks) -> None:
    guide = f.UserFactory(username="guide_eval")
    f.grant(guide, Role.GUIDE, world.a)
    venue = make_venue(world.a, name="万达书吧")
    now = timezone.now()
    booking = Reservation.objects.create(
        station=world.a,
        venue=venue,
        holder=world.member,
        purpose="青年理论学习小组读书会",
        head_count=12,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(minutes=50),
        status=ReservationStatus.APPROVED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        venues.reservation_check_in(actor=guide, reservation=booking, now=now)

    assert invited(world.member) == [(OccasionKind.BOOKING, booking.pk)]
    assert "青年理论学习小组读书会" in SatisfactionInvitation.objects.get(person=world.member).occasion_title


def test_recording_a_tour_invites_its_requester(world, django_capture_on_commit_callbacks) -> None:
    guide = f.UserFactory(username="guide_eval")
    f.grant(guide, Role.GUIDE, world.a)
    now = timezone.now()
    tour = Tour.objects.create(
        station=world.a,
        group_name="鼓楼社区党委",
        group_kind="community",
        contact_name="陈晓燕",
        contact_phone="13805261234",
        visitor_count=12,
        requested_by=world.member,
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        status=TourStatus.CONFIRMED,
        guide=guide,
    )
    with django_capture_on_commit_callbacks(execute=True):
        venues.tour_record(actor=guide, tour=tour, actual_count=11, feedback="讲解生动")

    assert invited(world.member) == [(OccasionKind.TOUR, tour.pk)]


def test_a_delivered_service_invites_the_people_served(world, django_capture_on_commit_callbacks) -> None:
    item = make_item(world.a, title="党建指导员接待日")
    planned = occurrence(item, at(day(-1), 9))
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_record(
            actor=world.own_admin, occurrence=planned, delivered_at=at(day(-1), 9, 5), served=[world.member]
        )
    assert invited(world.member) == [(OccasionKind.SERVICE, planned.pk)]


def test_one_answer_per_person_and_occasion(world) -> None:
    asked = invitation(world.member, world.a)
    services.survey_answer(actor=world.member, invitation=asked, score=5, comment="组织有序")

    with pytest.raises(ValidationError) as refused:
        services.survey_answer(actor=world.member, invitation=asked, score=1)
    assert refused.value.code == "duplicate"
    assert SatisfactionAnswer.objects.filter(invitation=asked).count() == 1
    assert SatisfactionAnswer.objects.get().score == 5


def test_the_database_refuses_a_second_answer_and_a_second_invitation(world) -> None:
    asked = invitation(world.member, world.a)
    SatisfactionAnswer.objects.create(invitation=asked, station=world.a, occasion_kind="activity", score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionAnswer.objects.create(
            invitation=asked, station=world.a, occasion_kind="activity", score=2
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        invitation(world.member, world.a)  # the same person, kind and occasion


def test_an_answer_that_lost_the_race_is_a_duplicate(world, monkeypatch) -> None:
    """Two answers at the same moment: the second one's insert meets the one-to-one constraint."""
    asked = invitation(world.member, world.a)
    SatisfactionAnswer.objects.create(invitation=asked, station=world.a, occasion_kind="activity", score=4)
    with pytest.raises(ValidationError) as refused:  # the invitation row still says "not answered"
        services.survey_answer(actor=world.member, invitation=asked, score=3)
    assert refused.value.code == "duplicate"
    assert SatisfactionAnswer.objects.filter(invitation=asked).count() == 1


@pytest.mark.parametrize("score", [0, 6, "五", "", None, True, "9" * 40])
def test_bad_scores_are_refused(world, score: Any) -> None:
    asked = invitation(world.member, world.a)
    with pytest.raises(ValidationError):
        services.survey_answer(actor=world.member, invitation=asked, score=score)
    assert not SatisfactionAnswer.objects.exists()


def test_only_the_invited_person_answers(world) -> None:
    asked = invitation(world.member, world.a)
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=world.own_admin, invitation=asked, score=5)


def test_the_pending_page_lists_only_unanswered_own_invitations(world, client) -> None:
    waiting = invitation(world.member, world.a, occasion_title="七一主题党日活动")
    done = invitation(world.member, world.a, occasion_id=2, occasion_title="党史学习教育报告会")
    services.survey_answer(actor=world.member, invitation=done, score=4)
    invitation(world.resident, world.a, occasion_id=3, occasion_title="别人的参观")
    client.force_login(world.member)

    page = client.get("/evaluation/surveys/").content.decode()
    assert "七一主题党日活动" in page and "党史学习教育报告会" not in page and "别人的参观" not in page

    answer = client.post(f"/evaluation/surveys/{waiting.pk}/", {"score": "4", "comment": "很有收获"})
    assert answer.status_code == 302
    again = client.post(f"/evaluation/surveys/{waiting.pk}/", {"score": "1"})
    assert "完成评价" in again.content.decode()
    assert SatisfactionAnswer.objects.filter(invitation=waiting).get().score == 4


def test_answers_name_no_person(world) -> None:
    fields = {field.name for field in SatisfactionAnswer._meta.get_fields()}
    assert not fields & {"person", "user", "voter", "author"}
