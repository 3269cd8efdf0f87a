"""Forms of the feedback pages. They check what a person typed (lengths, a choice from the list); the
workflow rules are the services', whose refusals the views show on the same form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from dangjian.accounts.models import User
from dangjian.core.forms import StyledForm, limit_choices
from dangjian.feedback import rules
from dangjian.feedback.models import (
    ONLINE_CHANNELS,
    PAPER_CHANNELS,
    Channel,
    Kind,
    Resolution,
    Status,
    Validity,
)
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit, Station

PHONE_FIELD_OPTIONS: dict[str, Any] = {
    "label": "联系电话",
    "regex": r"^[0-9+\- ]{7,20}$",
    "max_length": 20,
    "required": False,
    "error_messages": {"invalid": "请填写正确的联系电话，如 13812345678 或 0523-86881234"},
    "widget": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
}


class StationTaggedSelect(forms.Select):
    """Options carry their station (`data-station`), so the page's script can offer only the chosen
    station's organisations and units (static/js/feedback.js)."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-station"] = str(instance.station_id)
        return option


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, Channel(value).label) for value in values]


class SubmissionForm(StyledForm):
    """Anyone's online submission; the paper form below adds the box or book and the day it was collected."""

    channels: tuple[str, ...] = tuple(ONLINE_CHANNELS)

    station: forms.ModelChoiceField = forms.ModelChoiceField(
        label="反馈站点", queryset=Station.objects.none()
    )
    kind = forms.ChoiceField(label="反馈类别", choices=Kind.choices)
    channel = forms.ChoiceField(label="您的身份", choices=())
    title = forms.CharField(
        label="标题", max_length=rules.TITLE_MAX, help_text="一句话说明事由，如：三楼书吧周末不开放"
    )
    content = forms.CharField(
        label="具体内容",
        max_length=rules.CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"时间、地点、经过和您的诉求，不超过 {rules.CONTENT_MAX} 字",
    )
    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        label="涉及的党组织（选填）",
        queryset=PartyOrganization.objects.none(),
        required=False,
        widget=StationTaggedSelect,
    )
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label="所在或涉及的入驻单位（选填）",
        queryset=ResidentUnit.objects.none(),
        required=False,
        widget=StationTaggedSelect,
    )
    contact_name = forms.CharField(label="联系人（选填）", max_length=40, required=False)
    contact_phone = forms.RegexField(**PHONE_FIELD_OPTIONS)

    def __init__(
        self,
        *args: Any,
        stations: QuerySet[Station],
        organizations: QuerySet[PartyOrganization],
        units: QuerySet[ResidentUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", stations)
        limit_choices(self, "organization", organizations, label=lambda o: f"{o.name}（{o.station.name}）")
        limit_choices(self, "unit", units, label=lambda u: f"{u.name}（{u.station.name}）")
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = _choices(self.channels)
        self.fields["station"].widget.attrs["data-feedback-station"] = ""
        for name in ("organization", "unit"):
            self.fields[name].widget.attrs["data-feedback-filtered"] = ""


class PaperEntryForm(SubmissionForm):
    """A guide or worker copies a slip from the complaint box or the suggestion book."""

    channels = tuple(PAPER_CHANNELS)

    received_on = forms.DateField(
        label="收取日期", widget=forms.DateInput(), required=False, help_text="默认今天"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].label = "来源"
        self.fields["contact_name"].label = "留言人（纸条上有则填）"


class FilterForm(StyledForm):
    empty_choice_label = "全部"

    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *Status.choices], required=False)
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *Kind.choices], required=False)
    channel = forms.ChoiceField(label="渠道", choices=[("", "全部"), *Channel.choices], required=False)
    overdue = forms.BooleanField(label="只看逾期", required=False)
    mine = forms.BooleanField(label="只看我承办的", required=False)
    q = forms.CharField(label="关键词", max_length=50, required=False)


class AssignForm(StyledForm):
    person: forms.ModelChoiceField = forms.ModelChoiceField(label="承办人", queryset=User.objects.none())

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "person", people, label=lambda person: person.display_name)


class ReplyForm(StyledForm):
    text = forms.CharField(
        label="答复内容",
        max_length=rules.REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="将显示给提交人，请说明办理情况和结果",
    )


class DecideForm(StyledForm):
    validity = forms.ChoiceField(
        label="认定结果",
        choices=[
            (Validity.VALID.value, Validity.VALID.label),
            (Validity.INVALID.value, Validity.INVALID.label),
        ],
    )
    reason = forms.CharField(
        label="认定理由",
        max_length=rules.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="认定为无效投诉时必填",
    )


class CloseForm(StyledForm):
    resolution = forms.ChoiceField(
        label="办理结果",
        choices=[(Resolution.RESOLVED.value, "已解决"), (Resolution.UNRESOLVED.value, "未解决")],
    )
    note = forms.CharField(label="办结说明（选填）", max_length=rules.NOTE_MAX, required=False)


class EmptyForm(StyledForm):
    """An action with nothing to type (开始办理)."""


class RateForm(StyledForm):
    rating = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[(5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")],
    )
    comment = forms.CharField(
        label="评价（选填）",
        max_length=rules.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(StyledForm):
    reason = forms.CharField(
        label="还有哪些没有解决？",
        max_length=rules.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="说明后将重新交办，并重新计算答复期限",
    )


class LookupForm(StyledForm):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "如 ABCD-EFGH-JKMN"}
        ),
    )
