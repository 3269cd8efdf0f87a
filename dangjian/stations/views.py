from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.manage_views import ManagedCreateView, ManagedListView, ManagedUpdateView
from dangjian.core.parsing import positive_int_or_none
from dangjian.stations import selectors, services
from dangjian.stations.forms import (
    BuildingForm,
    GridAreaForm,
    PlaceForm,
    ResidentUnitForm,
    StationFilterForm,
    StationForm,
    UnitFilterForm,
)
from dangjian.stations.middleware import SESSION_STATION_KEY
from dangjian.stations.models import Building, Floor, GridArea, Station

# ---------------------------------------------------------------- public portal


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    stations: list[Any] = list(selectors.public_stations())
    context = {
        "hq": next((s for s in stations if s.is_hq), None),
        "branches": [s for s in stations if not s.is_hq],
        "totals": {
            "stations": len(stations),
            "buildings": sum(s.building_count for s in stations),
            "units": sum(s.unit_count for s in stations),
        },
    }
    return render(request, "portal/home.html", context)


@require_GET
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(Station.objects.filter(is_active=True), code=code)
    buildings = station.buildings.annotate(
        unit_count=Count("units", filter=Q(units__is_active=True))
    ).order_by("name")
    organizations = (
        station.organizations.filter(is_active=True).select_related("secretary").order_by("kind", "name")
    )
    places = station.places.select_related("parent").order_by("kind", "name")
    context = {"station": station, "buildings": buildings, "organizations": organizations, "places": places}
    return render(request, "portal/station.html", context)


@require_GET
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_object_or_404(Building.objects.select_related("station"), pk=pk, station__is_active=True)
    can_add_unit = request.user.has_perm("stations.add_residentunit", building.station)
    context = {
        "building": building,
        "units": selectors.building_units_by_floor(building),
        "can_add_unit": can_add_unit,
    }
    return render(request, "portal/building.html", context)


@require_POST
def switch_station(request: HttpRequest) -> HttpResponse:
    """Station switcher: remember the station the person is looking at, then go to its portal."""
    station_id = positive_int_or_none(request.POST.get("station"))
    station = Station.objects.filter(is_active=True, pk=station_id).first() if station_id else None
    if station is None:
        request.session.pop(SESSION_STATION_KEY, None)
        target = reverse("portal:home")
    else:
        request.session[SESSION_STATION_KEY] = station.pk
        target = station.get_absolute_url()
    next_url = request.POST.get("next", "")
    if (
        station is not None
        and next_url.startswith("/manage/")
        and url_has_allowed_host_and_scheme(next_url, None)
    ):
        target = next_url
    return HttpResponseRedirect(target)


# ---------------------------------------------------------------- management


