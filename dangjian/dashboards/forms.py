from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.forms import StyledForm, StyledModelForm
from dangjian.dashboards import metrics
from dangjian.dashboards.models import Screen
from dangjian.stations.models import Station

RESOLUTIONS = (
    ("1920x1080", "1920×1080（全高清）"),
    ("3840x2160", "3840×2160（4K）"),
    ("5760x1080", "5760×1080（三屏拼接）"),
)


def year_choices(this_year: int) -> list[tuple[int, str]]:
    return [(year, f"{year}年") for year in range(this_year, this_year - 5, -1)]


class PeriodForm(StyledForm):
    """The cockpit's period picker and the metric the branches are compared by."""

    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())
    metric = forms.ChoiceField(label="比较指标", required=False, choices=())

    def __init__(self, *args: Any, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(this_year)  # type: ignore[attr-defined]
        self.fields["metric"].choices = [(m.key, m.label) for m in metrics.RANKABLE]  # type: ignore[attr-defined]


class GoalForm(StyledForm):
    """HQ's yearly targets (§5.3) for one station or every branch; a blank field removes that goal."""

    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())
    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部分站（统一目标）"
    )

    def __init__(self, *args: Any, this_year: int, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(this_year + 1, f"{this_year + 1}年"), *year_choices(this_year)]  # type: ignore[attr-defined]
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
        for metric in metrics.GOAL_METRICS:
            percent = metric.unit == metrics.Unit.RATE
            self.fields[metric.key] = forms.DecimalField(
                label=f"{metric.label}{'（%）' if percent else ''}",
                required=False,
                min_value=0,
                max_value=100 if percent else 10_000_000,
                decimal_places=2,
                max_digits=12,
            )

    def goal_fields(self) -> list[forms.BoundField]:
        return [self[metric.key] for metric in metrics.GOAL_METRICS]


class ScreenForm(StyledModelForm):
    resolution = forms.ChoiceField(label="常用分辨率", choices=[("", "自定义"), *RESOLUTIONS], required=False)

    class Meta:
        model = Screen
        fields = ["name", "code", "station", "width", "height"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].empty_label = "全平台"  # type: ignore[attr-defined]
        self.fields["code"].help_text = "大屏网址中的代码，只用小写字母、数字和连字符，如 hq-hall"
        self.fields["width"].required = self.fields["height"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("resolution")
        if chosen:
            width, height = chosen.split("x")
            cleaned["width"], cleaned["height"] = int(width), int(height)
        for name in ("width", "height"):
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, "请选择常用分辨率，或填写宽和高")
        return cleaned
