"""Forms of the evaluation pages: they check what a person typed; the rules are the services'."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.forms import StyledForm, limit_choices
from dangjian.evaluation.models import QuestionKind, RectificationSource, Recurrence, ServiceKind
from dangjian.evaluation.services import ItemData, QuestionData
from dangjian.stations.models import Station

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
WEEKDAYS = [(str(i), f"星期{d}") for i, d in enumerate("一二三四五六日")]
QUESTION_SLOTS = 3


def datetime_field(label: str, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS, **kwargs)


class StationChoiceForm(StyledForm):
    station = forms.ModelChoiceField(label="站点", queryset=Station.objects.none())

    def __init__(self, *args: Any, stations: QuerySet[Station], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", stations)
        if stations.count() == 1:
            self.fields["station"].initial = stations.first()


class ServiceItemForm(StationChoiceForm):
    title = forms.CharField(label="服务项目", max_length=80, help_text="如：每月一次党课讲座、阵地开放")
    kind = forms.ChoiceField(label="类型", choices=ServiceKind.choices)
    promise = forms.CharField(label="服务承诺", max_length=200, required=False)
    recurrence = forms.ChoiceField(label="周期", choices=Recurrence.choices)
    weekday = forms.TypedChoiceField(
        label="星期", choices=[("", "——"), *WEEKDAYS], coerce=int, required=False, empty_value=None
    )
    day_of_month = forms.IntegerField(label="每月几日", min_value=1, max_value=28, required=False)
    at_time = forms.TimeField(
        label="承诺时间", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    window_minutes = forms.IntegerField(label="允许偏差（分钟）", min_value=0, max_value=1440, initial=15)
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput())
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(), required=False)

    def item_data(self) -> ItemData:
        d = self.cleaned_data
        return ItemData(
            title=d["title"],
            kind=d["kind"],
            promise=d["promise"],
            recurrence=d["recurrence"],
            weekday=d["weekday"],
            day_of_month=d["day_of_month"],
            at_time=d["at_time"],
            window_minutes=d["window_minutes"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        )


class DeliveryForm(StyledForm):
    delivered_at = datetime_field("实际提供时间")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class AnswerForm(StyledForm):
    score = forms.TypedChoiceField(
        label="满意度",
        choices=[
            ("5", "5 分 非常满意"),
            ("4", "4 分 满意"),
            ("3", "3 分 一般"),
            ("2", "2 分 不满意"),
            ("1", "1 分 很不满意"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="意见和建议", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _question_fields(n: int) -> dict[str, forms.Field]:
    return {
        f"q{n}_text": forms.CharField(label=f"题目 {n}", max_length=200, required=n == 1),
        f"q{n}_kind": forms.ChoiceField(label=f"题目 {n} 题型", choices=QuestionKind.choices, required=False),
        f"q{n}_options": forms.CharField(
            label=f"题目 {n} 选项",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="每行一个选项（文字意见题不填）",
        ),
    }


class QuestionnaireForm(StationChoiceForm):
    title = forms.CharField(label="标题", max_length=120)
    description = forms.CharField(
        label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_at = datetime_field("开始时间")
    closes_at = datetime_field("截止时间")
    locals().update({k: v for n in range(1, QUESTION_SLOTS + 1) for k, v in _question_fields(n).items()})

    def questions(self) -> list[QuestionData]:
        out = []
        for n in range(1, QUESTION_SLOTS + 1):
            text = self.cleaned_data.get(f"q{n}_text", "")
            if not text:
                continue
            options = [
                line.strip()
                for line in self.cleaned_data.get(f"q{n}_options", "").splitlines()
                if line.strip()
            ]
            out.append(
                QuestionData(
                    text=text,
                    kind=self.cleaned_data.get(f"q{n}_kind") or QuestionKind.SINGLE,
                    options=options,
                )
            )
        return out


class RectificationForm(StationChoiceForm):
    title = forms.CharField(label="整改事项", max_length=120)
    problem = forms.CharField(label="存在问题", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(label="来源", choices=RectificationSource.choices)
    indicator = forms.ChoiceField(
        label="对应指标",
        required=False,
        choices=[
            ("", "——"),
            ("satisfaction", "服务对象满意度"),
            ("punctuality", "服务时间准确率"),
            ("completion", "服务项目完成率"),
            ("complaints", "有效投诉办结率"),
        ],
    )
    complaint_ref = forms.IntegerField(label="对应投诉编号", required=False, min_value=1, max_value=2**31 - 1)
    owner: forms.ModelChoiceField = forms.ModelChoiceField(label="整改责任人", queryset=User.objects.none())
    verifier: forms.ModelChoiceField = forms.ModelChoiceField(
        label="验证人", queryset=User.objects.none(), help_text="须与责任人不同"
    )
    deadline = forms.DateField(label="整改期限", widget=forms.DateInput())

    def __init__(self, *args: Any, people: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", people, label=lambda u: u.display_name)
        limit_choices(self, "verifier", people, label=lambda u: u.display_name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") and data.get("owner") == data.get("verifier"):
            self.add_error("verifier", "验证人不能是整改责任人本人")
        return data


class ProgressForm(StyledForm):
    text = forms.CharField(label="整改进展", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(StyledForm):
    action = forms.ChoiceField(
        label="操作",
        choices=[("start", "开始整改"), ("submit", "提交验证"), ("approve", "验证通过"), ("return", "退回")],
    )
    comment = forms.CharField(label="意见或原因", max_length=500, required=False)
    evidence_text = forms.CharField(
        label="整改成效", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_file = forms.FileField(label="证明材料（图片或 PDF）", required=False)


def aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
