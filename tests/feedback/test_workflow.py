"""The feedback workflow (DB3212/T 1124 §10.1.2): every transition, and every refused one with its code."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role
from dangjian.core.api_errors import service_error_code
from dangjian.core.models import AuditEvent, Notification
from dangjian.feedback import rules, services
from dangjian.feedback.models import CODE_ALPHABET, Feedback, FeedbackContact, FeedbackEvent, Status
from tests import factories as f
from tests.feedback.builders import REPLY, closed, replied, submission, submit

pytestmark = pytest.mark.django_db


def refused(expected: str, call: Any, /, **kwargs: Any) -> ValidationError:
    """The call is refused with the code `expected` (as the API would answer it)."""
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert service_error_code(caught.value) == expected, caught.value
    return caught.value


def state(feedback: Feedback) -> str:
    feedback.refresh_from_db()
    return feedback.status


# ---------------------------------------------------------------- submitting


def test_anonymous_submission_gets_a_tracking_code_and_a_due_date(world: Any) -> None:
    feedback = submit(world.a)
    assert len(feedback.tracking_code) == 12 and set(feedback.tracking_code) <= set(CODE_ALPHABET)
    assert feedback.submitter is None and feedback.status == Status.RECEIVED
    assert feedback.due_on == rules.due_date("complaint", timezone.localdate())
    assert FeedbackEvent.objects.get(feedback=feedback).action == "submit"
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="feedback.submit").count() == 1


def test_codes_differ_between_submissions(world: Any) -> None:
    codes = {submit(world.a).tracking_code for _ in range(5)}
    assert len(codes) == 5


def test_the_station_handlers_are_told(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(world.a)
    assert Notification.objects.filter(recipient=world.own_admin).exists()
    assert Notification.objects.filter(recipient=world.worker_a).exists()
    assert not Notification.objects.filter(recipient=world.other_admin).exists()


def test_a_signed_in_submitter_is_kept(world: Any) -> None:
    feedback = submit(world.a, actor=world.resident)
    assert feedback.submitter == world.resident


def test_contact_details_are_scoped_personal_data(world: Any) -> None:
    feedback = submit(world.a)
    with pytest.raises(Exception, match="scope"):
        list(FeedbackContact.objects.all())
    with scopes_disabled():
        assert FeedbackContact.objects.get(feedback=feedback).phone == "13852601234"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": " "}, "required"),
        ({"content": ""}, "required"),
        ({"title": "长" * 81}, "too_long"),
        ({"content": "有\x00空字符"}, "invalid"),
        ({"contact_phone": "12"}, "phone"),
        ({"channel": "box"}, "channel"),
        ({"channel": "fax"}, "channel"),
        ({"kind": "other"}, "required"),
        ({"content": "本公司代开发票，欢迎联系"}, "sensitive"),
    ],
)
def test_bad_submissions_are_refused_and_write_nothing(world: Any, fields: dict[str, Any], code: str) -> None:
    refused(code, services.submit, actor=None, submission=submission(world.a, **fields), ip="10.0.0.9")
    assert not Feedback.objects.exists()


def test_an_organization_of_another_station_is_refused(world: Any) -> None:
    refused(
        "wrong_station", services.submit, actor=None, submission=submission(world.a, organization=world.org_b)
    )


def test_the_31st_submission_from_one_address_in_an_hour_is_refused(world: Any) -> None:
    for _ in range(rules.PER_IP_PER_HOUR):
        submit(world.a, ip="192.0.2.7")
    error = refused("throttled", services.submit, actor=None, submission=submission(world.a), ip="192.0.2.7")
    assert "请一小时后再试" in error.messages[0]
    assert Feedback.objects.count() == rules.PER_IP_PER_HOUR
    submit(world.a, ip="192.0.2.8")  # another address still may


def test_one_person_is_throttled_across_addresses(world: Any) -> None:
    for n in range(rules.PER_PERSON_PER_HOUR):
        submit(world.a, actor=world.resident, ip=f"198.51.100.{n}")
    refused(
        "throttled", services.submit, actor=world.resident, submission=submission(world.a), ip="198.51.100.99"
    )


def test_paper_entry_keeps_the_channel_and_who_entered_it(world: Any) -> None:
    slip = submission(world.a, channel="book", kind="suggestion", contact_phone="")
    feedback = services.enter_paper(actor=world.worker_a, submission=slip, received_on=timezone.localdate())
    assert feedback.channel == "book" and feedback.entered_by == world.worker_a and feedback.submitter is None
    assert FeedbackEvent.objects.get(feedback=feedback).action == "enter"


def test_paper_entry_is_for_paper_channels_and_the_station_staff(world: Any) -> None:
    refused(
        "channel",
        services.enter_paper,
        actor=world.worker_a,
        submission=submission(world.a, channel="online"),
    )
    with pytest.raises(PermissionDenied):
        services.enter_paper(actor=world.other_admin, submission=submission(world.a, channel="box"))
    with pytest.raises(PermissionDenied):
        services.enter_paper(actor=world.resident, submission=submission(world.a, channel="box"))
    refused(
        "invalid",
        services.enter_paper,
        actor=world.worker_a,
        submission=submission(world.a, channel="box"),
        received_on=date(2000, 1, 1),
    )


# ---------------------------------------------------------------- handling


def test_the_whole_way_through(world: Any) -> None:
    feedback = submit(world.a)
    services.assign(actor=world.own_admin, feedback=feedback, assignee=world.worker_a)
    assert state(feedback) == Status.ASSIGNED
    services.start(actor=world.worker_a, feedback=feedback)
    assert state(feedback) == Status.IN_PROGRESS
    services.reply(actor=world.worker_a, feedback=feedback, text=REPLY)
    assert state(feedback) == Status.REPLIED
    services.decide(actor=world.worker_a, feedback=feedback, validity="valid")
    services.close(actor=world.worker_a, feedback=feedback, resolution="resolved")
    feedback.refresh_from_db()
    assert feedback.status == Status.CLOSED and feedback.resolution == "resolved" and feedback.closed_at
    actions = list(FeedbackEvent.objects.filter(feedback=feedback).values_list("action", flat=True))
    assert actions == ["submit", "assign", "start", "reply", "decide", "close"]


def test_only_the_station_staff_handle(world: Any) -> None:
    feedback = submit(world.a)
    for outsider in (world.other_admin, world.resident, world.member, world.officer_a):
        with pytest.raises(PermissionDenied):
            services.start(actor=outsider, feedback=feedback)
        with pytest.raises(PermissionDenied):
            services.reply(actor=outsider, feedback=feedback, text=REPLY)
    guide = f.UserFactory()
    f.grant(guide, Role.GUIDE, world.a)
    services.start(actor=guide, feedback=feedback)  # a guide of the station may
    services.reply(actor=world.hq_admin, feedback=feedback, text=REPLY)  # and HQ


def test_the_assignee_must_handle_at_the_station(world: Any) -> None:
    feedback = submit(world.a)
    refused("assignee", services.assign, actor=world.own_admin, feedback=feedback, assignee=world.other_admin)
    refused("assignee", services.assign, actor=world.own_admin, feedback=feedback, assignee=world.resident)
    refused("assignee", services.assign, actor=world.own_admin, feedback=feedback, assignee=None)
    with pytest.raises(PermissionDenied):
        services.assign(actor=world.other_admin, feedback=feedback, assignee=world.worker_a)


def test_refused_moves_of_a_replied_item(world: Any) -> None:
    feedback = replied(world.a, world.worker_a)
    refused("wrong_state", services.assign, actor=world.own_admin, feedback=feedback, assignee=world.worker_a)
    refused("wrong_state", services.start, actor=world.own_admin, feedback=feedback)
    refused("wrong_state", services.reply, actor=world.own_admin, feedback=feedback, text=REPLY)


def test_refused_moves_of_a_closed_item(world: Any) -> None:
    feedback = closed(world.a, world.worker_a)
    for call, extra in (
        (services.assign, {"assignee": world.worker_a}),
        (services.start, {}),
        (services.reply, {"text": REPLY}),
        (services.decide, {"validity": "valid"}),
        (services.close, {"resolution": "resolved"}),
    ):
        refused("wrong_state", call, actor=world.own_admin, feedback=feedback, **extra)


def test_start_is_refused_once_in_progress(world: Any) -> None:
    feedback = submit(world.a)
    services.start(actor=world.worker_a, feedback=feedback)
    refused("wrong_state", services.start, actor=world.worker_a, feedback=feedback)


def test_a_reply_needs_text(world: Any) -> None:
    feedback = submit(world.a)
    refused("required", services.reply, actor=world.worker_a, feedback=feedback, text="  ")
    refused("too_long", services.reply, actor=world.worker_a, feedback=feedback, text="答" * 2001)
    assert state(feedback) == Status.RECEIVED


def test_closing_needs_a_reply(world: Any) -> None:
    feedback = submit(world.a, kind="suggestion")
    refused("reply_required", services.close, actor=world.worker_a, feedback=feedback, resolution="resolved")


def test_closing_needs_a_result(world: Any) -> None:
    feedback = replied(world.a, world.worker_a, kind="suggestion")
    refused("resolution", services.close, actor=world.worker_a, feedback=feedback, resolution="")


def test_validity_is_for_complaints_and_an_invalid_one_needs_a_reason(world: Any) -> None:
    suggestion = submit(world.a, kind="suggestion")
    refused("not_complaint", services.decide, actor=world.worker_a, feedback=suggestion, validity="valid")
    complaint = submit(world.a)
    refused("comment_required", services.decide, actor=world.worker_a, feedback=complaint, validity="invalid")
    refused("required", services.decide, actor=world.worker_a, feedback=complaint, validity="maybe")
    services.decide(
        actor=world.worker_a, feedback=complaint, validity="invalid", reason="反映的不是本站点的事项"
    )
    complaint.refresh_from_db()
    assert complaint.validity == "invalid" and complaint.validity_reason


def test_a_complaint_cannot_close_as_resolved_while_undecided(world: Any) -> None:
    complaint = replied(world.a, world.worker_a)
    refused("undecided", services.close, actor=world.worker_a, feedback=complaint, resolution="resolved")
    assert state(complaint) == Status.REPLIED


def test_a_complaint_cannot_close_as_resolved_while_invalid(world: Any) -> None:
    complaint = replied(world.a, world.worker_a)
    services.decide(actor=world.worker_a, feedback=complaint, validity="invalid", reason="反映的情况不属实")
    refused(
        "invalid_complaint", services.close, actor=world.worker_a, feedback=complaint, resolution="resolved"
    )
    assert state(complaint) == Status.REPLIED
    services.close(actor=world.worker_a, feedback=complaint, resolution="unresolved")
    assert state(complaint) == Status.CLOSED


# ---------------------------------------------------------------- the submitter's follow-up


def test_rating_by_code_once_after_the_reply(world: Any) -> None:
    feedback = submit(world.a)
    refused(
        "wrong_state", services.rate, actor=None, feedback=feedback, rating=5, code=feedback.tracking_code
    )
    services.reply(actor=world.worker_a, feedback=feedback, text=REPLY)
    services.rate(actor=None, feedback=feedback, rating=4, comment="答复及时", code=feedback.tracking_code)
    feedback.refresh_from_db()
    assert feedback.rating == 4
    refused(
        "already_rated", services.rate, actor=None, feedback=feedback, rating=5, code=feedback.tracking_code
    )


@pytest.mark.parametrize("rating", [0, 6, "5", None, True])
def test_a_rating_is_1_to_5(world: Any, rating: Any) -> None:
    feedback = replied(world.a, world.worker_a)
    refused(
        "rating", services.rate, actor=None, feedback=feedback, rating=rating, code=feedback.tracking_code
    )


def test_only_the_submitter_or_code_holder_follows_up(world: Any) -> None:
    feedback = closed(world.a, world.worker_a, actor=world.resident)
    for stranger in (None, world.member, world.own_admin):
        with pytest.raises(PermissionDenied):
            services.rate(actor=stranger, feedback=feedback, rating=5, code="WRONGCODE234")
        with pytest.raises(PermissionDenied):
            services.reopen(actor=stranger, feedback=feedback, reason="没解决")
    services.rate(
        actor=world.resident, feedback=feedback, rating=3
    )  # the submitter, signed in, without the code


def test_reopening_after_closing(world: Any) -> None:
    feedback = closed(world.a, world.worker_a)
    refused(
        "required", services.reopen, actor=None, feedback=feedback, reason="", code=feedback.tracking_code
    )
    services.rate(actor=None, feedback=feedback, rating=2, code=feedback.tracking_code)
    services.reopen(actor=None, feedback=feedback, reason="周日还是关门", code=feedback.tracking_code)
    feedback.refresh_from_db()
    assert feedback.status == Status.ASSIGNED and feedback.assignee == world.worker_a
    assert feedback.reopen_count == 1
    assert feedback.resolution == "" and feedback.rating is None and feedback.closed_at is None
    assert FeedbackEvent.objects.filter(feedback=feedback, action="reopen", note="周日还是关门").exists()


def test_reopening_goes_back_to_the_assignee(world: Any) -> None:
    feedback = submit(world.a)
    services.assign(actor=world.own_admin, feedback=feedback, assignee=world.worker_a)
    services.reply(actor=world.worker_a, feedback=feedback, text=REPLY)
    services.decide(actor=world.worker_a, feedback=feedback, validity="valid")
    services.close(actor=world.worker_a, feedback=feedback, resolution="resolved")
    services.reopen(actor=None, feedback=feedback, reason="没有解决", code=feedback.tracking_code)
    assert state(feedback) == Status.ASSIGNED


def test_refused_follow_ups(world: Any) -> None:
    open_item = replied(world.a, world.worker_a)
    refused(
        "wrong_state",
        services.reopen,
        actor=None,
        feedback=open_item,
        reason="没解决",
        code=open_item.tracking_code,
    )
    refused(
        "wrong_state", services.confirm_solved, actor=None, feedback=open_item, code=open_item.tracking_code
    )
    done = closed(world.a, world.worker_a)
    services.confirm_solved(actor=None, feedback=done, code=done.tracking_code)
    refused("wrong_state", services.confirm_solved, actor=None, feedback=done, code=done.tracking_code)
    refused(
        "wrong_state", services.reopen, actor=None, feedback=done, reason="又坏了", code=done.tracking_code
    )


def test_reopening_is_limited(world: Any) -> None:
    feedback = submit(world.a, kind="suggestion")
    for _ in range(services.MAX_REOPENS):
        services.reply(actor=world.worker_a, feedback=feedback, text=REPLY)
        services.close(actor=world.worker_a, feedback=feedback, resolution="unresolved")
        services.reopen(actor=None, feedback=feedback, reason="仍未解决", code=feedback.tracking_code)
    services.reply(actor=world.worker_a, feedback=feedback, text=REPLY)
    services.close(actor=world.worker_a, feedback=feedback, resolution="unresolved")
    refused(
        "wrong_state",
        services.reopen,
        actor=None,
        feedback=feedback,
        reason="仍未解决",
        code=feedback.tracking_code,
    )
