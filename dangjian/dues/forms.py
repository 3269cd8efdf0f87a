"""Forms of party-dues collection (DB3212/T 1124 §6.3 党费收缴). Amounts are `DecimalField`s (never
float), bounded so that nothing a person types can overflow a column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.core.forms import StyledForm, limit_choices
from dangjian.dues.amounts import ReliefKind
from dangjian.dues.models import PaymentMethod
from dangjian.dues.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    add_months,
    month_start,
    parse_period,
    period_key,
    period_label,
)
from dangjian.dues.services import AHEAD_PAYMENT_MONTHS, BACK_PAYMENT_MONTHS
from dangjian.members.models import MemberProfile
from dangjian.organizations.models import PartyOrganization

MAX_BASE = Decimal("9999999.99")
MAX_EXTRA = Decimal("99999.99")


def amount_field(
    label: str, *, max_value: Decimal, required: bool = True, help_text: str = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=max_value,
        max_digits=12,
        decimal_places=2,
        required=required,
        help_text=help_text,
    )


def extra_field() -> forms.DecimalField:
    return amount_field(
        "自愿多交（元）", max_value=MAX_EXTRA, required=False, help_text="可不填；自愿多交的党费不限金额"
    )


class MonthField(forms.CharField):
    """A month typed as 2026-07 (the browser's month picker)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-07"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        period = parse_period(text)
        if period is None:
            raise forms.ValidationError("请按“年-月”填写月份，如 2026-07", code="month")
        return period


def payable_month_choices(today: date | None = None) -> list[tuple[str, str]]:
    """The months that may be paid now: 6 back (2008 rule), this one, 12 ahead."""
    now = month_start(today or timezone.localdate())
    months = [add_months(now, n) for n in range(-BACK_PAYMENT_MONTHS, AHEAD_PAYMENT_MONTHS + 1)]
    return [(period_key(p), period_label(p)) for p in months]


def periods_of(keys: list[str]) -> list[date]:
    return [period for period in (parse_period(key) for key in keys) if period is not None]


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class MemberChoiceMixin:
    def limit_members(self, members: QuerySet[MemberProfile]) -> None:
        limit_choices(self, "member", members, label=lambda m: m.user.display_name)  # type: ignore[arg-type]


class PayForm(StyledForm):
    """A member picks months to pay online (their options are computed by `selectors.pay_options`)."""

    months = forms.MultipleChoiceField(label="缴纳月份", widget=forms.CheckboxSelectMultiple)
    extra = extra_field()

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "months").choices = [(o.key, o.label) for o in options]
        self.fields["months"].error_messages["required"] = "请选择要缴纳的月份"
        self.fields["months"].error_messages["invalid_choice"] = "所选月份不可缴纳，请刷新页面后重试"

    def periods(self) -> list[date]:
        return periods_of(self.cleaned_data["months"])


class PaymentRecordForm(MemberChoiceMixin, StyledForm):
    """The treasurer records cash or a transfer."""

    member = forms.ModelChoiceField(label="党员", queryset=MemberProfile.objects.none())
    months = forms.MultipleChoiceField(
        label="缴纳月份",
        widget=forms.CheckboxSelectMultiple,
        help_text="补交一般不超过 6 个月；可预交 12 个月以内",
    )
    method = forms.ChoiceField(
        label="缴纳方式", choices=[(PaymentMethod.CASH, "现金"), (PaymentMethod.TRANSFER, "转账")]
    )
    extra = extra_field()
    paid_on = forms.DateField(
        label="缴纳日期", widget=forms.DateInput(), required=False, help_text="不填即为今天"
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, members: QuerySet[MemberProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_members(members)
        choice_field(self, "months").choices = payable_month_choices()

    def periods(self) -> list[date]:
        return periods_of(self.cleaned_data["months"])


class DeclarationForm(MemberChoiceMixin, StyledForm):
    member = forms.ModelChoiceField(label="党员", queryset=MemberProfile.objects.none())
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    effective_month = forms.TypedChoiceField(
        label="起始月份",
        coerce=int,
        choices=[(m, f"{m}月") for m in range(1, 13)],
        initial=1,
        help_text="年中工资变动的，从变动当月起按新基数计算",
    )
    monthly_base = amount_field(
        "月收入基数（元）", max_value=MAX_BASE, help_text="在职党员填税后月工资收入；离退休党员填月养老金"
    )
    voluntary_extra = amount_field("每月自愿多交（元）", max_value=MAX_EXTRA, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, members: QuerySet[MemberProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_members(members)
        self.fields["year"].initial = timezone.localdate().year


class ReliefForm(MemberChoiceMixin, StyledForm):
    member = forms.ModelChoiceField(label="党员", queryset=MemberProfile.objects.none())
    kind = forms.ChoiceField(
        label="减免方式", choices=[(ReliefKind.REDUCTION, "减交"), (ReliefKind.WAIVER, "免交")]
    )
    reduced_amount = amount_field(
        "减交后每月金额（元）", max_value=MAX_EXTRA, required=False, help_text="减交时填写"
    )
    start = MonthField(label="起始月份")
    end = MonthField(label="截止月份", required=False, help_text="不填即长期有效")
    reason = forms.CharField(
        label="减免理由（组织研究意见）", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, members: QuerySet[MemberProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_members(members)


class SettingForm(StyledForm):
    farmer_amount = amount_field(
        "农民党员每月交纳金额（元）",
        max_value=Decimal("1.00"),
        help_text="按规定在 0.20 元至 1.00 元之间，由党支部确定",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)


class YearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)

    def year_or(self, default: int) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or default


class ReportFilterForm(StyledForm):
    """Filters of the report: year, month, station, organisation (choices: what the viewer may see)."""

    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    month = forms.TypedChoiceField(
        label="月份",
        coerce=int,
        empty_value=None,
        choices=[("", "全年"), *[(m, f"{m}月") for m in range(1, 13)]],
        required=False,
    )
    station = forms.TypedChoiceField(label="站点", coerce=int, empty_value=None, required=False)
    organization = forms.ModelChoiceField(
        label="党组织", queryset=PartyOrganization.objects.none(), required=False, empty_label="全部党组织"
    )

    def __init__(self, *args: Any, organizations: QuerySet[PartyOrganization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organization", organizations)
        self.fields["year"].initial = timezone.localdate().year
        stations = {org.station_id: org.station.name for org in organizations}
        choice_field(self, "station").choices = [
            ("", "全部站点"),
            *sorted(stations.items(), key=lambda s: s[1]),
        ]
