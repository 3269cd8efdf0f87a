"""Cards of the offline spaces on the work page (工作台): the guide's pending requests, today's bookings and
tours; the party-affairs worker's open faults; a person's upcoming bookings. The pages are in the venues
URLconf; a card links to its page only once that URL name exists (until then to the platform home)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse

from dangjian.accounts.permissions import is_any_guide, is_any_station_admin, is_any_worker, is_authenticated
from dangjian.core.workcards import KEEP, SHORTCUT, register_card, remembered
from dangjian.venues.selectors import (
    open_faults,
    review_queue,
    today_bookings,
    today_tours,
    upcoming_reservations,
)


def lazy_url(name: str) -> Callable[[Any], str]:
    """The path of a URL name, reversed when the card is shown (and "/" while the page does not exist)."""

    def url(user: Any) -> str:
        try:
            return reverse(name)
        except NoReverseMatch:
            return "/"

    return url


def reviews_bookings(user: Any) -> bool:
    return bool(is_any_guide(user) or is_any_station_admin(user))


def pending_requests(user: Any) -> int:
    return remembered(user, "venues.pending", lambda: review_queue(user=user).count())  # type: ignore[no-any-return]


def todays_bookings(user: Any) -> int:
    return today_bookings(user=user).count()


def todays_tours(user: Any) -> int:
    return today_tours(user=user).count()


def open_fault_count(user: Any) -> int:
    return open_faults(user=user).count()


def upcoming_count(user: Any) -> int | None:
    count = upcoming_reservations(user=user).count()
    return count or None  # a person without bookings sees no card


register_card(
    key="venues.review_queue",
    title="待审核的场所预约",
    icon="calendar-check",
    url=lazy_url("venues:review_queue"),
    roles=reviews_bookings,
    count=pending_requests,
    order=20,
    unit="条",
    hint="审核前可查看时间冲突的申请和预约",
)
register_card(
    key="venues.today",
    title="今日场所预约与参观",
    icon="calendar-day",
    url=lazy_url("venues:today"),
    roles=reviews_bookings,
    count=todays_bookings,
    order=30,
    section=KEEP,
    unit="场",
    note=lambda user: f"今日参观 {todays_tours(user)} 批",
)
register_card(
    key="venues.faults",
    title="待处理的报修",
    icon="tools",
    url=lazy_url("venues:faults"),
    roles=is_any_worker,
    count=open_fault_count,
    order=30,
    unit="条",
    hint="所在楼宇场所的设备故障",
)
register_card(
    key="venues.mine",
    title="我的场所预约",
    icon="calendar-event",
    url=lazy_url("venues:mine"),
    roles=is_authenticated,
    count=upcoming_count,
    order=60,
    section=KEEP,
    unit="场",
    hint="即将开始和待审核的预约",
)
register_card(
    key="venues.manage",
    title="阵地场所管理",
    icon="building",
    url=lazy_url("venues:manage"),
    roles="venues.enter_management",
    order=60,
    section=SHORTCUT,
    hint="场所、开放时间、设备、六有和参观",
)
