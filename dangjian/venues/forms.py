"""Forms of the venues pages (§6.1 六有, §6.2 一馆三区, §5.4.3 参观预约, §5.5). Forms check what a person typed
(a date, an end after a start); the booking rules themselves (opening hours, closed days, quota, overlap)
are the services', whose refusals the views show on the same form."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.forms import StyledForm, StyledModelForm, limit_choices
from dangjian.core.uploads import clean_image_upload
from dangjian.stations.models import Station
from dangjian.venues.models import (
    Equipment,
    GroupKind,
    Recurrence,
    Venue,
    Weekday,
)

MAX_HEAD_COUNT = 10000
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def aware(day: date, moment: time) -> datetime:
    """A wall-clock time in Asia/Shanghai as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())


def time_field(label: str, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label, widget=TIME_WIDGET, required=required, input_formats=["%H:%M", "%H:%M:%S"]
    )


def _clean_photo(form: forms.BaseForm, name: str = "photo") -> Any:
    photo = form.cleaned_data.get(name)
    if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
        return clean_image_upload(photo)
    return photo


class TimeRangeMixin:
    """`date`, `start` and `end` fields: the end after the start, both as aware datetimes."""

    cleaned_data: dict[str, Any]

    def clean_range(self) -> None:
        start, end, day = (self.cleaned_data.get(k) for k in ("start", "end", "date"))
        if start and end and end <= start:
            self.add_error("end", "结束时间应晚于开始时间")  # type: ignore[attr-defined]
        elif day and start and end:
            self.cleaned_data["starts_at"] = aware(day, start)
            self.cleaned_data["ends_at"] = aware(day, end)


class BookingForm(TimeRangeMixin, StyledForm):
    """A person asks for a time in a venue; optionally every week or month until a date."""

    date = forms.DateField(label="日期", widget=forms.DateInput())
    start = time_field("开始时间")
    end = time_field("结束时间")
    purpose = forms.CharField(label="用途", max_length=200, help_text="如：支部主题党日、读书分享会")
    head_count = forms.IntegerField(label="人数", min_value=1, max_value=MAX_HEAD_COUNT)
    recurrence = forms.ChoiceField(
        label="重复", choices=[("", "不重复"), *Recurrence.choices], required=False
    )
    until = forms.DateField(label="重复截止日期", widget=forms.DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_range()
        if data.get("recurrence"):
            until, day = data.get("until"), data.get("date")
            if until is None:
                self.add_error("until", "重复预约请填写截止日期")
            elif day and until < day:
                self.add_error("until", "截止日期不能早于首次预约日期")
        else:
            data["recurrence"], data["until"] = None, None
        return data


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=200, required=False)


class FaultReportForm(StyledForm):
    """Anyone signed in reports a fault of a venue (optionally of one piece of its equipment, with a photo)."""

    equipment = forms.ModelChoiceField(label="设备", queryset=Equipment.objects.none(), required=False)
    description = forms.CharField(label="故障描述", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    blocks_venue = forms.BooleanField(label="场地无法使用", required=False)
    photo = forms.ImageField(label="照片（可不传）", required=False)

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "equipment", venue.equipment.exclude(state="retired"))
        self.fields["equipment"].empty_label = "不涉及具体设备"  # type: ignore[attr-defined]

    def clean_photo(self) -> Any:
        return _clean_photo(self)


