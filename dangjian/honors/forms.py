"""Forms of the 示范引领 pages: a nomination, a workflow step, a publicity record, a demonstration event
and the filters of the lists and the honour roll."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from dangjian.core.forms import StyledForm
from dangjian.honors.models import EventKind, HonorKind, MediaLevel, NominationStatus
from dangjian.honors.services import DEEDS_MAX, EARLIEST_YEAR, EventInput, NominationInput, PublicityInput


def _year_field(label: str = "年度", *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=EARLIEST_YEAR, max_value=timezone.localdate().year + 1, required=required
    )


def _person_label(person: Any) -> str:
    return str(person.display_name)


class NominationForm(StyledForm):
    organization: forms.ModelChoiceField = forms.ModelChoiceField(label="推荐党组织", queryset=None)  # type: ignore[arg-type, type-arg]
    kind = forms.ChoiceField(label="荣誉类别", choices=HonorKind.choices)
    year = forms.IntegerField(label="年度", min_value=EARLIEST_YEAR, max_value=9999)
    nominee: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label="被推荐人",
        queryset=None,
        required=False,
        help_text="推荐先进基层党组织时不选",  # type: ignore[arg-type]
    )
    deeds = forms.CharField(label="主要事迹", max_length=DEEDS_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label="附件（PDF、Word 或图片，可不传）", required=False)

    def __init__(self, *args: Any, organizations: Any, nominees: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["nominee"].queryset = nominees  # type: ignore[attr-defined]
        self.fields["nominee"].label_from_instance = _person_label  # type: ignore[attr-defined]

    def nomination_input(self) -> NominationInput:
        data = self.cleaned_data
        return NominationInput(
            kind=data["kind"],
            year=data["year"],
            deeds=data["deeds"],
            nominee=data.get("nominee"),
            attachment=data.get("attachment"),
        )


class DeedsForm(StyledForm):
    deeds = forms.CharField(label="主要事迹", max_length=DEEDS_MAX, widget=forms.Textarea(attrs={"rows": 8}))


class StepForm(StyledForm):
    comment = forms.CharField(
        label="意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NominationFilterForm(StyledForm):
    empty_choice_label = "全部"
    year = forms.IntegerField(label="年度", min_value=EARLIEST_YEAR, max_value=9999, required=False)
    kind = forms.ChoiceField(label="荣誉类别", choices=[("", "全部类别"), *HonorKind.choices], required=False)
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *NominationStatus.choices], required=False
    )


class RollFilterForm(StyledForm):
    year = forms.TypedChoiceField(label="年度", choices=[], coerce=int, required=False, empty_value=None)
    station = forms.TypedChoiceField(label="站点", choices=[], coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, years: list[int], stations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度"), *[(y, f"{y}年度") for y in years]]  # type: ignore[attr-defined]
        self.fields["station"].choices = [("", "全部站点"), *stations]  # type: ignore[attr-defined]


class YearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=EARLIEST_YEAR, max_value=9999, required=False)

    def year_or_current(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return timezone.localdate().year


class PublicityForm(StyledForm):
    station: forms.ModelChoiceField = forms.ModelChoiceField(label="站点", queryset=None)  # type: ignore[arg-type, type-arg]
    outlet = forms.CharField(label="媒体名称", max_length=80)
    level = forms.ChoiceField(label="媒体级别", choices=MediaLevel.choices)
    published_on = forms.DateField(label="刊发日期")
    title = forms.CharField(label="报道标题", max_length=200)
    link = forms.URLField(label="链接", max_length=500, required=False, assume_scheme="https")
    clipping = forms.FileField(label="剪报（图片或 PDF，可不传）", required=False)

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]

    def publicity_input(self) -> PublicityInput:
        data = self.cleaned_data
        return PublicityInput(
            outlet=data["outlet"],
            level=data["level"],
            published_on=data["published_on"],
            title=data["title"],
            link=data.get("link") or "",
            clipping=data.get("clipping"),
        )


class EventForm(StyledForm):
    station: forms.ModelChoiceField = forms.ModelChoiceField(label="承办站点", queryset=None)  # type: ignore[arg-type, type-arg]
    kind = forms.ChoiceField(label="活动类型", choices=EventKind.choices)
    title = forms.CharField(label="活动名称", max_length=120)
    held_on = forms.DateField(label="活动日期")
    place = forms.CharField(label="活动地点", max_length=120)
    summary = forms.CharField(
        label="活动概况", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attendees: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(  # type: ignore[type-arg]
        label="参加人员（平台注册人员）",
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )
    visitor_count = forms.IntegerField(label="外单位来访人数", min_value=0, max_value=10000, initial=0)
    visitors = forms.CharField(
        label="外单位来访人员（每行一位，可不填）",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, stations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]
        self.fields["attendees"].label_from_instance = _person_label  # type: ignore[attr-defined]

    def event_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            place=data["place"],
            summary=data.get("summary") or "",
            attendees=tuple(data.get("attendees") or ()),
            visitor_count=data["visitor_count"],
            visitors=data.get("visitors") or "",
        )
