"""Steps that take their facts from other capabilities: the branch general meeting's vote from a 支部党员大会
with its record (台账) in activities — its day, the members entitled and present — and the concentrated
training from a course the applicant completed in learning (its 学时)."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.activities.models import Activity, ActivityRecord
from dangjian.development import services
from dangjian.development.models import StepRecord
from dangjian.learning.models import Course, CourseCompletion, CreditRule
from tests import factories as f
from tests.development.builders import make_branch, old_candidate, plan_day, walk

pytestmark = pytest.mark.django_db


def general_meeting(branch, day, *, entitled: int | None, present: int, organization=None) -> Activity:
    """A 支部党员大会 held on `day` at 10:00 with its record filed."""
    starts = timezone.make_aware(datetime.combine(day, time(10)))
    with scopes_disabled():
        activity = Activity.objects.create(
            station=branch.station,
            activity_type="general_meeting",
            title="支部党员大会：讨论接收预备党员",
            starts_at=starts,
            ends_at=starts + timezone.timedelta(hours=2),
            audience="organization",
            status="finished",
            created_by=branch.secretary,
        )
        activity.organizers.add(organization or branch.organization)
        ActivityRecord.objects.create(
            activity=activity,
            station=branch.station,
            summary="讨论接收预备党员",
            present_count=present,
            entitled_count=entitled,
            filed_by=branch.secretary,
        )
    return activity


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def test_the_branch_meeting_takes_its_day_and_counts_from_the_meeting_record(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "application_form")
    day = plan_day(candidate, "branch_meeting")
    meeting = general_meeting(dev.a, day, entitled=10, present=8)
    services.step_complete(
        actor=dev.a.secretary,
        candidate=candidate,
        step="branch_meeting",
        data=services.StepInput(done_on=timezone.localdate(), votes_for=7, meeting_id=meeting.pk),
    )
    record = StepRecord.all_objects.get(candidate=candidate, step="branch_meeting")
    assert (record.done_on, record.entitled, record.present, record.votes_for) == (day, 10, 8, 7)
    assert record.meeting_id == meeting.pk


def test_a_meeting_without_quorum_another_organisations_or_a_wrong_step_is_refused(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "application_form")
    day = plan_day(candidate, "branch_meeting")
    thin = general_meeting(dev.a, day, entitled=10, present=5)
    foreign = general_meeting(dev.a, day, entitled=10, present=9, organization=dev.b.organization)
    without_entitled = general_meeting(dev.a, day, entitled=None, present=4)
    for step, meeting, code in (
        ("branch_meeting", thin, "no_quorum"),
        ("branch_meeting", foreign, "meeting_unknown"),
        ("talk", thin, "meeting_unknown"),
        ("branch_meeting", without_entitled, "no_quorum"),  # 4 of the roster's 10 members
    ):
        with pytest.raises(ValidationError) as refused:
            services.step_complete(
                actor=dev.a.secretary,
                candidate=candidate,
                step=step,
                data=services.StepInput(done_on=day, votes_for=4, meeting_id=meeting.pk),
            )
        assert code in codes(refused.value), (step, code)
    assert not StepRecord.all_objects.filter(candidate=candidate, step="branch_meeting").exists()


def test_the_training_takes_the_hours_of_a_completed_course(dev) -> None:
    applicant_user = f.UserFactory(username="gusiyuan")
    candidate = walk(dev.a, old_candidate(dev.a, user_id=applicant_user.pk), "political_review")
    author = dev.a.secretary
    with scopes_disabled():
        course = Course.objects.create(
            station=dev.a.station, title="发展对象集中培训", author=author, status="published"
        )
        other = Course.objects.create(station=dev.a.station, title="未学完的课程", author=author)
        CourseCompletion.objects.create(
            user=applicant_user,
            course=course,
            station=dev.a.station,
            year=plan_day(candidate, "training").year,
            course_hours=Decimal("24.00"),
            credit_hours=Decimal("24.50"),
            rule=CreditRule.objects.earliest("effective_from"),
        )
    day = plan_day(candidate, "training")
    with pytest.raises(ValidationError) as refused:
        services.step_complete(
            actor=dev.a.secretary,
            candidate=candidate,
            step="training",
            data=services.StepInput(done_on=day, course_id=other.pk),
        )
    assert "course_not_completed" in codes(refused.value)
    services.step_complete(
        actor=dev.a.secretary,
        candidate=candidate,
        step="training",
        data=services.StepInput(done_on=day, course_id=course.pk),
    )
    record = StepRecord.all_objects.get(candidate=candidate, step="training")
    assert (record.training_hours, record.training_course_id) == (24, course.pk)


def test_the_step_form_offers_the_branchs_meetings(dev, client) -> None:
    from django.urls import reverse

    candidate = walk(dev.a, old_candidate(dev.a), "application_form")
    day = plan_day(candidate, "branch_meeting")
    meeting = general_meeting(dev.a, day, entitled=10, present=9)
    general_meeting(make_branch(dev.b.station), day, entitled=3, present=3)
    client.force_login(dev.a.secretary)
    url = reverse("development:step", kwargs={"pk": candidate.pk, "step": "branch_meeting"})
    page = client.get(url).content.decode()
    assert page.count("支部党员大会：讨论接收预备党员") == 1 and "实到 9 人" in page
    response = client.post(url, {"done_on": day.isoformat(), "votes_for": 8, "meeting": meeting.pk})
    assert response.status_code == 302
    assert StepRecord.all_objects.get(candidate=candidate, step="branch_meeting").present == 9
