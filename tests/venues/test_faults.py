"""Equipment and maintenance (§6.2, §5.5): anyone reports a fault with a photo; a fault that makes the venue
unusable blocks new bookings and warns the holders of coming ones; the building's worker repairs it and the
venue is back in service once its last blocking fault is repaired."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import Notification
from dangjian.venues import services
from dangjian.venues.models import EquipmentState, FaultStatus, Venue
from dangjian.venues.selectors import open_faults
from tests.venues.builders import booked, png, request

pytestmark = pytest.mark.django_db


def test_a_blocking_fault_blocks_booking_warns_holders_and_repair_reopens(
    venues, django_capture_on_commit_callbacks
) -> None:
    booked(venues.member, venues.book_bar, 5, 10, 12)
    with django_capture_on_commit_callbacks(execute=True):
        fault = services.fault_report(
            actor=venues.resident,
            venue=venues.book_bar,
            description="顶灯掉落，暂不能使用",
            blocks_venue=True,
            photo=png(),
        )
    assert fault.photo.name.endswith(".png") and fault.station_id == venues.a.pk
    assert Venue.objects.get(pk=venues.book_bar.pk).out_of_service
    assert Notification.objects.filter(recipient=venues.member, title__startswith="场所暂停使用").exists()
    assert Notification.objects.filter(recipient=venues.worker_a, title__startswith="新的报修").exists()
    assert list(open_faults(user=venues.worker_a)) == [fault]
    with pytest.raises(ValidationError) as caught:
        request(venues.member, venues.book_bar, 3)
    assert caught.value.code == "out_of_service"

    second = services.fault_report(
        actor=venues.member, venue=venues.book_bar, description="门锁损坏", blocks_venue=True
    )
    services.fault_assign(actor=venues.own_admin, fault=fault, assignee=venues.worker_a)
    services.fault_repair(actor=venues.worker_a, fault=fault, note="已更换灯具")
    assert Venue.objects.get(pk=venues.book_bar.pk).out_of_service  # another blocking fault is still open
    services.fault_repair(actor=venues.worker_a, fault=second, note="已换锁")
    assert not Venue.objects.get(pk=venues.book_bar.pk).out_of_service
    assert request(venues.member, venues.book_bar, 3)
    fault.refresh_from_db()
    assert fault.status == FaultStatus.REPAIRED and fault.repaired_at and fault.assigned_at


def test_a_fault_of_equipment_marks_it_faulty_until_repaired(venues) -> None:
    mic = services.equipment_save(
        actor=venues.worker_a, venue=venues.book_bar, equipment=None,
        data={"kind": "microphone", "name": "无线话筒", "quantity": 2},
    )  # fmt: skip
    fault = services.fault_report(
        actor=venues.member, venue=venues.book_bar, description="话筒没声音", equipment=mic
    )
    mic.refresh_from_db()
    assert mic.state == EquipmentState.FAULTY
    assert not Venue.objects.get(pk=venues.book_bar.pk).out_of_service  # not blocking
    services.fault_repair(actor=venues.worker_a, fault=fault, note="更换电池")
    mic.refresh_from_db()
    assert mic.state == EquipmentState.GOOD


def test_only_a_worker_of_the_venues_building_may_be_assigned_or_repair(venues) -> None:
    fault = services.fault_report(actor=venues.member, venue=venues.book_bar, description="投影偏色")
    with pytest.raises(ValidationError) as caught:
        services.fault_assign(actor=venues.own_admin, fault=fault, assignee=venues.worker_b)
    assert caught.value.code == "assignee"
    with pytest.raises(PermissionDenied):
        services.fault_repair(actor=venues.worker_b, fault=fault, note="x")
    with pytest.raises(PermissionDenied):
        services.fault_report(actor=None, venue=venues.book_bar, description="匿名")
    with pytest.raises(ValidationError):
        services.fault_report(actor=venues.member, venue=venues.book_bar, description="  ")
