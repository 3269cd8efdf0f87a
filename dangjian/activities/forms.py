"""Forms of the activities pages. They check what a person typed (a date, an end after a start, a month);
the rules of activities (who may organise, capacity against seats taken, states) are the services', whose
refusals the views show on the same form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from dangjian.activities.models import MAX_OFFER_HOLD_HOURS, Activity, ActivityType
from dangjian.core.forms import StyledForm, StyledModelForm, limit_choices, validate_date_range
from dangjian.core.uploads import clean_image_upload
from dangjian.organizations.models import Alliance, PartyOrganization
from dangjian.stations.models import ResidentUnit, Station
from dangjian.venues.models import Venue

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _venue_label(venue: Venue) -> str:
    return f"{venue.station.name} · {venue.name}（{venue.capacity} 人）"


def _organization_label(organization: PartyOrganization) -> str:
    return f"{organization.station.name} · {organization.name}"


class ActivityForm(StyledModelForm):
    """Create or edit an activity. The lead organiser (牵头主办) decides the station; co-organisers (联学共建)
    come after it. Someone who may add the station's own activities may leave the organisers empty and
    pick the station instead."""

    lead = forms.ModelChoiceField(
        label="牵头主办党组织",
        queryset=PartyOrganization.objects.none(),
        required=False,
        help_text="计入组织生活的活动须有主办党组织",
    )
    partners = forms.ModelMultipleChoiceField(
        label="共同主办党组织",
        queryset=PartyOrganization.objects.none(),
        required=False,
        help_text="联学共建、党建联盟活动可选多个（电脑上按住控制键点选）",
    )
    venue = forms.ModelChoiceField(
        label="预约场地",
        queryset=Venue.objects.none(),
        required=False,
        help_text="选择站点场所即按活动时间预约（须符合场所的开放时间和预约规则）；改时间会同步调整预约",
    )
    station = forms.ModelChoiceField(
        label="所属站点",
        queryset=Station.objects.none(),
        required=False,
        help_text="无主办党组织的站点活动填写",
    )

    field_order = [
        "title",
        "activity_type",
        "theme",
        "lead",
        "partners",
        "station",
        "starts_at",
        "ends_at",
        "venue",
        "location_text",
    ]

    class Meta:
        model = Activity
        fields = [
            "title",
            "activity_type",
            "theme",
            "starts_at",
            "ends_at",
            "location_text",
            "capacity",
            "audience",
            "counts_for_life",
            "cancel_deadline",
            "offer_hold_hours",
            "cover",
            "description",
        ]
        widgets = {
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "cancel_deadline": _datetime_widget(),
            "description": forms.Textarea(attrs={"rows": 8, "class": "editor"}),
            "cover": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(
        self,
        *args: Any,
        user: Any = None,
        organizations: QuerySet[PartyOrganization] | None = None,
        stations: QuerySet[Station] | None = None,
        venues: QuerySet[Venue] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organizations = organizations if organizations is not None else PartyOrganization.objects.none()
        stations = stations if stations is not None else Station.objects.none()
        limit_choices(self, "lead", organizations, label=_organization_label)
        limit_choices(self, "partners", organizations, label=_organization_label)
        limit_choices(self, "station", stations)
        limit_choices(
            self, "venue", venues if venues is not None else Venue.objects.none(), label=_venue_label
        )
        self.fields["venue"].empty_label = "不预约场地"  # type: ignore[attr-defined]
        self.fields["lead"].empty_label = "无（站点活动）"  # type: ignore[attr-defined]
        self.fields["station"].empty_label = "按牵头主办党组织"  # type: ignore[attr-defined]
        if not stations.exists():
            del self.fields["station"]
        for name in ("starts_at", "ends_at", "cancel_deadline"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = DATETIME_FORMATS
        self.fields["description"].required = False
        if self.instance.pk is not None and not self.is_bound:
            ordered = list(self.instance.organizers.all())
            lead = next((o for o in ordered if o.pk in {x.pk for x in organizations}), None)
            if ordered:
                self.initial["lead"] = ordered[0].pk if lead is None else lead.pk
                self.initial["partners"] = [o.pk for o in ordered if o.pk != self.initial["lead"]]
            if "station" in self.fields:
                self.initial["station"] = self.instance.station_id
            booking = self.instance.reservation
            if booking is not None and booking.status in ("pending", "approved"):
                self.initial["venue"] = booking.venue_id

    def clean_cover(self) -> Any:
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):
            return clean_image_upload(cover)
        return cover

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("cancel_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "结束时间应晚于开始时间")
        elif starts and deadline and deadline > starts:
            self.add_error("cancel_deadline", "取消报名截止时间不能晚于活动开始时间")
        capacity = data.get("capacity")
        if capacity is not None and capacity < 1:
            self.add_error("capacity", "名额至少为 1，不限名额请留空")
        hold = data.get("offer_hold_hours")
        if hold is not None and not 1 <= hold <= MAX_OFFER_HOLD_HOURS:
            self.add_error("offer_hold_hours", f"候补名额保留时长应在 1 至 {MAX_OFFER_HOLD_HOURS} 小时之间")
        lead, station = data.get("lead"), data.get("station")
        partners = list(data.get("partners") or [])
        if lead is None and partners:
            self.add_error("lead", "有共同主办党组织时，请选择牵头主办党组织")
        elif lead is not None:
            data["station_obj"] = lead.station
        elif station is not None:
            data["station_obj"] = station
        elif self.instance.pk is not None and "station" not in self.fields:
            data["station_obj"] = self.instance.station
        else:
            self.add_error("lead", "请选择牵头主办党组织或活动所属站点")
        data["organizations"] = ([lead] if lead else []) + [
            p for p in partners if lead is None or p.pk != lead.pk
        ]
        return data


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class LeaveForm(StyledForm):
    reason = forms.CharField(label="请假事由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(label="审批", choices=[("approve", "批准"), ("reject", "不批准")])
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class RecordForm(StyledForm):
    """The record (台账): the summary, the minutes, the resolutions one a line, a photo; for a 支部党员大会
    the members entitled to vote when the roster cannot say (`roster`: the roster's count, or None)."""

    summary = forms.CharField(
        label="活动纪要",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="时间、地点、参加人员、主要内容",
    )
    minutes = forms.CharField(
        label="会议记录", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    resolutions = forms.CharField(
        label="决议事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项，可不填",
    )
    entitled_count = forms.IntegerField(
        label="应到（有表决权）党员人数", required=False, min_value=1, max_value=100000
    )
    photo = forms.ImageField(label="活动照片（可不传）", required=False)
    caption = forms.CharField(label="照片说明", required=False, max_length=120)

    def __init__(self, *args: Any, quorum: bool = False, roster: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not quorum or roster is not None:
            del self.fields["entitled_count"]
        else:
            self.fields[
                "entitled_count"
            ].help_text = "党员名册中没有该党组织的党员，请填写，用于计算是否超过半数"

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):
            return clean_image_upload(photo)
        return photo

    def resolution_lines(self) -> list[str]:
        return [
            line.strip() for line in (self.cleaned_data.get("resolutions") or "").splitlines() if line.strip()
        ]


class ThemeForm(StyledForm):
    month = forms.DateField(
        label="月份",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "请填写正确的月份，如 2026-03"},
    )
    theme = forms.CharField(label="主题", max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["month"].widget
        widget.input_type = "month"  # type: ignore[attr-defined]
        widget.format = "%Y-%m"  # type: ignore[attr-defined]

    def clean_month(self) -> date:
        month: date = self.cleaned_data["month"]
        validate_date_range(month)
        return month.replace(day=1)


class PlanForm(StyledForm):
    """The year's work plan: a document and/or one planned activity a line (`3 主题党日 学习二十大精神`)."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    document = forms.FileField(label="计划文件（PDF、Word 或 Excel，可不传）", required=False)
    planned = forms.CharField(
        label="计划活动",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一项：月份 活动类型 内容，如“3 主题党日 学习雷锋志愿服务”",
    )
    note = forms.CharField(
        label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    TYPE_BY_LABEL = {label: value for value, label in ActivityType.choices}

    def clean_planned(self) -> list[tuple[int, str, str]]:
        items = []
        for number, line in enumerate((self.cleaned_data.get("planned") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = line.split(None, 2)
            month = parts[0].rstrip("月") if parts else ""
            if len(parts) < 3 or not month.isdigit() or not 1 <= int(month) <= 12:
                raise forms.ValidationError(f"第 {number} 行应为“月份 活动类型 内容”，月份为 1 至 12")
            activity_type = self.TYPE_BY_LABEL.get(parts[1])
            if activity_type is None:
                raise forms.ValidationError(
                    f"第 {number} 行的活动类型“{parts[1]}”不正确，可选：{'、'.join(self.TYPE_BY_LABEL)}"
                )
            items.append((int(month), activity_type, parts[2][:120]))
        return items


class ActivityFilterForm(StyledForm):
    """The filter bar of the public list: station, type and month."""

    empty_choice_label = "全部"

    station = forms.ChoiceField(label="站点", required=False)
    type = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *ActivityType.choices])
    month = forms.DateField(
        label="月份",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "请填写正确的月份，如 2026-03"},
    )

    def __init__(self, *args: Any, stations: list[Station], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", "全部站点"), *((s.code, s.name) for s in stations)]  # type: ignore[attr-defined]
        widget = self.fields["month"].widget
        widget.input_type = "month"  # type: ignore[attr-defined]
        widget.format = "%Y-%m"  # type: ignore[attr-defined]

    def clean_month(self) -> date | None:
        month = self.cleaned_data.get("month")
        if month is not None:
            validate_date_range(month)
        return month


class InviteForm(StyledForm):
    """活动邀约: organisations, alliances and resident units invited at once (each answers for itself)."""

    organizations = forms.ModelMultipleChoiceField(
        label="邀请党组织", queryset=PartyOrganization.objects.none(), required=False
    )
    alliances = forms.ModelMultipleChoiceField(
        label="邀请党建联盟", queryset=Alliance.objects.none(), required=False
    )
    units = forms.ModelMultipleChoiceField(
        label="邀请入驻单位", queryset=ResidentUnit.objects.none(), required=False
    )
    note = forms.CharField(label="邀请说明", required=False, max_length=300)

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "organizations",
            PartyOrganization.objects.filter(is_active=True)
            .exclude(pk__in=sorted(activity.organizer_ids))
            .select_related("station")
            .order_by("station__sort_order", "station_id", "name"),
            label=_organization_label,
        )
        limit_choices(self, "alliances", Alliance.objects.order_by("name"))
        limit_choices(
            self, "units", ResidentUnit.objects.filter(station_id=activity.station_id).order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("organizations", "alliances", "units")):
            raise forms.ValidationError("请至少选择一个邀请对象")
        return data


class AnswerForm(StyledForm):
    answer = forms.ChoiceField(label="答复", choices=[("accept", "接受"), ("decline", "婉拒")])
    head_count = forms.IntegerField(label="参加人数", required=False, min_value=1, max_value=10000)
    note = forms.CharField(label="答复说明", required=False, max_length=300)
