from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from dangjian.core.forms import ExactFilterForm, StyledForm, StyledModelForm, limit_choices
from dangjian.core.parsing import positive_int_or_none
from dangjian.core.uploads import clean_image_upload
from dangjian.core.validators import normalize_uscc
from dangjian.stations import selectors
from dangjian.stations.models import (
    Building,
    Floor,
    GridArea,
    Industry,
    Place,
    PlaceKind,
    ResidentUnit,
    Station,
)


class StationForm(StyledModelForm):
    class Meta:
        model = Station
        fields = [
            "name",
            "code",
            "address",
            "opening_hours",
            "contact_name",
            "contact_phone",
            "latitude",
            "longitude",
            "photo",
            "intro",
            "open_to_surroundings",
            "sort_order",
            "is_active",
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_hq:
            del self.fields["open_to_surroundings"]

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            return clean_image_upload(photo)
        return photo

    def clean_latitude(self) -> Any:
        return _in_range(self.cleaned_data.get("latitude"), -90, 90, "纬度")

    def clean_longitude(self) -> Any:
        return _in_range(self.cleaned_data.get("longitude"), -180, 180, "经度")


def _in_range(value: Any, low: int, high: int, label: str) -> Any:
    if value is not None and not low <= value <= high:
        raise forms.ValidationError(f"{label}应在 {low} 到 {high} 之间")
    return value


class BuildingForm(StyledModelForm):
    class Meta:
        model = Building
        fields = [
            "station",
            "name",
            "address",
            "operator",
            "floors_above",
            "floors_below",
            "has_own_space",
            "intro",
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", selectors.manageable_stations(user))
        self.fields["floors_above"].validators.append(_max_validator(200, "地上层数"))
        self.fields["floors_below"].validators.append(_max_validator(20, "地下层数"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("floors_above") == 0 and data.get("floors_below") == 0:
            raise forms.ValidationError("楼宇至少要有一层")
        return data


def _max_validator(limit: int, label: str) -> Any:
    def check(value: int) -> None:
        if value is not None and value > limit:
            raise forms.ValidationError(f"{label}不能超过 {limit}")

    return check


def _selected_building(form: Any, field: str = "building") -> int:
    raw = form.data.get(field) if form.is_bound else form.initial.get(field)
    if raw is None and getattr(form, "instance", None) is not None:
        raw = getattr(form.instance, f"{field}_id", None)
    return positive_int_or_none(raw) or 0


class ResidentUnitForm(StyledModelForm):
    class Meta:
        model = ResidentUnit
        fields = [
            "name",
            "uscc",
            "building",
            "floor",
            "room",
            "grid",
            "industry",
            "headcount",
            "party_member_count",
            "has_party_org",
            "contact_name",
            "contact_phone",
            "moved_in_on",
            "is_active",
        ]
        widgets = {"moved_in_on": forms.DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station_ids = selectors.unit_editor_station_ids(user)
        buildings = selectors.restrict_to_stations(Building.objects.select_related("station"), station_ids)
        limit_choices(self, "building", buildings)
        building_id = _selected_building(self)
        floors = Floor.objects.filter(building_id=building_id).select_related("building")
        limit_choices(self, "floor", floors, label=lambda floor: floor.label)
        grids = GridArea.objects.filter(building_id=building_id).select_related("building")
        limit_choices(self, "grid", grids, label=lambda grid: grid.name)
        self.fields["building"].widget.attrs.update(
            {
                "hx-get": reverse("stations:unit_building_options"),
                "hx-target": "#building-dependent",
                "hx-trigger": "change",
            }
        )
        self.fields["uscc"].widget.attrs.update(
            {"maxlength": 18, "autocapitalize": "characters", "spellcheck": "false"}
        )
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel"})

    def clean_uscc(self) -> str:
        return normalize_uscc(self.cleaned_data.get("uscc", ""))


class GridAreaForm(StyledModelForm):
    class Meta:
        model = GridArea
        fields = ["building", "name", "floors", "note"]
        widgets = {"floors": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "building", selectors.manageable_buildings(user))
        floors = Floor.objects.filter(building_id=_selected_building(self)).select_related("building")
        limit_choices(self, "floors", floors, label=lambda floor: floor.label)
        self.fields["floors"].widget.attrs["class"] = "form-check-inline-list"


class PlaceForm(StyledModelForm):
    class Meta:
        model = Place
        fields = ["station", "kind", "name", "parent", "address", "contact_name", "contact_phone"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = selectors.manageable_stations(user)
        limit_choices(self, "station", stations)
        limit_choices(self, "parent", Place.objects.filter(kind=PlaceKind.STREET, station__in=stations))


class UnitFilterForm(StyledForm):
    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部站点"
    )
    building = forms.ModelChoiceField(
        label="楼宇", queryset=Building.objects.none(), required=False, empty_label="全部楼宇"
    )
    industry = forms.ChoiceField(label="行业", choices=[("", "全部行业"), *Industry.choices], required=False)
    has_party_org = forms.ChoiceField(
        label="党组织", choices=[("", "不限"), ("1", "已建党组织"), ("0", "未建党组织")], required=False
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station_ids = selectors.unit_editor_station_ids(user)
        limit_choices(
            self, "station", selectors.restrict_to_stations(Station.objects.all(), station_ids, field="id")
        )
        limit_choices(self, "building", selectors.restrict_to_stations(Building.objects.all(), station_ids))

    def apply(self, qs: QuerySet[ResidentUnit]) -> QuerySet[ResidentUnit]:
        data = self.cleaned_data
        if data.get("station"):
            qs = qs.filter(station=data["station"])
        if data.get("building"):
            qs = qs.filter(building=data["building"])
        if data.get("industry"):
            qs = qs.filter(industry=data["industry"])
        if data.get("has_party_org") in ("0", "1"):
            qs = qs.filter(has_party_org=data["has_party_org"] == "1")
        return qs


class StationFilterForm(ExactFilterForm):
    lookups = {"station": "station"}

    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部站点"
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", selectors.manageable_stations(user))