@login_required
@require_GET
def manage_home(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("stations.enter_management"):
        raise PermissionDenied
    stations = selectors.manageable_stations(request.user)
    counts = {
        "stations": stations.count(),
        "buildings": selectors.manageable_buildings(request.user).count(),
        "units": selectors.unit_editable_queryset(request.user).filter(is_active=True).count(),
    }
    return render(request, "manage/home.html", {"counts": counts})


class StationList(ManagedListView):
    permission = "stations.manage"
    title = "站点管理"
    headers = ["名称", "类型", "地址", "联系人", "向周边开放", ""]
    row_template = "stations/rows/station.html"
    create_url_name = "stations:station_create"
    search_fields = ("name", "address")

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_stations(self.request.user)

    def can_create(self) -> bool:
        return self.request.user.has_perm("stations.add_station")


class StationCreate(ManagedCreateView):
    permission = "stations.add_station"
    form_class = StationForm
    title = "新建分站"
    success_url_name = "stations:station_list"

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Station:
        station = form.instance  # type: ignore[attr-defined]
        station.kind = "branch"
        return services.station_save(station=station, actor=self.request.user)


class StationUpdate(ManagedUpdateView):
    permission = "stations.change_station"
    form_class = StationForm
    title = "编辑站点"
    success_url_name = "stations:station_list"

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_stations(self.request.user)

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Station:
        return services.station_save(station=form.instance, actor=self.request.user, before=before)  # type: ignore[attr-defined]


class BuildingList(ManagedListView):
    permission = "stations.manage"
    title = "楼宇管理"
    headers = ["楼宇", "所属站点", "地址", "层数", "入驻单位", ""]
    row_template = "stations/rows/building.html"
    create_url_name = "stations:building_create"
    search_fields = ("name", "address", "operator")
    filter_form_class = StationFilterForm

    def get_queryset(self) -> QuerySet:
        return (
            selectors.manageable_buildings(self.request.user)
            .annotate(unit_count=Count("units"))
            .order_by("station_id", "name")
        )


class BuildingCreate(ManagedCreateView):
    permission = "stations.manage"
    form_class = BuildingForm
    title = "新建楼宇"
    success_url_name = "stations:building_list"

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Building:
        return services.building_save(building=form.instance, actor=self.request.user)  # type: ignore[attr-defined]

    def success_url(self, saved: Building) -> str:
        return saved.get_absolute_url()


class BuildingUpdate(ManagedUpdateView):
    permission = "stations.change_building"
    form_class = BuildingForm
    title = "编辑楼宇"
    success_url_name = "stations:building_list"

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_buildings(self.request.user)

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Building:
        return services.building_save(building=form.instance, actor=self.request.user, before=before)  # type: ignore[attr-defined]


class UnitList(ManagedListView):
    permission = "stations.view_units"
    title = "入驻单位"
    headers = ["单位名称", "统一社会信用代码", "楼宇 / 楼层", "行业", "人数", "党组织", ""]
    row_template = "stations/rows/unit.html"
    create_url_name = "stations:unit_create"
    search_fields = ("name", "uscc", "contact_name")
    search_placeholder = "单位名称、信用代码或联系人"
    filter_form_class = UnitFilterForm

    def get_queryset(self) -> QuerySet:
        return selectors.unit_list(selectors.unit_editable_queryset(self.request.user))


class UnitCreate(ManagedCreateView):
    permission = "stations.view_units"
    form_class = ResidentUnitForm
    title = "新增入驻单位"
    success_url_name = "stations:unit_list"

    def build_form(self, data: Any = None, files: Any = None) -> BaseForm:
        initial = {"building": self.request.GET.get("building")} if data is None else None
        return self.form_class(data, files, user=self.request.user, initial=initial)  # type: ignore[call-arg]

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        return services.unit_save(unit=form.instance, actor=self.request.user)  # type: ignore[attr-defined]

    def success_url(self, saved: Any) -> str:
        return saved.building.get_absolute_url()


class UnitUpdate(ManagedUpdateView):
    permission = "stations.change_residentunit"
    form_class = ResidentUnitForm
    title = "编辑入驻单位"
    success_url_name = "stations:unit_list"

    def get_queryset(self) -> QuerySet:
        return selectors.unit_editable_queryset(self.request.user)

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        return services.unit_save(unit=form.instance, actor=self.request.user, before=before)  # type: ignore[attr-defined]


@login_required
@require_GET
def unit_building_options(request: HttpRequest) -> HttpResponse:
    """htmx partial: the floor and grid choices of the building picked in the unit form."""
    buildings = selectors.restrict_to_stations(
        Building.objects.all(), selectors.unit_editor_station_ids(request.user)
    )
    building = get_object_or_404(buildings, pk=positive_int_or_none(request.GET.get("building")) or 0)
    context = {
        "floors": Floor.objects.filter(building=building).order_by("-number"),
        "grids": GridArea.objects.filter(building=building).order_by("name"),
    }
    return render(request, "stations/partials/building_options.html", context)


class GridList(ManagedListView):
    permission = "stations.manage"
    title = "网格管理"
    headers = ["网格", "楼宇", "站点", "网格长", "单位数", ""]
    row_template = "stations/rows/grid.html"
    create_url_name = "stations:grid_create"
    search_fields = ("name", "building__name")
    filter_form_class = StationFilterForm

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_grids(self.request.user)


class GridSaveMixin:
    request: HttpRequest

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> GridArea:
        return services.grid_save(
            grid=form.instance,  # type: ignore[attr-defined]
            floors=form.cleaned_data.get("floors") or [],
            actor=self.request.user,
            before=before,
        )


class GridCreate(GridSaveMixin, ManagedCreateView):
    permission = "stations.manage"
    form_class = GridAreaForm
    title = "新建网格"
    success_url_name = "stations:grid_list"


class GridUpdate(GridSaveMixin, ManagedUpdateView):
    permission = "stations.change_gridarea"
    form_class = GridAreaForm
    title = "编辑网格"
    success_url_name = "stations:grid_list"

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_grids(self.request.user)


class PlaceList(ManagedListView):
    permission = "stations.manage"
    title = "周边片区"
    headers = ["名称", "类型", "所属街道", "服务站点", "联系人", ""]
    row_template = "stations/rows/place.html"
    create_url_name = "stations:place_create"
    search_fields = ("name", "address")
    filter_form_class = StationFilterForm

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_places(self.request.user)


class PlaceCreate(ManagedCreateView):
    permission = "stations.manage"
    form_class = PlaceForm
    title = "登记周边片区"
    success_url_name = "stations:place_list"

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        return services.place_save(place=form.instance, actor=self.request.user)  # type: ignore[attr-defined]


class PlaceUpdate(ManagedUpdateView):
    permission = "stations.change_place"
    form_class = PlaceForm
    title = "编辑周边片区"
    success_url_name = "stations:place_list"

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_places(self.request.user)

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        return services.place_save(place=form.instance, actor=self.request.user, before=before)  # type: ignore[attr-defined]
