"""Access-matrix rows of the venues API (`/api/v1/venues/…`), merged into `ROWS` by
tests/venues/access_rows.py, whose `prepare` calls `prepare_api`.

The objects belong to branch A: a venue open to every registered user (共享书吧, needing the guide's
approval), a pending request and an approved booking under way now, both the matrix member's; a fault the
member reported; a tour the member requested and one confirmed that has already started. Another station's
admin meets all of them as missing (404); A's and HQ's station admins act as the guide and keep the
equipment (HQ governs every branch); the member, as holder, reporter and requester, sees and cancels
their own but cannot decide them (404 on the guide's actions, 403 on checking themselves in without the
venue's QR code).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from tests.access import API_PUBLIC_READ, PUBLIC, Row, everyone, statuses

SIGNED_IN = statuses(401, 200, 200, 200, 200, 200)
SIGNED_IN_CREATE = statuses(401, 201, 201, 201, 201, 201)
# The member's own object of A: the member, A's and HQ's admins see it; nobody else.
OWN_OR_STAFF = statuses(401, 404, 200, 404, 200, 200)
# A guide's (or maintainer's) move on an object of A: A's and HQ's admins only.
STAFF_ACTION = statuses(401, 404, 404, 404, 200, 200)


def prepare_api(world: Any) -> None:
    from django.utils import timezone

    from dangjian.accounts.models import Role
    from dangjian.venues.models import FaultReport, Reservation, ReservationStatus, Tour, TourStatus
    from tests import factories as f
    from tests.venues.builders import at, booked, make_venue

    now = timezone.now()
    world.api_guide = f.UserFactory(username="matrix_venues_api_guide", real_name="刘思雨")
    f.grant(world.api_guide, Role.GUIDE, world.a)
    world.api_venue = make_venue(
        world.a, name="万达广场共享书吧", building=world.building_a, audience="public", capacity=30
    )
    world.api_pending = booked(world.member, world.api_venue, 3, 10, 12, status=ReservationStatus.PENDING)
    world.api_ongoing = Reservation.objects.create(
        station=world.a,
        venue=world.api_venue,
        holder=world.member,
        purpose="青年理论学习小组",
        head_count=12,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(minutes=50),
        status=ReservationStatus.APPROVED,
    )
    world.api_fault = FaultReport.objects.create(
        station=world.a, venue=world.api_venue, reporter=world.member, description="投影仪无法开机"
    )
    tour = {
        "station": world.a,
        "group_kind": "unit",
        "contact_name": "陈晓燕",
        "contact_phone": "13805261234",
        "visitor_count": 12,
        "requested_by": world.member,
    }
    world.api_tour = Tour.objects.create(
        group_name="泰州华信软件科技有限公司党支部", starts_at=at(5, 14), ends_at=at(5, 16), **tour
    )
    world.api_tour_started = Tour.objects.create(
        group_name="鼓楼社区党委",
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        status=TourStatus.CONFIRMED,
        guide=world.api_guide,
        **{**tour, "group_kind": "community"},
    )


def _pk(attr: str, name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, attr).pk}


def reserve_body(w: Any) -> dict[str, Any]:
    from tests.venues.builders import at

    return {
        "starts_at": at(4, 14).isoformat(),
        "ends_at": at(4, 16).isoformat(),
        "purpose": "支部主题党日",
        "head_count": 15,
    }


def tour_body(w: Any) -> dict[str, Any]:
    from tests.venues.builders import at

    return {
        "group_name": "五一路社区党委",
        "group_kind": "community",
        "contact_name": "顾丽华",
        "contact_phone": "0523-86332710",
        "visitor_count": 20,
        "starts_at": at(6, 9).isoformat(),
        "ends_at": at(6, 11).isoformat(),
    }


def fault_body(w: Any) -> dict[str, Any]:
    return {"description": "话筒没有声音", "blocks_venue": False}


def _get(kwargs: Callable[[Any], dict[str, Any]], get: dict[str, int]) -> Row:
    return Row(get=get, post=everyone(405), kwargs=kwargs)


def _post(
    kwargs: Callable[[Any], dict[str, Any]],
    post: dict[str, int],
    body: Callable[[Any], dict[str, Any]] = lambda w: {},
) -> Row:
    return Row(get=everyone(405), post=post, kwargs=kwargs, post_data=body, json=True)


VENUE = _pk("api_venue", "venue_id")
PENDING = _pk("api_pending", "reservation_id")
ONGOING = _pk("api_ongoing", "reservation_id")
FAULT = _pk("api_fault", "fault_id")
TOUR = _pk("api_tour", "tour_id")

API_ROWS: dict[str, Row] = {
    "api:venue_list": API_PUBLIC_READ,
    "api:venue_detail": Row(get=PUBLIC, post=everyone(405), kwargs=VENUE),
    "api:venue_busy": Row(get=PUBLIC, post=everyone(405), kwargs=VENUE),
    "api:venue_reserve": _post(VENUE, SIGNED_IN_CREATE, reserve_body),
    "api:venue_fault_report": _post(VENUE, SIGNED_IN_CREATE, fault_body),
    "api:my_reservations": Row(get=SIGNED_IN, post=everyone(405)),
    "api:reservation_detail": _get(PENDING, OWN_OR_STAFF),
    "api:reservation_review_queue": Row(get=SIGNED_IN, post=everyone(405)),
    "api:reservation_approve": _post(PENDING, STAFF_ACTION),
    "api:reservation_reject": _post(PENDING, STAFF_ACTION, lambda w: {"reason": "当天已安排全站消防演练"}),
    # the holder cancels their own; staff give a reason
    "api:reservation_cancel": _post(PENDING, OWN_OR_STAFF, lambda w: {"reason": "场地临时检修"}),
    # without the venue's QR code the holder may not check themselves in (403); the guide may
    "api:reservation_check_in": _post(ONGOING, statuses(401, 404, 403, 404, 200, 200)),
    "api:fault_list": Row(get=SIGNED_IN, post=everyone(405)),
    "api:fault_detail": _get(FAULT, OWN_OR_STAFF),
    "api:fault_assign": _post(FAULT, STAFF_ACTION, lambda w: {"assignee": w.worker_a.pk}),
    "api:fault_repair": _post(FAULT, STAFF_ACTION, lambda w: {"note": "已更换投影仪电源适配器"}),
    "api:tour_request": _post(lambda w: {"station_id": w.a.pk}, SIGNED_IN_CREATE, tour_body),
    "api:tour_list": Row(get=SIGNED_IN, post=everyone(405)),
    "api:tour_detail": _get(TOUR, OWN_OR_STAFF),
    "api:tour_assign": _post(TOUR, STAFF_ACTION, lambda w: {"guide": w.api_guide.pk}),
    "api:tour_confirm": _post(TOUR, STAFF_ACTION, lambda w: {"venue": w.api_venue.pk}),
    "api:tour_decline": _post(TOUR, STAFF_ACTION, lambda w: {"reason": "当天站点闭馆"}),
    "api:tour_record": _post(
        _pk("api_tour_started", "tour_id"),
        STAFF_ACTION,
        lambda w: {"actual_count": 18, "feedback": "讲解生动，收获很大"},
    ),
    "api:tour_cancel": _post(TOUR, OWN_OR_STAFF),
}
