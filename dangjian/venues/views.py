"""Pages of the stations' offline spaces (DB3212/T 1124 §6.1 六有, §6.2 一馆三区, §5.4.3 参观预约, §5.5).

Public and personal (`/venues/…`): the venues by station and kind, a venue with its week of free/busy and
the booking form, week/month calendars per venue and per station, iCalendar downloads, my bookings, the QR
check-in page, fault reports and tour requests.
Staff (`/manage/venues/…`): venues with opening hours and closed days, the guide's review queue (the
conflicting requests and bookings shown before deciding), today's bookings with check-in and no-show, tours,
faults and equipment, the 六有 checklist per station, HQ's 六有 overview and the venue's QR poster.

Every object is fetched through `selectors.access_*` (the same 404 for missing and forbidden) and every
write goes through one service; a refusal is shown on the form and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from dangjian.core import cache as page_cache
from dangjian.core.manage_views import ManagedResource
from dangjian.core.page_guards import View, page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.venues import calendars, scopes, selectors, services
from dangjian.venues.forms import (
    BookingForm,
    CalendarQuery,
    ClosedDayForm,
    EquipmentForm,
    FaultReportForm,
    OpeningHoursForm,
    OptionalReasonForm,
    PersonChoiceForm,
    ReasonForm,
    RepairForm,
    SixHaveForm,
    TourConfirmForm,
    TourRecordForm,
    TourRequestForm,
    VenueForm,
)
from dangjian.venues.models import (
    BookingAudience,
    OpeningHours,
    ReservationStatus,
    SixHave,
    TourStatus,
    Venue,
    VenueKind,
)

staff_page = staff_page_for("venues.enter_management")


def _refused(form: BaseForm, error: ValidationError) -> None:
    form.add_error(None, error)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"  # RFC 6266
    response["Cache-Control"] = "private, no-store"
    return response


def _with_hours(queryset: Any) -> Any:
    return queryset.select_related("station", "building", "unit").prefetch_related(
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday"))
    )


# ---------------------------------------------------------------- public: venues and calendars


@page("GET", login=False)
@page_cache.anonymous_page(lambda: scopes.LIST_SCOPES, query=("station", "kind", "page"))
def venue_list(request: HttpRequest) -> HttpResponse:
    """Every venue the visitor may see, by station and kind, with photo, capacity, audience and hours."""
    station_code = request.GET.get("station", "")[:40]
    kind = request.GET.get("kind", "")
    venues = selectors.venues_for(user=request.user)
    if station_code:
        venues = venues.filter(station__code=station_code)
    if kind in VenueKind.values:
        venues = venues.filter(kind=kind)
    page_of_venues = paginate(request, _with_hours(venues))
    for venue in page_of_venues.object_list:
        venue.hours_lines = _hours_summary(list(venue.hours.all()))  # prefetched: no query
    context = {
        "page": page_of_venues,
        "querystring": querystring_without_page(request),
        "kinds": VenueKind.choices,
        "kind": kind,
        "station_code": station_code,
        "stations": selectors.stations_with_venues(user=request.user),
    }
    return render(request, "venues/list.html", context)


@page("GET", "POST", login=False)
@page_cache.anonymous_page(scopes.detail_scopes, query=("day",), expires=scopes.next_midnight)
def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A venue: its details, this week's free/busy, the booking form and the fault report link."""
    venue = selectors.access_venue(user=request.user, pk=pk)
    if request.method == "POST" and not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('accounts:login')}?next={request.path}")
    can_book = request.user.has_perm("venues.book", venue)
    form = BookingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_book:
            form.is_valid()
            form.add_error(None, "您不在该场所的可预约范围内")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                made = services.reservation_request(
                    actor=request.user,
                    venue=venue,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    purpose=data["purpose"],
                    head_count=data["head_count"],
                    recurrence=data["recurrence"],
                    until=data["until"],
                )
            except ValidationError as error:
                _refused(form, error)
            else:
                approved = all(r.status == ReservationStatus.APPROVED for r in made)
                what = f"{len(made)} 次预约" if len(made) > 1 else "预约"
                messages.success(request, f"{what}已{'确认' if approved else '提交，等待讲解员审核'}")
                return HttpResponseRedirect(reverse("venues:mine"))
    _, day = CalendarQuery(request.GET).values()
    week = calendars.calendar_week(user=request.user, venue=venue, day=day)
    context = {
        "venue": venue,
        "week": week,
        "form": form,
        "can_book": can_book,
        "can_report": request.user.has_perm("venues.report_fault", venue),
        "can_manage": request.user.has_perm("venues.manage_venue", venue),
        "hours": _hours_summary(list(venue.hours.order_by("weekday"))),
        "audience_open": venue.audience != BookingAudience.STATION,
    }
    return render(request, "venues/detail.html", context, status=200)


