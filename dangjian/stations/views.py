from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.manage_views import ManagedResource
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
from dangjian.stations.models import Floor, GridArea, Station

# ---------------------------------------------------------------- public portal


@require_GET
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    building = selectors.access_building(user=request.user, pk=pk)
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


def _save_station(form: Any, actor: Any, before: dict[str, Any] | None) -> Station:
    if before is None:
        form.instance.kind = "branch"  # the HQ exists once (§4.3): every station created here is a branch
    return services.station_save(station=form.instance, actor=actor, before=before)


STATIONS = ManagedResource(
    namespace="stations",
    name="station",
    path="stations",
    titles=("站点管理", "新建分站", "编辑站点"),
    form_class=StationForm,
    manageable=selectors.manageable_stations,
    access=selectors.access_station,
    save=_save_station,
    permissions=("stations.manage", "stations.add_station", "stations.change_station"),
    headers=["名称", "类型", "地址", "联系人", "向周边开放", ""],
    row_template="stations/rows/station.html",
    search_fields=("name", "address"),
    can_create=lambda user: user.has_perm("stations.add_station"),
)

BUILDINGS = ManagedResource(
    namespace="stations",
    name="building",
    path="buildings",
    titles=("楼宇管理", "新建楼宇", "编辑楼宇"),
    form_class=BuildingForm,
    manageable=selectors.manageable_buildings,
    access=selectors.access_building,
    listing=lambda user: (
        selectors.manageable_buildings(user)
        .annotate(unit_count=Count("units"))
        .order_by("station_id", "name")
    ),
    save=lambda form, actor, before: services.building_save(
        building=form.instance, actor=actor, before=before
    ),
    permissions=("stations.manage", "stations.manage", "stations.change_building"),
    headers=["楼宇", "所属站点", "地址", "层数", "入驻单位", ""],
    row_template="stations/rows/building.html",
    search_fields=("name", "address", "operator"),
    filter_form_class=StationFilterForm,
    created_url=lambda building: building.get_absolute_url(),
)

UNITS = ManagedResource(
    namespace="stations",
    name="unit",
    path="units",
    titles=("入驻单位", "新增入驻单位", "编辑入驻单位"),
    form_class=ResidentUnitForm,
    manageable=selectors.unit_editable_queryset,
    access=selectors.access_unit,
    listing=lambda user: selectors.unit_list(selectors.unit_editable_queryset(user)),
    save=lambda form, actor, before: services.unit_save(unit=form.instance, actor=actor, before=before),
    permissions=("stations.view_units", "stations.view_units", "stations.change_residentunit"),
    headers=["单位名称", "统一社会信用代码", "楼宇 / 楼层", "行业", "人数", "党组织", ""],
    row_template="stations/rows/unit.html",
    search_fields=("name", "uscc", "contact_name"),
    search_placeholder="单位名称、信用代码或联系人",
    filter_form_class=UnitFilterForm,
    created_url=lambda unit: unit.building.get_absolute_url(),
    initial=lambda request: {"building": request.GET.get("building")},
)


@login_required
@require_GET
def unit_building_options(request: HttpRequest) -> HttpResponse:
    """htmx partial: the floor and grid choices of the building picked in the unit form."""
    building = selectors.access_unit_building(user=request.user, pk=request.GET.get("building"))
    context = {
        "floors": Floor.objects.filter(building=building).order_by("-number"),
        "grids": GridArea.objects.filter(building=building).order_by("name"),
    }
    return render(request, "stations/partials/building_options.html", context)


GRIDS = ManagedResource(
    namespace="stations",
    name="grid",
    path="grids",
    titles=("网格管理", "新建网格", "编辑网格"),
    form_class=GridAreaForm,
    manageable=selectors.manageable_grids,
    access=selectors.access_grid,
    save=lambda form, actor, before: services.grid_save(
        grid=form.instance, floors=form.cleaned_data.get("floors") or [], actor=actor, before=before
    ),
    permissions=("stations.manage", "stations.manage", "stations.change_gridarea"),
    headers=["网格", "楼宇", "站点", "网格长", "单位数", ""],
    row_template="stations/rows/grid.html",
    search_fields=("name", "building__name"),
    filter_form_class=StationFilterForm,
)

PLACES = ManagedResource(
    namespace="stations",
    name="place",
    path="places",
    titles=("周边片区", "登记周边片区", "编辑周边片区"),
    form_class=PlaceForm,
    manageable=selectors.manageable_places,
    access=selectors.access_place,
    save=lambda form, actor, before: services.place_save(place=form.instance, actor=actor, before=before),
    permissions=("stations.manage", "stations.manage", "stations.change_place"),
    headers=["名称", "类型", "所属街道", "服务站点", "联系人", ""],
    row_template="stations/rows/place.html",
    search_fields=("name", "address"),
    filter_form_class=StationFilterForm,
)
