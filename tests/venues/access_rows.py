"""Access-matrix rows of venues (阵地场所与预约): the pages' rows (`PAGE_ROWS`) and the API's
(`API_ROWS`, tests/venues/api_rows.py), on objects of branch A that `prepare` makes.

The objects are the API rows' (a venue of A open to every registered user, the matrix member's pending
request and approved booking under way, the member's fault report and tour requests), plus a closed day
and a piece of equipment of that venue. Venues are shared: their list, page and calendars are public; the
member's own booking, fault and tour are the member's and A's staff's; the management pages answer 403 to
people with no station role, 404 to another station's staff on A's objects."""

from __future__ import annotations

from typing import Any

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    LOGGED_IN_PAGE,
    MANAGE_OBJECT_GET,
    NOT_ALLOWED,
    PUBLIC,
    Row,
    statuses,
)
from tests.venues.api_rows import API_ROWS, prepare_api

SIGNED_IN_ONLY_METHOD = statuses(302, 405, 405, 405, 405, 405)  # the other method, for people signed in
SIGNED_IN_FORM = statuses(302, 200, 200, 200, 200, 200)  # a form POSTed empty: shown again with errors
MEMBERS_OWN = statuses(302, 404, 200, 404, 200, 200)  # the member's booking: the member and A's staff
MEMBERS_OWN_MOVE = statuses(302, 404, 302, 404, 302, 302)
STAFF_LIST = statuses(302, 403, 403, 200, 200, 200)  # any station's staff (each sees their own)
STAFF_OBJECT = statuses(302, 403, 403, 404, 200, 200)  # A's object: A's and HQ's staff
STAFF_MOVE = statuses(302, 403, 403, 404, 302, 302)
HQ_ONLY = statuses(302, 403, 403, 403, 403, 200)


def prepare(world: Any) -> None:
    prepare_api(world)  # keep: the API rows point at the objects it makes
    from dangjian.venues.models import ClosedDay, Equipment
    from tests.venues.builders import day

    world.venue_closed_day = ClosedDay.objects.create(
        station=world.a, venue=world.api_venue, date=day(20), reason="设备检修"
    )
    world.venue_equipment = Equipment.objects.create(
        venue=world.api_venue, kind="projector", name="投影仪", quantity=1
    )


def _pk(attr: str) -> Any:
    return lambda w: {"pk": getattr(w, attr).pk}


VENUE = _pk("api_venue")
PENDING = _pk("api_pending")


def _get(get: dict[str, int], kwargs: Any = lambda w: {}) -> Row:
    return Row(get=get, post=SIGNED_IN_ONLY_METHOD, kwargs=kwargs)


def _post(post: dict[str, int], kwargs: Any = lambda w: {}) -> Row:
    return Row(get=SIGNED_IN_ONLY_METHOD, post=post, kwargs=kwargs)


PAGE_ROWS: dict[str, Row] = {
    # public and personal
    "venues:list": Row(get=PUBLIC, post=NOT_ALLOWED),
    "venues:detail": Row(get=PUBLIC, post=SIGNED_IN_FORM, kwargs=VENUE),
    "venues:calendar": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=VENUE),
    "venues:venue_ics": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=VENUE),
    "venues:station_calendar": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=lambda w: {"code": w.a.code}),
    "venues:mine": _get(LOGGED_IN_PAGE),
    "venues:mine_ics": _get(LOGGED_IN_PAGE),
    "venues:reservation": _get(MEMBERS_OWN, PENDING),
    "venues:reservation_ics": _get(MEMBERS_OWN, PENDING),
    # the holder cancels; A's staff are sent back with "请填写取消原因" (the body has none)
    "venues:cancel": _post(MEMBERS_OWN_MOVE, PENDING),
    # the member's booking under way: scanning the QR code checks it in
    "venues:checkin": Row(
        get=LOGGED_IN_PAGE,
        post=statuses(302, 200, 302, 200, 200, 200),
        kwargs=lambda w: {"token": w.api_venue.checkin_token},
    ),
    "venues:fault_report": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_FORM, kwargs=VENUE),
    "venues:tour_request": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_FORM),
    "venues:tour_cancel": _post(MEMBERS_OWN_MOVE, _pk("api_tour")),
    # staff: venues
    "venues:venue_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "venues:venue_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "venues:venue_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=VENUE),
    "venues:hours": Row(get=STAFF_OBJECT, post=STAFF_OBJECT, kwargs=VENUE),
    "venues:closed_day_remove": _post(STAFF_MOVE, _pk("venue_closed_day")),
    "venues:equipment": Row(get=STAFF_OBJECT, post=STAFF_OBJECT, kwargs=VENUE),
    "venues:equipment_edit": Row(get=STAFF_OBJECT, post=STAFF_OBJECT, kwargs=_pk("venue_equipment")),
    "venues:poster": _get(STAFF_OBJECT, VENUE),
    # staff: reviews and today
    "venues:review_queue": _get(STAFF_LIST),
    "venues:review": _get(STAFF_OBJECT, PENDING),
    "venues:approve": _post(STAFF_MOVE, PENDING),
    "venues:reject": _post(STAFF_OBJECT, PENDING),  # no reason: the page again, with the error
    "venues:check_in": _post(STAFF_MOVE, _pk("api_ongoing")),
    "venues:no_show": _post(STAFF_MOVE, _pk("api_ongoing")),
    "venues:manage": Row(get=statuses(302, 403, 403, 302, 302, 302), post=SIGNED_IN_ONLY_METHOD),
    "venues:today": _get(STAFF_LIST),
    # staff: tours
    "venues:tours": _get(STAFF_LIST),
    "venues:tour": _get(STAFF_OBJECT, _pk("api_tour")),
    "venues:tour_assign": _post(STAFF_OBJECT, _pk("api_tour")),
    "venues:tour_confirm": _post(STAFF_OBJECT, _pk("api_tour")),
    "venues:tour_decline": _post(STAFF_OBJECT, _pk("api_tour")),
    "venues:tour_record": _post(STAFF_OBJECT, _pk("api_tour_started")),
    # staff: faults
    "venues:faults": _get(STAFF_LIST),
    "venues:fault": _get(STAFF_OBJECT, _pk("api_fault")),
    "venues:fault_assign": _post(STAFF_OBJECT, _pk("api_fault")),
    "venues:fault_repair": _post(STAFF_OBJECT, _pk("api_fault")),
    # staff: 六有 (A named, but no item: the page again, with the error; B's staff do not keep A)
    "venues:six_have": Row(get=STAFF_LIST, post=STAFF_OBJECT, post_data=lambda w: {"station": w.a.pk}),
    "venues:six_have_overview": _get(HQ_ONLY),
}


ROWS = {**PAGE_ROWS, **API_ROWS}