def _calendar_context(
    request: HttpRequest, *, venue: Venue | None = None, station: Any = None
) -> dict[str, Any]:
    view, day = CalendarQuery(request.GET).values()
    build = calendars.calendar_month if view == "month" else calendars.calendar_week
    return {"calendar": build(user=request.user, venue=venue, station=station, day=day), "view": view}


@page("GET", login=False)
@page_cache.anonymous_page(scopes.venue_calendar_scopes, query=("view", "day"), expires=scopes.next_midnight)
def venue_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    venue = selectors.access_venue(user=request.user, pk=pk)
    if not request.user.has_perm("venues.view_busy", venue):
        raise PermissionDenied
    context = {"venue": venue, **_calendar_context(request, venue=venue)}
    return render(request, "venues/calendar.html", context)


@page("GET", login=False)
@page_cache.anonymous_page(
    scopes.station_calendar_scopes, query=("view", "day"), expires=scopes.next_midnight
)
def station_calendar(request: HttpRequest, code: str) -> HttpResponse:
    station = selectors.access_station(user=request.user, code=code)
    context = {"station": station, **_calendar_context(request, station=station)}
    return render(request, "venues/calendar.html", context)


@page("GET", login=False)
def venue_ics(request: HttpRequest, pk: int) -> HttpResponse:
    venue = selectors.access_venue(user=request.user, pk=pk)
    if not request.user.has_perm("venues.view_busy", venue):
        raise PermissionDenied
    content = calendars.venue_ics(venue=venue, user=request.user)
    return _download(content, f"{venue.station.name}-{venue.name}-预约日历.ics")


# ---------------------------------------------------------------- personal: my bookings, check-in


@page("GET")
def my_bookings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    bookings = selectors.my_reservations(user=request.user)
    context = {
        "page": paginate(request, bookings),
        "querystring": querystring_without_page(request),
        "tours": list(selectors.tours_for(user=request.user).filter(requested_by_id=request.user.pk)[:20]),
        "now": now,
        "cancellable": (ReservationStatus.PENDING, ReservationStatus.APPROVED),
    }
    return render(request, "venues/mine.html", context)


