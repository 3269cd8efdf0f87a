"""Registration with a waiting list (DB3212/T 1124 §5.5 活动报名; issue 10): a freed seat is offered to the
first person waiting and held for `offer_hold_hours` (default 24 h); an offer not accepted in time passes to
the next person (time travel by passing `now`, and the beat task run eagerly); acceptance is one call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.activities.models import Registration, RegistrationStatus
from dangjian.activities.selectors import open_offers_for, waiting_position
from dangjian.activities.services import (
    activity_cancel,
    activity_save,
    expire_offers,
    offer_accept,
    offer_decline,
    register,
    registration_cancel,
)
from dangjian.activities.tasks import expire_offers_task
from tests.activities.builders import fresh, inbox, new_activity, statuses

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(life):
    """Capacity 2: two registered, two waiting (positions 1 and 2)."""
    activity = new_activity(life.secretary_a, [life.world.org_a], capacity=2)
    m = life.members
    regs = [register(actor=person, activity=activity) for person in m[:4]]
    return activity, regs, m


def code_of(error: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return error.value.code or error.value.error_list[0].code


def test_a_full_activity_puts_people_on_the_waiting_list_in_order(full) -> None:
    _, regs, _ = full
    assert [r.status for r in regs] == ["registered", "registered", "waiting", "waiting"]
    assert [waiting_position(r) for r in regs] == [None, None, 1, 2]


def test_a_second_live_registration_is_refused_and_the_database_forbids_it(full) -> None:
    activity, _, m = full
    with pytest.raises(ValidationError) as error:
        register(actor=m[0], activity=activity)
    assert code_of(error) == "already_registered"
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            activity=activity, person=m[2], station=activity.station, status="offered",
            offered_at=timezone.now(), offer_expires_at=timezone.now(),
        )  # fmt: skip


def test_a_cancelled_seat_is_offered_to_the_first_waiting_and_held_24_hours(
    full, django_capture_on_commit_callbacks
) -> None:
    _, regs, m = full
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(actor=m[0], registration=regs[0], now=now)
    first, second = fresh(regs[2]), fresh(regs[3])
    assert first.status == RegistrationStatus.OFFERED
    assert first.offer_expires_at == now + timedelta(hours=24)
    assert second.status == RegistrationStatus.WAITING and waiting_position(second) == 1
    assert any("候补名额待确认" in title for title in inbox(m[2]))
    assert list(open_offers_for(m[2], now=now)) == [first]


def test_an_expired_offer_passes_to_the_next_person(full, django_capture_on_commit_callbacks) -> None:
    activity, regs, m = full
    now = timezone.now()
    registration_cancel(actor=m[0], registration=regs[0], now=now)
    assert expire_offers(now=now + timedelta(hours=23, minutes=59)) == 0  # still held
    later = now + timedelta(hours=24, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_offers(now=later) == 1
    assert fresh(regs[2]).status == RegistrationStatus.EXPIRED
    nxt = fresh(regs[3])
    assert nxt.status == RegistrationStatus.OFFERED and nxt.offer_expires_at == later + timedelta(hours=24)
    assert any("候补名额已过期" in title for title in inbox(m[2]))
    # the late tap of the first person is refused, the next person's is taken
    with pytest.raises(ValidationError) as error:
        offer_accept(actor=m[2], registration=regs[2], now=later)
    assert code_of(error) == "no_offer"
    assert offer_accept(actor=m[3], registration=nxt, now=later).status == RegistrationStatus.REGISTERED
    assert statuses(activity) == ["cancelled", "registered", "expired", "registered"]


def test_accepting_after_the_expiry_is_refused_even_before_the_task_ran(full) -> None:
    _, regs, m = full
    now = timezone.now()
    registration_cancel(actor=m[0], registration=regs[0], now=now)
    with pytest.raises(ValidationError) as error:
        offer_accept(actor=m[2], registration=regs[2], now=now + timedelta(hours=24))
    assert code_of(error) == "offer_expired"
    assert fresh(regs[2]).status == RegistrationStatus.OFFERED  # the task expires it and passes it on


def test_the_beat_task_run_eagerly_expires_offers_and_passes_them_on(full, settings) -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER
    _, regs, m = full
    registration_cancel(actor=m[0], registration=regs[0], now=timezone.now() - timedelta(hours=25))
    assert fresh(regs[2]).offer_expires_at < timezone.now()
    assert expire_offers_task.delay().get() == 1
    assert [fresh(r).status for r in regs[2:]] == ["expired", "offered"]
    assert settings.CELERY_BEAT_SCHEDULE["activities-expire-offers"] == {
        "task": "activities.expire_offers",
        "schedule": 300.0,
    }


def test_acceptance_is_one_call_and_a_second_tap_changes_nothing(full) -> None:
    activity, regs, m = full
    registration_cancel(actor=m[1], registration=regs[1])
    accepted = offer_accept(actor=m[2], registration=regs[2])
    assert accepted.status == RegistrationStatus.REGISTERED and accepted.confirmed_at is not None
    with pytest.raises(ValidationError) as error:
        offer_accept(actor=m[2], registration=regs[2])
    assert code_of(error) == "already_registered"
    assert statuses(activity).count("registered") == 2


def test_declining_passes_the_seat_on(full) -> None:
    _, regs, m = full
    registration_cancel(actor=m[0], registration=regs[0])
    offer_decline(actor=m[2], registration=regs[2])
    assert [fresh(r).status for r in regs[2:]] == ["declined", "offered"]


def test_only_the_person_answers_their_offer(full) -> None:
    from django.core.exceptions import PermissionDenied

    activity, regs, m = full
    registration_cancel(actor=m[0], registration=regs[0])
    for stranger in (m[3], activity.created_by):
        with pytest.raises(PermissionDenied):
            offer_accept(actor=stranger, registration=regs[2])
    assert fresh(regs[2]).status == RegistrationStatus.OFFERED


def test_an_offer_is_never_held_past_the_start(life) -> None:
    starts = timezone.now() + timedelta(hours=5)
    activity = new_activity(life.secretary_a, [life.world.org_a], capacity=1, starts_at=starts)
    first, second = (register(actor=p, activity=activity) for p in life.members[:2])
    registration_cancel(actor=life.members[0], registration=first)
    assert fresh(second).offer_expires_at == starts


def test_cancelling_after_the_deadline_is_refused(life) -> None:
    starts = timezone.now() + timedelta(days=3)
    activity = new_activity(
        life.secretary_a, [life.world.org_a], starts_at=starts, cancel_deadline=starts - timedelta(days=1)
    )
    registration = register(actor=life.members[0], activity=activity)
    with pytest.raises(ValidationError) as error:
        registration_cancel(
            actor=life.members[0], registration=registration, now=starts - timedelta(hours=23)
        )
    assert code_of(error) == "cancel_deadline_passed"
    early = starts - timedelta(days=2)
    cancelled = registration_cancel(actor=life.members[0], registration=registration, now=early)
    assert cancelled.status == RegistrationStatus.CANCELLED


def test_raising_the_capacity_offers_the_new_seats_and_lowering_below_taken_is_refused(full) -> None:
    activity, regs, _ = full
    organizers = list(activity.organizers.all())
    activity.capacity = 1
    with pytest.raises(ValidationError) as error:
        activity_save(actor=activity.created_by, activity=activity, organizations=organizers)
    assert "名额不能少于 2" in str(error.value)
    activity.capacity = 3
    activity_save(actor=activity.created_by, activity=activity, organizations=organizers)
    assert [fresh(r).status for r in regs[2:]] == ["offered", "waiting"]


def test_cancelling_the_activity_cancels_and_tells_everyone(full, django_capture_on_commit_callbacks) -> None:
    activity, _, m = full
    with django_capture_on_commit_callbacks(execute=True):
        activity_cancel(actor=activity.created_by, activity=activity, reason="场地检修")
    assert set(statuses(activity)) == {"cancelled"}
    for person in m[:4]:
        assert any("活动已取消" in title for title in inbox(person))


def test_after_cancelling_one_may_register_again(full) -> None:
    activity, regs, m = full
    registration_cancel(actor=m[3], registration=regs[3])
    again = register(actor=m[3], activity=activity)
    assert again.pk != regs[3].pk and again.status == RegistrationStatus.WAITING
    assert waiting_position(again) == 2 and waiting_position(fresh(regs[2])) == 1