class TourRequestForm(TimeRangeMixin, StyledForm):
    """A unit or community asks to visit a station (参观预约, §5.4.3)."""

    station: forms.ModelChoiceField = forms.ModelChoiceField(
        label="参观站点", queryset=Station.objects.none()
    )
    group_name = forms.CharField(label="参观团体", max_length=120)
    group_kind = forms.ChoiceField(label="团体类型", choices=GroupKind.choices)
    contact_name = forms.CharField(label="联系人", max_length=40)
    contact_phone = forms.RegexField(
        label="联系电话",
        regex=r"^[0-9+\- ]{7,20}$",
        max_length=20,
        error_messages={"invalid": "请填写正确的联系电话"},
    )
    visitor_count = forms.IntegerField(label="预计人数", min_value=1, max_value=MAX_HEAD_COUNT)
    date = forms.DateField(label="参观日期", widget=forms.DateInput())
    start = time_field("开始时间")
    end = time_field("结束时间")

    def __init__(self, *args: Any, stations: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", stations)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_range()
        return data


class VenueForm(StyledModelForm):
    class Meta:
        model = Venue
        fields = [
            "station",
            "building",
            "unit",
            "name",
            "kind",
            "capacity",
            "floor_label",
            "room",
            "photo",
            "description",
            "audience",
            "needs_approval",
            "min_advance_minutes",
            "max_advance_days",
            "max_duration_minutes",
            "monthly_quota",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        from dangjian.stations.models import Building, ResidentUnit

        super().__init__(*args, **kwargs)
        stations = [
            s.pk for s in Station.objects.filter(is_active=True) if user.has_perm("venues.manage_venue", s)
        ]
        limit_choices(self, "station", Station.objects.filter(pk__in=stations))
        limit_choices(
            self, "building", Building.objects.filter(station__in=stations).order_by("station_id", "name")
        )
        limit_choices(
            self,
            "unit",
            ResidentUnit.objects.filter(building__station__in=stations).order_by("name"),
        )
        self.fields["capacity"].validators.append(_at_least(1))
        for name, top in (
            ("capacity", MAX_HEAD_COUNT),
            ("min_advance_minutes", 60 * 24 * 30),
            ("max_advance_days", 366),
            ("max_duration_minutes", 60 * 24),
            ("monthly_quota", 1000),
        ):
            self.fields[name].widget.attrs["max"] = top
            self.fields[name].validators.append(_at_most(top))
        self.fields["max_duration_minutes"].validators.append(_at_least(1))
        if self.instance.pk:
            self.fields["station"].disabled = True

    def clean_photo(self) -> Any:
        return _clean_photo(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        station, building, unit = data.get("station"), data.get("building"), data.get("unit")
        if station and building and building.station_id != station.pk:
            self.add_error("building", "所选楼宇不属于该站点")
        if station and unit and unit.building.station_id != station.pk:
            self.add_error("unit", "所选单位不属于该站点")
        return data


def _at_most(top: int) -> Any:
    def check(value: Any) -> None:
        if value is not None and value > top:
            raise forms.ValidationError(f"不能超过 {top}", code="max_value")

    return check


def _at_least(low: int) -> Any:
    def check(value: Any) -> None:
        if value is not None and value < low:
            raise forms.ValidationError(f"不能小于 {low}", code="min_value")

    return check


class OpeningHoursForm(StyledForm):
    """Opening hours per weekday; a weekday left empty is closed."""

    def __init__(self, *args: Any, venue: Venue, **kwargs: Any) -> None:
        initial = {}
        for row in venue.hours.all():
            initial[f"opens_{row.weekday}"] = row.opens
            initial[f"closes_{row.weekday}"] = row.closes
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for weekday, label in Weekday.choices:
            self.fields[f"opens_{weekday}"] = time_field(f"{label} 开放", required=False)
            self.fields[f"closes_{weekday}"] = time_field(f"{label} 关闭", required=False)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
            field.widget.attrs["aria-label"] = field.label

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for weekday, _ in Weekday.choices:
            opens, closes = data.get(f"opens_{weekday}"), data.get(f"closes_{weekday}")
            if (opens is None) != (closes is None):
                self.add_error(f"closes_{weekday}", "请同时填写开放和关闭时间，或都不填（当天不开放）")
            elif opens is not None and closes is not None and closes <= opens:
                self.add_error(f"closes_{weekday}", "关闭时间应晚于开放时间")
        return data

    def rows(self) -> list[tuple[int, Any, Any]]:
        return [
            (weekday, self.cleaned_data[f"opens_{weekday}"], self.cleaned_data[f"closes_{weekday}"])
            for weekday, label in Weekday.choices
            if self.cleaned_data.get(f"opens_{weekday}") is not None
        ]

    def weekdays(self) -> list[tuple[str, Any, Any]]:
        return [
            (label, self[f"opens_{weekday}"], self[f"closes_{weekday}"]) for weekday, label in Weekday.choices
        ]


class ClosedDayForm(StyledForm):
    date = forms.DateField(label="闭馆日期", widget=forms.DateInput())
    reason = forms.CharField(label="原因", max_length=80, required=False, help_text="如：国庆节、设备检修")
    whole_station = forms.BooleanField(label="全站闭馆（不勾选则仅本场所）", required=False)


class EquipmentForm(StyledModelForm):
    class Meta:
        model = Equipment
        fields = ["kind", "name", "quantity", "state", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"].validators.append(_at_most(MAX_HEAD_COUNT))
        self.fields["quantity"].validators.append(_at_least(1))
        self.fields["quantity"].widget.attrs.update(min=1, max=MAX_HEAD_COUNT)


class PersonChoiceForm(StyledForm):
    """Pick one of a station's role holders (the worker who repairs, the guide who leads a tour)."""

    person: forms.ModelChoiceField = forms.ModelChoiceField(label="人员", queryset=User.objects.none())

    def __init__(self, *args: Any, people: QuerySet, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].label = label
        limit_choices(self, "person", people, label=lambda person: person.display_name)


class RepairForm(StyledForm):
    note = forms.CharField(label="维修说明", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class TourConfirmForm(StyledForm):
    venue: forms.ModelChoiceField = forms.ModelChoiceField(label="使用场所", queryset=Venue.objects.none())

    def __init__(self, *args: Any, venues: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "venue", venues)


class TourRecordForm(StyledForm):
    actual_count = forms.IntegerField(label="实到人数", min_value=0, max_value=MAX_HEAD_COUNT)
    feedback = forms.CharField(
        label="参观反馈", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SixHaveForm(StyledForm):
    met = forms.BooleanField(label="已达标", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)
    photo = forms.ImageField(label="佐证照片（可不传）", required=False)

    def clean_photo(self) -> Any:
        return _clean_photo(self)


class CalendarQuery(forms.Form):
    """`?view=week|month&day=2026-07-06`: anything else falls back to this week."""

    view = forms.ChoiceField(choices=[("week", "周"), ("month", "月")], required=False)
    day = forms.DateField(required=False)

    def values(self) -> tuple[str, date]:
        today = timezone.localdate()
        if not self.is_valid():
            return "week", today
        day = self.cleaned_data.get("day") or today
        if not date(2000, 1, 1) <= day <= date(2199, 12, 1):
            day = today
        return self.cleaned_data.get("view") or "week", day
