"""Real concurrency on the last seat (issue 10 acceptance; MISSION.md: "waiting lists that hold no seat",
"bookings that double up under a race"): threads released together by a barrier, each on its own database
connection, on SQLite (IMMEDIATE transactions) and PostgreSQL (row locks). Exactly one takes the seat."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dangjian.accounts.models import User
from dangjian.activities.models import SEAT_STATUSES, Activity, Registration, RegistrationStatus
from dangjian.activities.selectors import waiting_position
from dangjian.activities.services import offer_accept, register, registration_cancel
from tests.activities.builders import new_activity
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE = 6


def _activity(pk: int) -> Activity:
    return Activity.objects.prefetch_related("organizers").get(pk=pk)


def _seats(activity_id: int) -> int:
    return Registration.objects.filter(activity_id=activity_id, status__in=SEAT_STATUSES).count()


def test_registrations_at_once_for_the_last_seat_leave_one_taker(life) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a], capacity=1)
    people = [User.objects.get(pk=p.pk) for p in life.members[:PEOPLE]]

    outcomes = run_at_once(lambda i: register(actor=people[i], activity=_activity(activity.pk)), PEOPLE)

    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    taken = [o for o in outcomes if o.status == RegistrationStatus.REGISTERED]
    waiting = [o for o in outcomes if o.status == RegistrationStatus.WAITING]
    assert len(taken) == 1 and len(waiting) == PEOPLE - 1
    assert sorted(waiting_position(w) for w in waiting) == list(range(1, PEOPLE))
    assert _seats(activity.pk) == 1


def test_acceptances_at_once_of_one_offer_leave_one_taker(life) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a], capacity=1)
    holder, waiting = (register(actor=p, activity=activity) for p in life.members[:2])
    registration_cancel(actor=life.members[0], registration=holder)
    person = life.members[1]

    def tap(_: int) -> Registration:
        return offer_accept(
            actor=User.objects.get(pk=person.pk), registration=Registration.objects.get(pk=waiting.pk)
        )

    outcomes = run_at_once(tap, PEOPLE)

    accepted = [o for o in outcomes if isinstance(o, Registration)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(accepted) == 1 and len(refused) == PEOPLE - 1, outcomes
    assert {e.code for e in refused} == {"already_registered"}
    assert _seats(activity.pk) == 1
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.REGISTERED


def test_a_seat_freed_while_others_register_goes_to_exactly_one(life) -> None:
    """The holder cancels while newcomers register at the same time: the capacity is never exceeded and
    the freed seat has exactly one taker — the head of the queue, who waited before every newcomer."""
    activity = new_activity(life.secretary_a, [life.world.org_a], capacity=1)
    holder, head = (register(actor=p, activity=activity) for p in life.members[:2])
    newcomers = life.members[2 : 2 + PEOPLE - 1]

    def act(i: int) -> object:
        current = _activity(activity.pk)
        if i == 0:
            return registration_cancel(
                actor=User.objects.get(pk=life.members[0].pk),
                registration=Registration.objects.get(pk=holder.pk),
            )
        return register(actor=User.objects.get(pk=newcomers[i - 1].pk), activity=current)

    outcomes = run_at_once(act, PEOPLE)

    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert _seats(activity.pk) == 1
    # the freed seat went to the head of the queue, who was waiting before every newcomer
    assert Registration.objects.get(pk=head.pk).status == RegistrationStatus.OFFERED
    assert Registration.objects.filter(activity_id=activity.pk, status="waiting").count() == PEOPLE - 1
