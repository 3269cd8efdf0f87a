"""Service items (服务项目): a schedule as data plans occurrences; a delivery records the actual time — on
time inside the promised window, late after it; an occurrence not delivered when its window ends is missed
(the beat, idempotent); late and missed ones are listed."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.evaluation import schedules, selectors, services
from dangjian.evaluation.models import OccurrenceStatus, ServiceItem, ServiceOccurrence
from tests.evaluation.builders import at, day, make_item, occurrence

pytestmark = pytest.mark.django_db


def data(**fields) -> services.ItemData:
    values = {
        "title": "每月一次党课讲座",
        "kind": "lecture",
        "promise": "每月 15 日下午两点半在讲堂开讲，准时开始",
        "recurrence": "monthly",
        "weekday": None,
        "day_of_month": 15,
        "at_time": time(14, 30),
        "window_minutes": 10,
        "starts_on": day(-40),
    }
    values.update(fields)
    return services.ItemData(**values)


def test_weekly_and_monthly_schedules() -> None:
    weekly = list(
        schedules.planned_days(
            recurrence="weekly", weekday=2, day_of_month=None, first=date(2026, 3, 1), last=date(2026, 3, 31)
        )
    )
    assert weekly == [date(2026, 3, 4), date(2026, 3, 11), date(2026, 3, 18), date(2026, 3, 25)]
    monthly = list(
        schedules.planned_days(
            recurrence="monthly",
            weekday=None,
            day_of_month=15,
            first=date(2026, 11, 20),
            last=date(2027, 2, 14),
        )
    )
    assert monthly == [date(2026, 12, 15), date(2027, 1, 15)]


def test_saving_an_item_plans_its_occurrences_once(world) -> None:
    item = services.service_item_save(actor=world.own_admin, station=world.a, data=data())
    planned = ServiceOccurrence.objects.filter(item=item).count()
    assert planned >= 3  # from 40 days ago to about two months ahead
    assert services.plan_occurrences(item=item) == 0  # again: nothing new
    first = ServiceOccurrence.objects.filter(item=item).order_by("scheduled_at").first()
    local = timezone.localtime(first.scheduled_at)
    assert (local.day, local.hour, local.minute) == (15, 14, 30)
    assert first.window_ends_at - first.scheduled_at == timedelta(minutes=10)


def test_only_the_station_admin_keeps_items_and_bad_schedules_are_refused(world) -> None:
    with pytest.raises(PermissionDenied):
        services.service_item_save(actor=world.other_admin, station=world.a, data=data())
    with pytest.raises(PermissionDenied):
        services.service_item_save(actor=world.worker_a, station=world.a, data=data())
    with pytest.raises(ValidationError):
        services.service_item_save(actor=world.own_admin, station=world.a, data=data(day_of_month=31))
    with pytest.raises(ValidationError):
        services.service_item_save(actor=world.own_admin, station=world.a, data=data(recurrence="weekly"))
    with pytest.raises(ValidationError):
        services.service_item_save(actor=world.own_admin, station=world.a, data=data(title="讲座\x00"))
    assert not ServiceItem.objects.exists()


def test_on_time_late_and_missed(world) -> None:
    item = make_item(world.a, window_minutes=15)
    on_time = occurrence(item, at(day(-3), 9))
    late = occurrence(item, at(day(-2), 9))
    missed = occurrence(item, at(day(-1), 9))
    future = occurrence(item, at(day(2), 9))

    services.delivery_record(actor=world.worker_a, occurrence=on_time, delivered_at=at(day(-3), 9, 12))
    services.delivery_record(
        actor=world.worker_a, occurrence=late, delivered_at=at(day(-2), 9, 40), note="钥匙交接延误"
    )
    assert services.mark_missed() == 1
    assert services.mark_missed() == 0  # idempotent

    statuses = dict(ServiceOccurrence.objects.values_list("pk", "status"))
    assert statuses[on_time.pk] == statuses[late.pk] == OccurrenceStatus.DELIVERED
    assert statuses[missed.pk] == OccurrenceStatus.MISSED and statuses[future.pk] == OccurrenceStatus.PLANNED
    assert ServiceOccurrence.objects.get(pk=on_time.pk).on_time is True
    assert ServiceOccurrence.objects.get(pk=late.pk).on_time is False
    listed = set(selectors.exceptions_for(user=world.own_admin).values_list("pk", flat=True))
    assert listed == {late.pk, missed.pk}

    # a missed one recorded afterwards is a late delivery
    services.delivery_record(actor=world.worker_a, occurrence=missed, delivered_at=at(day(-1), 11))
    again = ServiceOccurrence.objects.get(pk=missed.pk)
    assert again.status == OccurrenceStatus.DELIVERED and again.on_time is False


def test_a_delivery_is_recorded_once_and_never_in_the_future(world) -> None:
    item = make_item(world.a)
    planned = occurrence(item, at(day(-1), 9))
    with pytest.raises(ValidationError):
        services.delivery_record(
            actor=world.worker_a, occurrence=planned, delivered_at=timezone.now() + timedelta(hours=2)
        )
    services.delivery_record(actor=world.worker_a, occurrence=planned, delivered_at=at(day(-1), 9))
    with pytest.raises(ValidationError) as refused:
        services.delivery_record(actor=world.worker_a, occurrence=planned, delivered_at=at(day(-1), 9, 5))
    assert refused.value.code == "wrong_state"


def test_another_station_records_nothing(world) -> None:
    planned = occurrence(make_item(world.a), at(day(-1), 9))
    with pytest.raises(PermissionDenied):
        services.delivery_record(actor=world.other_admin, occurrence=planned, delivered_at=at(day(-1), 9))
    with pytest.raises(PermissionDenied):
        services.delivery_record(actor=world.member, occurrence=planned, delivered_at=at(day(-1), 9))


def test_the_pages(world, client) -> None:
    client.force_login(world.own_admin)
    page = client.post(
        "/manage/evaluation/items/new/",
        {
            "station": world.a.pk,
            "title": "阵地开放",
            "kind": "opening",
            "recurrence": "weekly",
            "weekday": "0",
            "at_time": "09:00",
            "window_minutes": "15",
            "starts_on": day(-14).isoformat(),
        },
    )
    assert page.status_code == 302
    item = ServiceItem.objects.get(title="阵地开放")
    detail = client.get(f"/manage/evaluation/items/{item.pk}/").content.decode()
    assert "每周一 09:00" in detail and "登记提供" in detail
    first = ServiceOccurrence.objects.filter(item=item).order_by("scheduled_at").first()
    delivered = client.post(
        f"/manage/evaluation/occurrences/{first.pk}/deliver/",
        {
            "delivered_at": timezone.localtime(first.scheduled_at + timedelta(minutes=40)).strftime(
                "%Y-%m-%dT%H:%M"
            )
        },
    )
    assert delivered.status_code == 302
    assert client.get("/manage/evaluation/exceptions/").content.decode().count('ev-late">迟到提供') == 1
