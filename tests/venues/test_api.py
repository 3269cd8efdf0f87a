"""JSON API of venues (`/api/v1/venues/…`): reads, free/busy, reservations with the services' refusal
codes, the guide's queue and decisions, check-in, faults and tours; another station's guide meets A's
objects as missing; bad input answers 4xx with a code; lists use a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.venues.models import (
    ClosedDay,
    Equipment,
    FaultReport,
    Reservation,
    ReservationStatus,
    Tour,
    TourStatus,
    Venue,
)
from tests import factories as f
from tests.venues.builders import at, booked, day, make_venue, request, status_of

pytestmark = pytest.mark.django_db

API = "/api/v1/venues"


def post(client: Client, path: str, body: Any = None, **extra: Any) -> Any:
    return client.post(
        f"{API}{path}", body if body is not None else {}, content_type="application/json", **extra
    )


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def slot(offset: int, start: int, end: int, **more: Any) -> dict[str, Any]:
    return {
        "starts_at": at(offset, start).isoformat(),
        "ends_at": at(offset, end).isoformat(),
        "purpose": "支部主题党日",
        "head_count": 10,
        **more,
    }


@pytest.fixture
def public_venue(venues: Any) -> Venue:
    return make_venue(venues.a, name="万达广场共享讲堂", kind="lecture", capacity=120, audience="public")


# ---------------------------------------------------------------- venues and free/busy


def test_anonymous_visitors_see_public_venues_only(venues, public_venue, client) -> None:
    ids = [item["id"] for item in client.get(API).json()["items"]]
    assert ids == [public_venue.pk]
    assert client.get(f"{API}/{venues.book_bar.pk}").status_code == 404
    assert client.get(f"{API}/{public_venue.pk}").status_code == 200


def test_people_signed_in_see_every_active_venue_and_filter(venues, public_venue, client) -> None:
    Venue.objects.filter(pk=venues.salon_b.pk).update(is_active=False)
    as_user(client, venues.member)
    ids = {item["id"] for item in client.get(API).json()["items"]}
    assert ids == {venues.book_bar.pk, venues.hall.pk, public_venue.pk}
    assert [v["id"] for v in client.get(API, {"kind": "hall"}).json()["items"]] == [venues.hall.pk]
    assert client.get(API, {"station": venues.b.pk}).json()["items"] == []
    as_user(client, venues.resident_b)  # lives by B, which is not open to its surroundings
    bookable = {v["id"] for v in client.get(API, {"bookable": "true"}).json()["items"]}
    assert bookable == {public_venue.pk}


def test_venue_detail_shape(venues, client) -> None:
    venue = venues.book_bar
    Equipment.objects.create(venue=venue, kind="projector", name="爱普生投影仪", quantity=1)
    ClosedDay.objects.create(station=venues.a, date=day(5), reason="国庆节")
    as_user(client, venues.member)
    data = client.get(f"{API}/{venue.pk}").json()
    assert data["kind"] == "book_bar" and data["kind_label"] == "书吧"
    assert data["station"] == {"id": venues.a.pk, "name": venues.a.name}
    assert data["building"]["id"] == venues.building_a.pk
    assert data["audience"] == "surroundings" and data["audience_label"] == "本站及周边社区"
    assert data["policy"]["monthly_quota"] == 8
    assert data["opening_hours"][0] == {
        "weekday": 0,
        "weekday_label": "星期一",
        "opens": "08:00",
        "closes": "21:00",
    }
    assert data["closed_days"] == [{"date": day(5).isoformat(), "reason": "国庆节", "whole_station": True}]
    assert data["equipment"][0]["kind_label"] == "投影" and data["equipment"][0]["state_label"] == "完好"


def test_busy_gives_times_only(venues, public_venue, client) -> None:
    booked(venues.member, public_venue, 2, 10, 12)
    booked(venues.member, public_venue, 2, 14, 15, status=ReservationStatus.PENDING)
    booked(venues.member, public_venue, 2, 16, 17, status=ReservationStatus.CANCELLED)
    response = client.get(
        f"{API}/{public_venue.pk}/busy", {"start": at(2, 0).isoformat(), "end": at(3, 0).isoformat()}
    )
    assert response.status_code == 200, response.content
    busy = response.json()["busy"]
    assert [(b["starts_at"], b["tentative"]) for b in busy] == [
        (at(2, 10).isoformat(), False),
        (at(2, 14).isoformat(), True),
    ]
    assert busy[0]["starts_at"].endswith("+08:00")
    assert set(busy[0]) == {"starts_at", "ends_at", "tentative"}
    assert "读书分享会" not in response.content.decode()


def test_busy_refuses_people_outside_the_audience_and_bad_windows(venues, client) -> None:
    as_user(client, venues.member_b)
    refused = client.get(f"{API}/{venues.hall.pk}/busy")
    assert (refused.status_code, refused.json()["code"]) == (403, "audience")
    as_user(client, venues.member)
    url = f"{API}/{venues.hall.pk}/busy"
    assert client.get(url).status_code == 200
    for params in (
        {"start": at(3, 0).isoformat(), "end": at(1, 0).isoformat()},
        {"start": at(0, 0).isoformat(), "end": at(200, 0).isoformat()},
        {"start": "0001-01-01T00:00:00"},
        {"start": "9999-12-31T23:59:59"},
        {"end": "明天"},
    ):
        response = client.get(url, params)
        assert (response.status_code, response.json()["code"]) == (422, "invalid"), params


# ---------------------------------------------------------------- reserving


def test_reserve_a_venue_needing_approval(venues, client) -> None:
    as_user(client, venues.resident)  # lives in A's surrounding community; A is open to it
    response = post(client, f"/{venues.book_bar.pk}/reservations", slot(3, 10, 12))
    assert response.status_code == 201, response.content
    [made] = response.json()
    assert made["status"] == "pending" and made["status_label"] == "待审核"
    assert made["starts_at"] == at(3, 10).isoformat() and made["holder"]["id"] == venues.resident.pk
    assert made["venue"] == {"id": venues.book_bar.pk, "name": "万达书吧"}


def test_reserve_without_approval_and_weekly(venues, client) -> None:
    as_user(client, venues.member)
    response = post(
        client,
        f"/{venues.hall.pk}/reservations",
        slot(1, 9, 10, recurrence="weekly", until=day(15).isoformat()),
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert len(made) == 3 and {m["status"] for m in made} == {"approved"}
    assert len({m["series_id"] for m in made}) == 1 and made[0]["series_id"] is not None


def test_a_naive_time_is_read_as_beijing_time(venues, client) -> None:
    as_user(client, venues.member)
    body = {**slot(3, 10, 12), "starts_at": f"{day(3)}T10:00:00", "ends_at": f"{day(3)}T12:00:00"}
    response = post(client, f"/{venues.book_bar.pk}/reservations", body)
    assert response.status_code == 201, response.content
    assert Reservation.objects.get().starts_at == at(3, 10)


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("conflict", 409, "conflict"),
        ("quota", 400, "quota"),
        ("past", 400, "past"),
        ("out_of_service", 400, "out_of_service"),
        ("audience", 403, "audience"),
        ("closed", 400, "closed"),
        ("outside_hours", 400, "outside_hours"),
        ("over_capacity", 400, "over_capacity"),
        ("too_far", 400, "too_far"),
        ("too_soon", 400, "too_soon"),
        ("too_long", 400, "too_long"),
        ("recurring_conflict", 409, "conflict"),
    ],
)
def test_reserve_refusals_keep_the_services_code(venues, client, case, status, code) -> None:
    venue, user, body = venues.book_bar, venues.member, slot(3, 10, 12)
    if case == "conflict":
        booked(venues.guide_a, venue, 3, 11, 13)
    elif case == "quota":
        Venue.objects.filter(pk=venue.pk).update(monthly_quota=1)
        booked(user, venue, 3, 14, 15, status=ReservationStatus.NO_SHOW)  # a no-show counts
        body = slot(3, 16, 17)
    elif case == "past":
        body = slot(-1, 10, 12)
    elif case == "out_of_service":
        Venue.objects.filter(pk=venue.pk).update(out_of_service=True, out_of_service_reason="空调漏水")
    elif case == "audience":
        user = venues.member_b
    elif case == "closed":
        ClosedDay.objects.create(station=venues.a, date=day(3), reason="国庆节")
    elif case == "outside_hours":
        body = slot(3, 6, 9)
    elif case == "over_capacity":
        body = slot(3, 10, 12, head_count=21)
    elif case == "too_far":
        body = slot(31, 10, 12)
    elif case == "too_soon":
        soon = timezone.localtime() + timedelta(minutes=20)
        body = {**body, "starts_at": soon.isoformat(), "ends_at": (soon + timedelta(minutes=30)).isoformat()}
    elif case == "too_long":
        body = slot(3, 9, 14)
    elif case == "recurring_conflict":
        booked(venues.guide_a, venue, 1 + 28, 10, 11)  # the 5th weekly occurrence
        body = slot(1, 10, 12, recurrence="weekly", until=day(1 + 28).isoformat())
    as_user(client, user)

    response = post(client, f"/{venue.pk}/reservations", body)

    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Reservation.objects.filter(holder=user).exclude(status=ReservationStatus.NO_SHOW).exists()
    if case == "recurring_conflict":
        fifth = day(1 + 28)
        assert f"{fifth.year}年{fifth.month}月{fifth.day}日" in response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"starts_at": 1e400}',
        {"starts_at": "明天上午", "ends_at": "明天中午", "purpose": "党课", "head_count": 5},
        {**{"purpose": "党课", "head_count": "很多"}},
        {
            "starts_at": "0001-01-01T00:00:00",
            "ends_at": "0001-01-01T01:00:00",
            "purpose": "党课",
            "head_count": 5,
        },
        {
            "starts_at": "9999-12-31T10:00:00",
            "ends_at": "9999-12-31T11:00:00",
            "purpose": "党课",
            "head_count": 5,
        },
        {
            "starts_at": "2030-01-01T10:00:00",
            "ends_at": "2030-01-01T09:00:00",
            "purpose": "党课",
            "head_count": 5,
        },
        {
            "starts_at": "2030-01-01T10:00:00",
            "ends_at": "2030-01-01T11:00:00",
            "purpose": "",
            "head_count": 5,
        },
        {
            "starts_at": "2030-01-01T10:00:00",
            "ends_at": "2030-01-01T11:00:00",
            "purpose": "a\x00b",
            "head_count": 5,
        },
        {
            "starts_at": "2030-01-01T10:00:00",
            "ends_at": "2030-01-01T11:00:00",
            "purpose": "党课",
            "head_count": 10**20,
        },
        {**slot(3, 10, 11), "recurrence": "daily", "until": "2030-01-01"},
        {**slot(3, 10, 11), "recurrence": "weekly", "until": "9999-12-31"},
    ],
)
def test_bad_bodies_answer_4xx_with_a_code(venues, client, body) -> None:
    as_user(client, venues.member)
    if isinstance(body, str):
        response = client.post(
            f"{API}/{venues.book_bar.pk}/reservations", body, content_type="application/json"
        )
    else:
        response = post(client, f"/{venues.book_bar.pk}/reservations", body)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["code"] in {"invalid", "invalid_body", "invalid_json"}
    assert not Reservation.objects.exists()


def test_a_recurring_request_without_an_end_date_is_refused(venues, client) -> None:
    as_user(client, venues.member)
    response = post(client, f"/{venues.book_bar.pk}/reservations", slot(3, 10, 11, recurrence="weekly"))
    assert (response.status_code, response.json()["code"]) == (400, "until")


def test_anonymous_callers_must_sign_in(venues, public_venue, client) -> None:
    assert post(client, f"/{public_venue.pk}/reservations", slot(3, 10, 12)).status_code == 401
    for path in ("/reservations/mine", "/reservations/review-queue", "/faults", "/tours"):
        response = client.get(f"{API}{path}")
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated"), path


# ---------------------------------------------------------------- my bookings, the guide's queue


def test_my_reservations(venues, client) -> None:
    mine = booked(venues.member, venues.book_bar, 3, 10, 12)
    old = booked(venues.member, venues.book_bar, -3, 10, 12, status=ReservationStatus.CHECKED_IN)
    booked(venues.guide_a, venues.book_bar, 4, 10, 12)
    as_user(client, venues.member)
    assert [r["id"] for r in client.get(f"{API}/reservations/mine").json()["items"]] == [mine.pk, old.pk]
    upcoming = client.get(f"{API}/reservations/mine", {"upcoming": "true"}).json()["items"]
    assert [r["id"] for r in upcoming] == [mine.pk]
    assert client.get(f"{API}/reservations/mine", {"status": "checked_in"}).json()["count"] == 1


def test_review_queue_lists_pending_requests_with_their_conflicts(venues, client) -> None:
    [first] = request(venues.member, venues.book_bar, 3, 10, 12)
    [second] = request(venues.resident, venues.book_bar, 3, 11, 13)
    holding = booked(venues.guide_a, venues.book_bar, 3, 12, 14)
    [elsewhere] = request(venues.member, venues.book_bar, 5, 10, 12)
    as_user(client, venues.guide_a)
    data = client.get(f"{API}/reservations/review-queue").json()
    assert data["count"] == 3
    by_id = {item["id"]: item for item in data["items"]}
    assert [c["id"] for c in by_id[first.pk]["conflicts"]] == [second.pk]
    assert [c["id"] for c in by_id[second.pk]["conflicts"]] == [first.pk, holding.pk]
    assert by_id[elsewhere.pk]["conflicts"] == []
    assert by_id[second.pk]["conflicts"][1]["status"] == "approved"
    as_user(client, venues.guide_b)
    assert client.get(f"{API}/reservations/review-queue").json() == {"items": [], "count": 0}


def test_approve_answers_the_auto_rejected_ids(venues, client) -> None:
    [first] = request(venues.member, venues.book_bar, 3, 10, 12)
    [second] = request(venues.resident, venues.book_bar, 3, 11, 13)
    as_user(client, venues.guide_a)

    response = post(client, f"/reservations/{first.pk}/approve")

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reservation"]["status"] == "approved" and data["auto_rejected"] == [second.pk]
    assert status_of(second) == ReservationStatus.REJECTED
    again = post(client, f"/reservations/{first.pk}/approve")
    assert (again.status_code, again.json()["code"]) == (400, "wrong_state")


def test_approve_over_an_approved_booking_is_a_conflict(venues, client) -> None:
    [pending] = request(venues.member, venues.book_bar, 3, 10, 12)
    booked(venues.guide_a, venues.book_bar, 3, 11, 12)
    as_user(client, venues.guide_a)
    response = post(client, f"/reservations/{pending.pk}/approve")
    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    assert status_of(pending) == ReservationStatus.PENDING


def test_reject_needs_a_reason(venues, client) -> None:
    [pending] = request(venues.member, venues.book_bar, 3, 10, 12)
    as_user(client, venues.guide_a)
    assert post(client, f"/reservations/{pending.pk}/reject", {}).status_code == 422
    assert post(client, f"/reservations/{pending.pk}/reject", {"reason": "  "}).status_code == 422
    response = post(client, f"/reservations/{pending.pk}/reject", {"reason": "当天已安排全站消防演练"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert response.json()["decision_reason"] == "当天已安排全站消防演练"


def test_cancel_by_the_holder_and_by_the_guide(venues, client) -> None:
    [mine] = request(venues.member, venues.book_bar, 3, 10, 12)
    [other] = request(venues.member, venues.book_bar, 4, 10, 12)
    as_user(client, venues.member)
    response = client.post(f"{API}/reservations/{mine.pk}/cancel", "", content_type="application/json")
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    again = post(client, f"/reservations/{mine.pk}/cancel")
    assert (again.status_code, again.json()["code"]) == (400, "wrong_state")
    as_user(client, venues.guide_a)
    assert post(client, f"/reservations/{other.pk}/cancel").status_code == 400  # staff give a reason
    assert post(client, f"/reservations/{other.pk}/cancel", {"reason": "场地临时检修"}).status_code == 200
    as_user(client, venues.resident)
    assert post(client, f"/reservations/{other.pk}/cancel").status_code == 404


def test_holders_cannot_cancel_once_started(venues, client) -> None:
    now = timezone.now()
    started = Reservation.objects.create(
        station=venues.a,
        venue=venues.book_bar,
        holder=venues.member,
        purpose="党课",
        head_count=5,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=1),
        status=ReservationStatus.APPROVED,
    )
    as_user(client, venues.member)
    response = post(client, f"/reservations/{started.pk}/cancel")
    assert (response.status_code, response.json()["code"]) == (400, "started")


def _ongoing(venues: Any, starts_in: timedelta = timedelta(minutes=-5)) -> Reservation:
    """An approved booking of an hour and five minutes starting `starts_in` from now (under way by default)."""
    starts_at = timezone.now() + starts_in
    return Reservation.objects.create(
        station=venues.a,
        venue=venues.book_bar,
        holder=venues.member,
        purpose="新就业群体座谈",
        head_count=8,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=65),
        status=ReservationStatus.APPROVED,
    )


def test_check_in_by_the_guide_and_by_the_holders_qr_code(venues, client) -> None:
    by_guide, by_holder = _ongoing(venues), _ongoing(venues, starts_in=timedelta(hours=1))
    as_user(client, venues.guide_a)
    response = post(client, f"/reservations/{by_guide.pk}/check-in")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "checked_in" and response.json()["checked_in_at"].endswith("+08:00")
    as_user(client, venues.member)
    assert post(client, f"/reservations/{by_holder.pk}/check-in").status_code == 403  # no QR code
    wrong = post(client, f"/reservations/{by_holder.pk}/check-in", {"token": "not-the-code"})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "token")
    early = post(client, f"/reservations/{by_holder.pk}/check-in", {"token": venues.book_bar.checkin_token})
    assert (early.status_code, early.json()["code"]) == (400, "not_now")  # starts in an hour
    Reservation.objects.filter(pk=by_guide.pk).update(status=ReservationStatus.CANCELLED)  # frees the slot
    Reservation.objects.filter(pk=by_holder.pk).update(starts_at=timezone.now() + timedelta(minutes=10))
    ok = post(client, f"/reservations/{by_holder.pk}/check-in", {"token": venues.book_bar.checkin_token})
    assert (ok.status_code, ok.json()["status"]) == (200, "checked_in")


def test_reservation_detail(venues, client) -> None:
    [first] = request(venues.member, venues.book_bar, 3, 10, 12)
    [second] = request(venues.resident, venues.book_bar, 3, 11, 13)
    as_user(client, venues.member)
    mine = client.get(f"{API}/reservations/{first.pk}").json()
    assert mine["purpose"] == "支部主题党日" and mine["conflicts"] == []  # holders see no one else's
    assert client.get(f"{API}/reservations/{second.pk}").status_code == 404
    as_user(client, venues.guide_a)
    assert [c["id"] for c in client.get(f"{API}/reservations/{first.pk}").json()["conflicts"]] == [second.pk]


# ---------------------------------------------------------------- another station's guide


def _a_objects(venues: Any) -> dict[str, Any]:
    [pending] = request(venues.member, venues.book_bar, 3, 10, 12)
    ongoing = _ongoing(venues)
    fault = FaultReport.objects.create(
        station=venues.a, venue=venues.book_bar, reporter=venues.member, description="灯不亮"
    )
    tour = Tour.objects.create(
        station=venues.a,
        group_name="鼓楼社区党委",
        group_kind="community",
        contact_name="陈晓燕",
        contact_phone="13805261234",
        visitor_count=10,
        starts_at=at(5, 14),
        ends_at=at(5, 16),
        requested_by=venues.member,
    )
    return {"pending": pending, "ongoing": ongoing, "fault": fault, "tour": tour}


CROSS_REQUESTS = [
    ("get", "/reservations/{pending}", None),
    ("post", "/reservations/{pending}/approve", {}),
    ("post", "/reservations/{pending}/reject", {"reason": "冲突"}),
    ("post", "/reservations/{pending}/cancel", {"reason": "冲突"}),
    ("post", "/reservations/{ongoing}/check-in", {}),
    ("get", "/faults/{fault}", None),
    ("post", "/faults/{fault}/assign", {"assignee": 1}),
    ("post", "/faults/{fault}/repair", {"note": "已修好"}),
    ("get", "/tours/{tour}", None),
    ("post", "/tours/{tour}/assign", {"guide": 1}),
    ("post", "/tours/{tour}/confirm", {"venue": 1}),
    ("post", "/tours/{tour}/decline", {"reason": "闭馆"}),
    ("post", "/tours/{tour}/cancel", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), CROSS_REQUESTS)
def test_another_stations_guide_gets_404(venues, client, method, path, body) -> None:
    objects = {name: obj.pk for name, obj in _a_objects(venues).items()}
    as_user(client, venues.guide_b)
    url = f"{API}{path.format(**objects)}"
    sent = {"data": body, "content_type": "application/json"} if method == "post" else {}
    response = getattr(client, method)(url, **sent)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert status_of(Reservation.objects.get(pk=objects["pending"])) == ReservationStatus.PENDING
    assert Tour.objects.get(pk=objects["tour"]).status == TourStatus.REQUESTED


def test_another_stations_guide_lists_nothing_of_a(venues, client) -> None:
    _a_objects(venues)
    as_user(client, venues.guide_b)
    for path in ("/reservations/review-queue", "/faults", "/tours"):
        assert client.get(f"{API}{path}").json()["count"] == 0, path


# ---------------------------------------------------------------- faults


def test_fault_report_blocks_the_venue_until_repaired(venues, client) -> None:
    projector = Equipment.objects.create(venue=venues.book_bar, kind="projector", name="投影仪")
    as_user(client, venues.member)
    response = post(
        client,
        f"/{venues.book_bar.pk}/faults",
        {"description": "投影仪冒烟，已断电", "equipment": projector.pk, "blocks_venue": True},
    )
    assert response.status_code == 201, response.content
    fault = response.json()
    assert fault["status"] == "open" and fault["equipment"]["id"] == projector.pk and fault["blocks_venue"]
    refused = post(client, f"/{venues.book_bar.pk}/reservations", slot(3, 10, 12))
    assert (refused.status_code, refused.json()["code"]) == (400, "out_of_service")

    as_user(client, venues.own_admin)
    assigned = post(client, f"/faults/{fault['id']}/assign", {"assignee": venues.worker_a.pk})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["status"] == "assigned" and assigned.json()["assignee"]["id"] == venues.worker_a.pk
    as_user(client, venues.worker_a)
    assert [f["id"] for f in client.get(f"{API}/faults", {"status": "assigned"}).json()["items"]] == [
        fault["id"]
    ]
    repaired = post(client, f"/faults/{fault['id']}/repair", {"note": "更换电源后恢复"})
    assert repaired.status_code == 200, repaired.content
    assert repaired.json()["status"] == "repaired" and repaired.json()["repaired_at"]
    again = post(client, f"/faults/{fault['id']}/repair", {"note": "再修一次"})
    assert (again.status_code, again.json()["code"]) == (400, "wrong_state")

    as_user(client, venues.member)
    assert post(client, f"/{venues.book_bar.pk}/reservations", slot(3, 10, 12)).status_code == 201


def test_fault_refusals(venues, client) -> None:
    other = Equipment.objects.create(venue=venues.hall, kind="audio", name="音响")
    as_user(client, venues.member)
    wrong = post(client, f"/{venues.book_bar.pk}/faults", {"description": "没声音", "equipment": other.pk})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "wrong_venue")
    assert post(client, f"/{venues.book_bar.pk}/faults", {"description": ""}).status_code == 422
    fault = post(client, f"/{venues.book_bar.pk}/faults", {"description": "椅子坏了"}).json()
    assert post(client, f"/faults/{fault['id']}/repair", {"note": "修好了"}).status_code == 404  # not theirs
    assert client.get(f"{API}/faults/{fault['id']}").status_code == 200  # the reporter sees it
    as_user(client, venues.own_admin)
    nobody = post(client, f"/faults/{fault['id']}/assign", {"assignee": venues.member.pk})
    assert nobody.status_code == 400
    assert FaultReport.objects.get(pk=fault["id"]).assignee is None


# ---------------------------------------------------------------- tours


def _tour_body(**more: Any) -> dict[str, Any]:
    return {
        "group_name": "泰州华信软件科技有限公司党支部",
        "group_kind": "unit",
        "contact_name": "陈晓燕",
        "contact_phone": "13805261234",
        "visitor_count": 15,
        "starts_at": at(5, 14).isoformat(),
        "ends_at": at(5, 16).isoformat(),
        **more,
    }


def test_tour_request_assign_confirm(venues, client) -> None:
    as_user(client, venues.member_b)  # anyone signed in may ask to visit any station
    response = post(client, f"/stations/{venues.a.pk}/tours", _tour_body())
    assert response.status_code == 201, response.content
    tour = response.json()
    assert tour["status"] == "requested" and tour["contact_phone"] == "13805261234"

    as_user(client, venues.guide_b)
    assert [t["id"] for t in client.get(f"{API}/tours").json()["items"]] == []
    as_user(client, venues.own_admin)
    assert [t["id"] for t in client.get(f"{API}/tours").json()["items"]] == [tour["id"]]
    assigned = post(client, f"/tours/{tour['id']}/assign", {"guide": venues.guide_a.pk})
    assert (assigned.status_code, assigned.json()["guide"]["id"]) == (200, venues.guide_a.pk)
    wrong_guide = post(client, f"/tours/{tour['id']}/assign", {"guide": venues.guide_b.pk})
    assert wrong_guide.status_code == 400

    as_user(client, venues.guide_a)
    confirmed = post(client, f"/tours/{tour['id']}/confirm", {"venue": venues.hall.pk})
    assert confirmed.status_code == 200, confirmed.content
    data = confirmed.json()
    assert data["status"] == "confirmed" and data["venue"]["id"] == venues.hall.pk
    booking = Reservation.objects.get(pk=data["reservation_id"])
    assert booking.status == ReservationStatus.APPROVED and booking.venue == venues.hall
    not_yet = post(client, f"/tours/{tour['id']}/record", {"actual_count": 14, "feedback": "很好"})
    assert (not_yet.status_code, not_yet.json()["code"]) == (400, "not_yet")


def test_tour_confirm_conflict_decline_and_cancel(venues, client) -> None:
    as_user(client, venues.member)
    first = post(client, f"/stations/{venues.a.pk}/tours", _tour_body()).json()
    second = post(client, f"/stations/{venues.a.pk}/tours", _tour_body(group_name="五一路社区")).json()
    booked(venues.member_b, venues.hall, 5, 15, 16)
    as_user(client, venues.guide_a)
    clash = post(client, f"/tours/{first['id']}/confirm", {"venue": venues.hall.pk})
    assert (clash.status_code, clash.json()["code"]) == (409, "conflict")
    assert post(client, f"/tours/{first['id']}/decline", {"reason": ""}).status_code == 422
    declined = post(client, f"/tours/{first['id']}/decline", {"reason": "当天站点闭馆"})
    assert (declined.status_code, declined.json()["status"]) == (200, "declined")
    as_user(client, venues.member)
    cancelled = post(client, f"/tours/{second['id']}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    again = post(client, f"/tours/{second['id']}/cancel")
    assert (again.status_code, again.json()["code"]) == (400, "wrong_state")


def test_tour_record_after_the_visit(venues, client) -> None:
    now = timezone.now()
    tour = Tour.objects.create(
        station=venues.a,
        group_name="鼓楼社区党委",
        group_kind="community",
        contact_name="陈晓燕",
        contact_phone="13805261234",
        visitor_count=10,
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        requested_by=venues.member,
        status=TourStatus.CONFIRMED,
        guide=venues.guide_a,
    )
    as_user(client, venues.guide_a)
    response = post(client, f"/tours/{tour.pk}/record", {"actual_count": 12, "feedback": "讲解生动"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["actual_count"]) == ("done", 12)


def test_tour_request_refusals(venues, client) -> None:
    as_user(client, venues.member)
    past = post(
        client,
        f"/stations/{venues.a.pk}/tours",
        _tour_body(starts_at=at(-1, 9).isoformat(), ends_at=at(-1, 10).isoformat()),
    )
    assert (past.status_code, past.json()["code"]) == (400, "past")
    assert post(client, f"/stations/{venues.a.pk}/tours", _tour_body(group_kind="army")).status_code == 422
    assert post(client, f"/stations/{venues.a.pk}/tours", _tour_body(visitor_count=0)).status_code == 422
    assert post(client, f"/stations/{2**31 - 1}/tours", _tour_body()).status_code == 404
    assert not Tour.objects.exists()


# ---------------------------------------------------------------- documentation


def test_openapi_documents_the_refusal_codes(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    reserve = schema["paths"][f"{API}/{{venue_id}}/reservations"]["post"]["responses"]
    for code in ("past", "quota", "out_of_service", "closed", "outside_hours", "too_far"):
        assert f"`{code}`" in reserve["400"]["description"], code
    assert "`conflict`" in reserve["409"]["description"] and "`audience`" in reserve["403"]["description"]
    approve = schema["paths"][f"{API}/reservations/{{reservation_id}}/approve"]["post"]["responses"]
    assert "`wrong_state`" in approve["400"]["description"] and "`conflict`" in approve["409"]["description"]
    for path, operations in schema["paths"].items():
        if path.startswith(API):
            for method, operation in operations.items():
                assert operation.get("summary"), path
                if method == "post":
                    assert {"400", "401", "404", "422"} <= set(operation["responses"]), path


# ---------------------------------------------------------------- constant query counts


def _fill(venues: Any, rows: int) -> None:
    for n in range(rows):
        venue = make_venue(venues.a, name=f"活动室{n}", building=venues.building_a, audience="public")
        booked(venues.member, venue, 3, 10, 12, status=ReservationStatus.PENDING)
        booked(venues.member, venue, 3, 11, 13, status=ReservationStatus.PENDING)
        FaultReport.objects.create(
            station=venues.a,
            venue=venue,
            reporter=venues.member,
            description="灯不亮",
            assignee=venues.worker_a,
        )
        Tour.objects.create(
            station=venues.a,
            venue=venue,
            group_name=f"参观团{n}",
            contact_name="陈晓燕",
            contact_phone="13805261234",
            visitor_count=10,
            starts_at=at(5, 14),
            ends_at=at(5, 16),
            requested_by=venues.member,
            guide=venues.guide_a,
        )


# (path, viewer, most queries) — the same bound for 3 rows and for 30: session, user, roles, COUNT, the page
# (the review queue: and the page's conflicts), the session's save in a savepoint
LIST_CASES = [
    ("", "anonymous", 2),
    ("", "member", 8),
    ("/reservations/mine", "member", 7),
    ("/reservations/review-queue", "guide_a", 9),
    ("/faults", "worker_a", 8),
    ("/tours", "guide_a", 8),
]


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(("path", "viewer", "most"), LIST_CASES, ids=lambda v: str(v))
def test_lists_use_a_constant_number_of_queries(
    venues, client, django_assert_max_num_queries, rows, path, viewer, most
) -> None:
    _fill(venues, rows)
    if viewer != "anonymous":
        as_user(client, getattr(venues, viewer))
    with django_assert_max_num_queries(most):
        response = client.get(f"{API}{path}", {"page_size": 100})
    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) >= rows


def test_hq_guides_decide_for_every_branch(venues, client) -> None:
    [pending] = request(venues.member, venues.book_bar, 3, 10, 12)
    as_user(client, venues.hq_guide)
    assert post(client, f"/reservations/{pending.pk}/approve").status_code == 200


def test_a_bearer_token_works(venues, client) -> None:
    from tests.api.builders import bearer

    worker = f.UserFactory(username="token_worker")
    f.grant(worker, Role.WORKER, venues.a, building=venues.building_a)
    response = client.get(f"{API}/faults", **bearer(worker))
    assert response.status_code == 200