@page("GET")
def reservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking, for its holder (and the station's staff): status, decision, calendar file, cancel."""
    reservation = selectors.access_reservation(user=request.user, pk=pk)
    context = {
        "reservation": reservation,
        "can_cancel": reservation.status in (ReservationStatus.PENDING, ReservationStatus.APPROVED)
        and request.user.has_perm("venues.cancel_reservation", reservation),
        "can_review": request.user.has_perm("venues.review_reservation", reservation),
        "is_holder": reservation.holder_id == request.user.pk,
    }
    return render(request, "venues/reservation.html", context)


@page("GET")
def my_ics(request: HttpRequest) -> HttpResponse:
    return _download(calendars.person_ics(user=request.user), "我的场所预约.ics")


@page("GET")
def reservation_ics(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = selectors.access_reservation(user=request.user, pk=pk)
    start = timezone.localtime(reservation.starts_at)
    filename = f"{reservation.venue.name}-{start.month}月{start.day}日预约.ics"
    return _download(calendars.reservation_ics(reservation=reservation), filename)


@page("POST")
def reservation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder cancels; the station's guide or admin cancels with a reason."""
    reservation = selectors.access_reservation(user=request.user, pk=pk)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.reservation_cancel(actor=request.user, reservation=reservation, reason=reason)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已取消 {reservation.time_label} 的预约")
    return _back(request, reverse("venues:mine"))


@page("GET", "POST")
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """The page the venue's QR code opens: the holder confirms they have arrived."""
    venue = selectors.venue_by_token(token=token)
    if venue is None:
        raise Http404
    bookings = selectors.checkin_candidates(user=request.user, venue=venue)
    error = ""
    if request.method == "POST":
        try:
            done = services.reservation_check_in(actor=request.user, venue=venue, token=token)
        except ValidationError as refusal:
            error = "；".join(refusal.messages)
        else:
            messages.success(request, f"签到成功：{done.venue.name} {done.time_label}")
            return HttpResponseRedirect(reverse("venues:mine"))
    context = {"venue": venue, "bookings": bookings, "error": error}
    return render(request, "venues/checkin.html", context)


@page("GET", "POST")
def fault_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in reports a fault of a venue they can see (a photo is optional)."""
    venue = selectors.access_venue(user=request.user, pk=pk)
    if not request.user.has_perm("venues.report_fault", venue):
        raise PermissionDenied
    form = FaultReportForm(request.POST or None, request.FILES or None, venue=venue)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fault_report(
                actor=request.user,
                venue=venue,
                description=data["description"],
                equipment=data["equipment"],
                blocks_venue=data["blocks_venue"],
                photo=data["photo"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "报修已提交，党务工作者会尽快处理")
            return HttpResponseRedirect(reverse("venues:detail", kwargs={"pk": venue.pk}))
    return render(request, "venues/fault_report.html", {"venue": venue, "form": form})


@page("GET", "POST")
def tour_request(request: HttpRequest) -> HttpResponse:
    """A unit or community asks to visit a station (参观预约, §5.4.3)."""
    stations = selectors.tour_stations()
    initial = {}
    code = request.GET.get("station", "")[:40]
    if code:
        chosen = stations.filter(code=code).first()
        if chosen is not None:
            initial["station"] = chosen.pk
    form = TourRequestForm(request.POST or None, stations=stations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.tour_request(
                actor=request.user,
                station=data["station"],
                group_name=data["group_name"],
                group_kind=data["group_kind"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                visitor_count=data["visitor_count"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "参观预约已提交，讲解员确认后会通知您")
            return HttpResponseRedirect(reverse("venues:mine"))
    return render(request, "venues/tour_request.html", {"form": form})


@page("POST")
def tour_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    tour = selectors.access_tour(user=request.user, pk=pk)
    try:
        services.tour_cancel(actor=request.user, tour=tour)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "参观预约已取消")
    return _back(request, reverse("venues:mine"))


# ---------------------------------------------------------------- staff: venues, hours, equipment, poster


def _save_venue(form: Any, actor: Any, before: dict[str, Any] | None) -> Venue:
    data = {name: form.cleaned_data[name] for name in services.VENUE_FIELDS if name in form.cleaned_data}
    if data.get("photo") is False:  # "clear" ticked
        data["photo"] = ""
    return services.venue_save(actor=actor, venue=form.instance, data=data)


def _venue_actions(venue: Venue) -> list[tuple[str, str]]:
    return [
        ("开放时间与闭馆日", reverse("venues:hours", kwargs={"pk": venue.pk})),
        ("设备", reverse("venues:equipment", kwargs={"pk": venue.pk})),
        ("签到二维码", reverse("venues:poster", kwargs={"pk": venue.pk})),
        ("查看场所", reverse("venues:detail", kwargs={"pk": venue.pk})),
    ]


VENUES = ManagedResource(
    namespace="venues",
    name="venue",
    path="manage/venues/spaces",
    titles=("场所管理", "新增场所", "编辑场所"),
    form_class=VenueForm,
    manageable=lambda user: selectors.managed_venues(user=user),
    listing=lambda user: selectors.managed_venues(user=user),
    access=selectors.access_venue,
    save=_save_venue,
    permissions=("venues.enter_management", "venues.enter_management", "venues.manage_venue"),
    headers=["场所", "类型", "所属站点", "容纳", "可预约人员", "状态", ""],
    row_template="venues/rows/venue.html",
    search_fields=("name", "room"),
    can_create=lambda user: selectors.manageable_venue_stations(user=user).filter(is_active=True).exists(),
    created_url=lambda venue: reverse("venues:hours", kwargs={"pk": venue.pk}),
    edit_actions=_venue_actions,
)


@staff_page("GET", "POST")
def venue_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening hours per weekday and the closed days of one venue (or of its whole station)."""
    venue = selectors.access_venue(user=request.user, pk=pk, manage=True)
    if not request.user.has_perm("venues.manage_venue", venue):
        raise Http404
    hours_form = OpeningHoursForm(request.POST if request.POST.get("form") == "hours" else None, venue=venue)
    closed_form = ClosedDayForm(request.POST if request.POST.get("form") == "closed" else None)
    if request.method == "POST":
        try:
            if hours_form.is_bound and hours_form.is_valid():
                services.opening_hours_set(actor=request.user, venue=venue, hours=hours_form.rows())
                messages.success(request, "开放时间已保存")
                return HttpResponseRedirect(request.path)
            if closed_form.is_bound and closed_form.is_valid():
                data = closed_form.cleaned_data
                services.closed_day_add(
                    actor=request.user,
                    station=venue.station,
                    venue=None if data["whole_station"] else venue,
                    date=data["date"],
                    reason=data["reason"],
                )
                messages.success(request, "闭馆日已添加")
                return HttpResponseRedirect(request.path)
        except ValidationError as error:
            _refused(hours_form if hours_form.is_bound else closed_form, error)
    context = {
        "venue": venue,
        "hours_form": hours_form,
        "closed_form": closed_form,
        "closed_days": list(selectors.closed_days_of(venue=venue)[:100]),
        "title": f"开放时间与闭馆日 · {venue.name}",
    }
    return render(request, "venues/manage/hours.html", context)


@staff_page("POST")
def closed_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    closed_day = selectors.access_closed_day(user=request.user, pk=pk)
    venue_pk = request.POST.get("venue", "")
    services.closed_day_remove(actor=request.user, closed_day=closed_day)
    messages.success(request, "闭馆日已删除")
    default = (
        reverse("venues:hours", kwargs={"pk": int(venue_pk)})
        if venue_pk.isdigit() and len(venue_pk) < 10
        else reverse("venues:venue_list")
    )
    return HttpResponseRedirect(default)


@staff_page("GET", "POST")
def equipment(request: HttpRequest, pk: int) -> HttpResponse:
    """The venue's equipment (音响, 话筒, 桌椅, 电子显示屏, 投影…) with quantity and state, and a form to add one."""
    venue = selectors.access_venue(user=request.user, pk=pk, manage=True)
    if not request.user.has_perm("venues.maintain", venue):
        raise Http404
    return _equipment_form(request, venue, None)


@staff_page("GET", "POST")
def equipment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_equipment(user=request.user, pk=pk)
    return _equipment_form(request, item.venue, item)


def _equipment_form(request: HttpRequest, venue: Venue, item: Any) -> HttpResponse:
    form = EquipmentForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_save(actor=request.user, venue=venue, equipment=item, data=form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "设备已保存")
            return HttpResponseRedirect(reverse("venues:equipment", kwargs={"pk": venue.pk}))
    context = {
        "venue": venue,
        "form": form,
        "item": item,
        "items": list(venue.equipment.order_by("kind", "name", "id")),
        "title": f"设备 · {venue.name}",
    }
    return render(request, "venues/manage/equipment.html", context)


@staff_page("GET")
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable poster with the venue's check-in QR code (an SVG drawn by segno)."""
    import segno

    venue = selectors.access_venue(user=request.user, pk=pk, manage=True)
    url = request.build_absolute_uri(reverse("venues:checkin", kwargs={"token": venue.checkin_token}))
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=6, dark="#7d0d12", light="#ffffff", title=f"{venue.name}签到二维码", omitsize=True
    )
    return render(request, "venues/manage/poster.html", {"venue": venue, "qr_svg": svg, "checkin_url": url})


# ---------------------------------------------------------------- staff: reviews, today


@staff_page("GET")
def review_queue(request: HttpRequest) -> HttpResponse:
    """The pending requests the guide may decide, soonest first."""
    context = {
        "page": paginate(request, selectors.review_queue(user=request.user)),
        "querystring": querystring_without_page(request),
        "title": "预约审核",
    }
    return render(request, "venues/manage/review_queue.html", context)


@staff_page("GET")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """One request with the requests and bookings it conflicts with, before the guide decides."""
    reservation = selectors.access_reservation(user=request.user, pk=pk, manage=True)
    context = {
        "reservation": reservation,
        "conflicts": selectors.conflicts_of(reservation=reservation),
        "reject_form": ReasonForm(),
        "can_decide": reservation.status == ReservationStatus.PENDING
        and request.user.has_perm("venues.review_reservation", reservation),
        "title": "审核预约",
    }
    return render(request, "venues/manage/review.html", context)


@staff_page("POST")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = selectors.access_reservation(user=request.user, pk=pk, manage=True)
    try:
        result = services.reservation_approve(actor=request.user, reservation=reservation)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        text = f"已通过 {reservation.holder.display_name} 的预约（{reservation.time_label}）"
        if result.auto_rejected:
            names = "、".join(f"{r.holder.display_name}（{r.time_label}）" for r in result.auto_rejected)
            text += f"；与之冲突的 {len(result.auto_rejected)} 个申请已自动驳回：{names}"
        messages.success(request, text)
    return HttpResponseRedirect(reverse("venues:review", kwargs={"pk": reservation.pk}))


@staff_page("POST")
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = selectors.access_reservation(user=request.user, pk=pk, manage=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.reservation_reject(
                actor=request.user, reservation=reservation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已驳回该预约申请")
            return HttpResponseRedirect(reverse("venues:review", kwargs={"pk": reservation.pk}))
    context = {
        "reservation": reservation,
        "conflicts": selectors.conflicts_of(reservation=reservation),
        "reject_form": form,
        "can_decide": True,
        "title": "审核预约",
    }
    return render(request, "venues/manage/review.html", context)


@staff_page("GET")
def today(request: HttpRequest) -> HttpResponse:
    """Today's bookings of the stations the guide serves, to check people in or mark them absent."""
    context = {
        "page": paginate(request, selectors.today_bookings(user=request.user)),
        "tours": list(selectors.today_tours(user=request.user)[:50]),
        "querystring": querystring_without_page(request),
        "title": "今日预约",
        "now": timezone.now(),
    }
    return render(request, "venues/manage/today.html", context)


@staff_page("POST")
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = selectors.access_reservation(user=request.user, pk=pk, manage=True)
    try:
        services.reservation_check_in(actor=request.user, reservation=reservation)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"{reservation.holder.display_name} 已签到")
    return _back(request, reverse("venues:today"))


@staff_page("POST")
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    """The guide marks a booking that has started without anyone arriving 未到场: the slot is released."""
    reservation = selectors.access_reservation(user=request.user, pk=pk, manage=True)
    try:
        services.reservation_mark_no_show(actor=request.user, reservation=reservation)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已将 {reservation.holder.display_name} 的预约标记为未到场，时段已释放")
    return _back(request, reverse("venues:today"))


@staff_page("GET")
def manage_home(request: HttpRequest) -> HttpResponse:
    """/manage/venues/: the venues list is where the staff pages start."""
    return HttpResponseRedirect(reverse("venues:venue_list"))


# ---------------------------------------------------------------- staff: tours


@staff_page("GET")
def tours(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    queryset = selectors.tours_for(user=request.user)
    if status in TourStatus.values:
        queryset = queryset.filter(status=status)
    context = {
        "page": paginate(request, queryset),
        "querystring": querystring_without_page(request),
        "statuses": TourStatus.choices,
        "status": status,
        "title": "参观预约",
    }
    return render(request, "venues/manage/tours.html", context)


def _tour_forms(tour: Any, data: Any = None, which: str = "") -> dict[str, BaseForm]:
    guides = selectors.guides_for(station=tour.station)
    return {
        "assign": PersonChoiceForm(data if which == "assign" else None, people=guides, label="讲解员"),
        "confirm": TourConfirmForm(
            data if which == "confirm" else None,
            venues=selectors.station_venues(station=tour.station),
            initial={"venue": tour.venue_id},
        ),
        "decline": ReasonForm(data if which == "decline" else None),
        "record": TourRecordForm(data if which == "record" else None),
    }


@staff_page("GET")
def tour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tour = selectors.access_tour(user=request.user, pk=pk, manage=True)
    return _tour_page(request, tour, _tour_forms(tour))


def _tour_page(request: HttpRequest, tour: Any, forms: dict[str, BaseForm]) -> HttpResponse:
    context = {
        "tour": tour,
        "forms": forms,
        "can_handle": request.user.has_perm("venues.handle_tour", tour),
        "title": f"参观预约 · {tour.group_name}",
    }
    return render(request, "venues/manage/tour.html", context)


def _tour_action(which: str, call: Callable[[Any, Any, BaseForm], Any], done: str) -> View:
    @staff_page("POST")
    def action(request: HttpRequest, pk: int) -> HttpResponse:
        tour = selectors.access_tour(user=request.user, pk=pk, manage=True)
        forms = _tour_forms(tour, request.POST, which)
        form = forms[which]
        if form.is_valid():
            try:
                call(request.user, tour, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("venues:tour", kwargs={"pk": tour.pk}))
        return _tour_page(request, tour, forms)

    action.__name__ = f"tour_{which}"
    return action


tour_assign = _tour_action(
    "assign",
    lambda actor, tour, form: services.tour_assign(actor=actor, tour=tour, guide=form.cleaned_data["person"]),
    "已指派讲解员",
)
tour_confirm = _tour_action(
    "confirm",
    lambda actor, tour, form: services.tour_confirm(actor=actor, tour=tour, venue=form.cleaned_data["venue"]),
    "已确认参观，并预约了场所",
)
tour_decline = _tour_action(
    "decline",
    lambda actor, tour, form: services.tour_decline(
        actor=actor, tour=tour, reason=form.cleaned_data["reason"]
    ),
    "已婉拒该参观预约",
)
tour_record = _tour_action(
    "record",
    lambda actor, tour, form: services.tour_record(
        actor=actor,
        tour=tour,
        actual_count=form.cleaned_data["actual_count"],
        feedback=form.cleaned_data["feedback"],
    ),
    "已记录参观情况",
)


# ---------------------------------------------------------------- staff: faults


@staff_page("GET")
def faults(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    queryset = selectors.faults_for(user=request.user)
    if status in ("open", "assigned", "repaired"):
        queryset = queryset.filter(status=status)
    context = {
        "page": paginate(request, queryset),
        "querystring": querystring_without_page(request),
        "status": status,
        "title": "故障报修",
    }
    return render(request, "venues/manage/faults.html", context)


def _fault_forms(fault: Any, data: Any = None, which: str = "") -> dict[str, BaseForm]:
    workers = selectors.maintainers_for(fault=fault)
    return {
        "assign": PersonChoiceForm(data if which == "assign" else None, people=workers, label="维修人"),
        "repair": RepairForm(data if which == "repair" else None),
    }


def _fault_page(request: HttpRequest, fault: Any, forms: dict[str, BaseForm]) -> HttpResponse:
    context = {
        "fault": fault,
        "forms": forms,
        "can_maintain": request.user.has_perm("venues.maintain", fault),
        "title": f"故障报修 · {fault.venue.name}",
    }
    return render(request, "venues/manage/fault.html", context)


@staff_page("GET")
def fault_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fault = selectors.access_fault(user=request.user, pk=pk, manage=True)
    return _fault_page(request, fault, _fault_forms(fault))


def _fault_action(which: str, call: Callable[[Any, Any, BaseForm], Any], done: str) -> View:
    @staff_page("POST")
    def action(request: HttpRequest, pk: int) -> HttpResponse:
        fault = selectors.access_fault(user=request.user, pk=pk, manage=True)
        forms = _fault_forms(fault, request.POST, which)
        form = forms[which]
        if form.is_valid():
            try:
                call(request.user, fault, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("venues:fault", kwargs={"pk": fault.pk}))
        return _fault_page(request, fault, forms)

    action.__name__ = f"fault_{which}"
    return action


fault_assign = _fault_action(
    "assign",
    lambda actor, fault, form: services.fault_assign(
        actor=actor, fault=fault, assignee=form.cleaned_data["person"]
    ),
    "已派单",
)
fault_repair = _fault_action(
    "repair",
    lambda actor, fault, form: services.fault_repair(
        actor=actor, fault=fault, note=form.cleaned_data["note"]
    ),
    "已记录修复",
)


# ---------------------------------------------------------------- staff: 六有


@staff_page("GET", "POST")
def six_have(request: HttpRequest) -> HttpResponse:
    """The 六有 checklist of one station (场所, 设施, 标志, 党旗, 书报, 制度) with evidence photos."""
    stations = list(selectors.six_have_stations(user=request.user))
    if not stations:
        raise PermissionDenied
    if request.method == "POST":  # a station the person does not keep is a missing one
        station = next((s for s in stations if str(s.pk) == request.POST.get("station", "")), None)
        if station is None:
            raise Http404
    else:
        wanted = request.GET.get("station", "")
        station = next((s for s in stations if str(s.pk) == wanted), stations[0])
    form = SixHaveForm(request.POST or None, request.FILES or None)
    item = request.POST.get("item", "")
    if request.method == "POST":
        if item not in SixHave.values:
            form.is_valid()
            form.add_error(None, "请选择检查项")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.six_have_check(
                    actor=request.user,
                    station=station,
                    item=item,
                    met=data["met"],
                    note=data["note"],
                    photos=[data["photo"]] if data["photo"] else [],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "六有检查已保存")
                return HttpResponseRedirect(f"{request.path}?station={station.pk}")
    context = {
        "stations": stations,
        "station": station,
        "items": selectors.station_six_have(station=station).rows,
        "form": form,
        "failed_item": item if form.errors else "",
        "can_check": request.user.has_perm("venues.check_six_have", station),
        "title": "六有阵地检查",
    }
    return render(request, "venues/manage/six_have.html", context)


@staff_page("GET")
def six_have_overview(request: HttpRequest) -> HttpResponse:
    """HQ: which stations meet all six, and what each of the others lacks."""
    if not request.user.has_perm("venues.view_six_have_overview"):
        raise PermissionDenied
    rows = selectors.six_have_overview(user=request.user)
    context = {
        "rows": rows,
        "complete": sum(1 for row in rows if row.complete),
        "labels": SixHave.choices,
        "title": "六有达标总览",
    }
    return render(request, "venues/manage/six_have_overview.html", context)


# ---------------------------------------------------------------- helpers


def _hours_summary(hours: list[OpeningHours]) -> list[str]:
    """Opening hours with runs of weekdays alike joined: ["星期一至星期五 09:00–18:00", "星期六 10:00–16:00"]."""
    runs: list[list[OpeningHours]] = []
    for row in hours:
        last = runs[-1][-1] if runs else None
        if last and last.weekday == row.weekday - 1 and (last.opens, last.closes) == (row.opens, row.closes):
            runs[-1].append(row)
        else:
            runs.append([row])
    lines = []
    for run in runs:
        days = run[0].get_weekday_display()
        if len(run) > 1:
            days = f"{days}至{run[-1].get_weekday_display()}"
        lines.append(f"{days} {run[0].opens:%H:%M}–{run[0].closes:%H:%M}")
    return lines
