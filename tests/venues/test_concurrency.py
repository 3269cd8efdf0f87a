"""No double booking, guaranteed by the database (issue 9 acceptance): 20 guides' approvals of overlapping
requests of one venue at the same instant leave exactly one approved, and 20 people requesting the same
slot of a venue booked without approval leave exactly one booking — threads released by a barrier against
the real database (SQLite: IMMEDIATE transactions; PostgreSQL: the venue row lock and the exclusion
constraint)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from dangjian.venues import services
from dangjian.venues.models import Reservation, ReservationStatus
from tests import factories as f
from tests.concurrency import run_at_once
from tests.venues.builders import at, booked

TIMES = 20


def _holders(n: int) -> list[Any]:
    return [f.UserFactory(username=f"reader{i}") for i in range(n)]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_approvals_of_overlapping_requests_leave_exactly_one(venues) -> None:
    pending = [
        booked(holder, venues.book_bar, 3, 9 + i % 2, 11 + i % 2, status=ReservationStatus.PENDING)
        for i, holder in enumerate(_holders(TIMES))
    ]

    def approve(index: int) -> Any:
        return services.reservation_approve(actor=venues.guide_a, reservation=pending[index])

    outcomes = run_at_once(approve, TIMES, timeout=120)

    assert len(outcomes) == TIMES
    wins = [o for o in outcomes if isinstance(o, services.ApprovalResult)]
    losses = [o for o in outcomes if not isinstance(o, services.ApprovalResult)]
    assert len(wins) == 1, outcomes
    assert all(isinstance(o, ValidationError) and o.code in {"wrong_state", "conflict"} for o in losses), (
        losses
    )
    assert Reservation.objects.filter(status=ReservationStatus.APPROVED).count() == 1
    assert Reservation.objects.filter(status=ReservationStatus.REJECTED).count() == TIMES - 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_of_a_venue_without_approval_leave_exactly_one(venues) -> None:
    venues.hall.audience = "public"
    venues.hall.save()
    people = _holders(TIMES)

    def book(index: int) -> Any:
        return services.reservation_request(
            actor=people[index],
            venue=venues.hall,
            starts_at=at(3, 14),
            ends_at=at(3, 16),
            purpose="青年理论学习小组",
            head_count=12,
        )

    outcomes = run_at_once(book, TIMES, timeout=120)

    made = [o for o in outcomes if isinstance(o, list)]
    assert len(made) == 1, outcomes
    assert all(isinstance(o, ValidationError) and o.code == "conflict" for o in outcomes if o not in made)
    assert Reservation.objects.filter(venue=venues.hall, status=ReservationStatus.APPROVED).count() == 1


@pytest.mark.django_db
def test_on_postgresql_the_database_itself_refuses_overlapping_approved_bookings(venues) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    booked(venues.member, venues.book_bar, 3, 10, 12)
    with pytest.raises(IntegrityError), transaction.atomic():
        booked(venues.resident, venues.book_bar, 3, 11, 13)  # written past the services
    booked(venues.resident, venues.book_bar, 3, 12, 13)  # touching is no overlap ('[)')
    booked(venues.resident, venues.book_bar, 3, 11, 13, status=ReservationStatus.PENDING)  # pending: no slot
