"""Keeping venues (§6.1, §6.2): the station admin creates and edits venues, opening hours and closed days;
the building's worker keeps equipment; every write is audited."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import AuditEvent
from dangjian.venues import services
from dangjian.venues.models import ClosedDay, OpeningHours, Venue
from tests.venues.builders import day, png, request

pytestmark = pytest.mark.django_db


def audit(prefix: str = "venues.") -> list[str]:
    return list(
        AuditEvent.objects.with_scopes_disabled()
        .filter(action__startswith=prefix)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_admin_creates_and_edits_a_venue_with_a_photo(venues) -> None:
    venue = services.venue_save(
        actor=venues.own_admin,
        venue=Venue(station=venues.a),
        data={
            "name": "万达红色讲堂",
            "kind": "lecture",
            "capacity": 120,
            "photo": png(),
            "building": venues.building_a,
        },
    )
    assert venue.pk and venue.photo.name.startswith("venues/photos/") and venue.checkin_token
    services.venue_save(actor=venues.hq_admin, venue=venue, data={"capacity": 100})
    assert Venue.objects.get(pk=venue.pk).capacity == 100
    assert audit("venues.venue") == ["venues.venue.create", "venues.venue.update"]
    with pytest.raises(ValidationError):
        services.venue_save(actor=venues.own_admin, venue=venue, data={"building": venues.building_b})


def test_moving_a_venue_to_another_station_needs_the_right_there(venues) -> None:
    with pytest.raises(PermissionDenied):
        services.venue_save(actor=venues.other_admin, venue=Venue(station=venues.a), data={"name": "新馆"})
    venue = Venue.objects.get(pk=venues.hall.pk)
    venue.station = venues.b
    with pytest.raises(PermissionDenied):
        services.venue_save(actor=venues.own_admin, venue=venue, data={})


def test_opening_hours_replace_the_week(venues) -> None:
    services.opening_hours_set(
        actor=venues.own_admin, venue=venues.book_bar, hours={0: (time(9), time(17)), 5: None}
    )
    assert list(OpeningHours.objects.filter(venue=venues.book_bar).values_list("weekday", "opens")) == [
        (0, time(9))
    ]
    with pytest.raises(ValidationError):
        services.opening_hours_set(
            actor=venues.own_admin, venue=venues.book_bar, hours=[(1, time(18), time(9))]
        )
    with pytest.raises(PermissionDenied):
        services.opening_hours_set(actor=venues.guide_a, venue=venues.book_bar, hours=[])
    assert "venues.hours.set" in audit()


def test_a_closed_day_warns_holders_and_can_be_removed(venues, django_capture_on_commit_callbacks) -> None:
    request(venues.member, venues.hall, 6)
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.closed_day_add(
            actor=venues.own_admin, station=venues.a, venue=None, date=day(6), reason="国庆节"
        )
    from dangjian.core.models import Notification

    assert Notification.objects.filter(recipient=venues.member, title__contains="闭馆").exists()
    with pytest.raises(ValidationError):
        services.closed_day_add(
            actor=venues.own_admin, station=venues.a, venue=None, date=day(6), reason="again"
        )
    with pytest.raises(ValidationError):
        services.closed_day_add(
            actor=venues.own_admin, station=venues.a, venue=venues.salon_b, date=day(7), reason="x"
        )
    services.closed_day_remove(actor=venues.own_admin, closed_day=closed)
    assert not ClosedDay.objects.exists()
    assert audit("venues.closed_day") == ["venues.closed_day.add", "venues.closed_day.remove"]


def test_equipment_is_kept_by_the_buildings_worker(venues) -> None:
    item = services.equipment_save(
        actor=venues.worker_a,
        venue=venues.book_bar,
        equipment=None,
        data={"kind": "screen", "name": "电子显示屏"},
    )
    services.equipment_save(
        actor=venues.worker_a, venue=venues.book_bar, equipment=item, data={"quantity": 2}
    )
    item.refresh_from_db()
    assert item.quantity == 2
    with pytest.raises(PermissionDenied):
        services.equipment_save(
            actor=venues.worker_b, venue=venues.book_bar, equipment=item, data={"quantity": 3}
        )
    with pytest.raises(ValidationError):
        services.equipment_save(
            actor=venues.worker_b, venue=venues.salon_b, equipment=item, data={"quantity": 3}
        )
    assert audit("venues.equipment") == ["venues.equipment.create", "venues.equipment.update"]


def test_work_page_cards_count_what_each_person_may_act_on(venues) -> None:
    from dangjian.core.workcards import work_page_for

    request(venues.resident, venues.book_bar, 3)
    request(venues.member, venues.hall, 4)
    services.fault_report(actor=venues.member, venue=venues.book_bar, description="音响杂音")
    guide = work_page_for(venues.guide_a)
    assert guide.card("venues.review_queue").count == 1
    assert work_page_for(venues.guide_b).card("venues.review_queue").count == 0
    assert work_page_for(venues.worker_a).card("venues.faults").count == 1
    assert work_page_for(venues.worker_b).card("venues.faults").count == 0
    assert work_page_for(venues.member).card("venues.mine").count == 1
    assert work_page_for(venues.member_b).card("venues.mine") is None  # no bookings, no card
