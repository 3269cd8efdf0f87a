"""Forms of the funds pages: the ledger's filter bar, a new income or expense, a reversal, a voucher,
a station's budget of a year, and the station/year choice of the budget pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from dangjian.core.forms import StyledForm
from dangjian.funding.models import EntryKind, ExpenseCategory, IncomeSource, line_choices
from dangjian.funding.services import FIRST_YEAR, LAST_YEAR, EntryInput

KIND_FILTERS = [("", "收入和支出"), *EntryKind.choices]
LINE_FILTERS = [
    ("", "全部来源和类别"),
    *[(value, f"收入：{label}") for value, label in IncomeSource.choices if value != IncomeSource.OTHER],
    *[
        (value, f"支出：{label}")
        for value, label in ExpenseCategory.choices
        if value != ExpenseCategory.OTHER
    ],
    ("other", "其他"),
]


def year_field(*, required: bool) -> forms.IntegerField:
    return forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR, required=required)


class LedgerFilterForm(StyledForm):
    station = forms.TypedChoiceField(label="站点", choices=[], coerce=int, required=False, empty_value=None)
    year = year_field(required=False)
    kind = forms.ChoiceField(label="收支", choices=KIND_FILTERS, required=False)
    line = forms.ChoiceField(label="来源或类别", choices=LINE_FILTERS, required=False)

    def __init__(self, *args: Any, stations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", "全部站点"), *stations]  # type: ignore[attr-defined]


class EntryForm(StyledForm):
    """A new income (`kind="income"`: its source) or expense (its category, and a voucher)."""

    station: forms.ModelChoiceField = forms.ModelChoiceField(label="站点", queryset=None)  # type: ignore[arg-type, type-arg]
    building: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label="楼宇（可不选）",
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )
    line = forms.ChoiceField(label="来源", choices=[])
    amount = forms.CharField(
        label="金额（元）", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    occurred_on = forms.DateField(label="发生日期")
    summary = forms.CharField(label="摘要", max_length=200)
    counterparty = forms.CharField(label="往来单位或个人", max_length=100, required=False)
    voucher = forms.FileField(label="凭证（PDF 或图片）", required=False)

    def __init__(self, *args: Any, kind: str, stations: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]
        self.fields["building"].label_from_instance = lambda b: f"{b.station.name} · {b.name}"  # type: ignore[attr-defined]
        line = self.fields["line"]
        line.choices = line_choices(kind)  # type: ignore[attr-defined]
        line.label = "收入来源" if kind == EntryKind.INCOME else "支出类别"
        if kind == EntryKind.INCOME:
            self.fields["counterparty"].label = "拨付或赞助单位"
        else:
            self.fields["counterparty"].label = "收款单位或个人"
        self.fields["voucher"].widget.attrs["accept"] = "application/pdf,image/*"
        self.fields["occurred_on"].initial = timezone.localdate()

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            station=data["station"],
            kind=self.kind,
            line=data["line"],
            amount=data["amount"],
            occurred_on=data["occurred_on"],
            summary=data["summary"],
            counterparty=data.get("counterparty") or "",
            building=data.get("building"),
            voucher=data.get("voucher"),
        )


class ReverseForm(StyledForm):
    reason = forms.CharField(
        label="冲销原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：金额登记错误",
    )


class VoucherForm(StyledForm):
    file = forms.FileField(label="凭证文件（PDF 或图片）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "application/pdf,image/*"


class YearForm(StyledForm):
    """Which year the budget pages show (this year when none or a wrong one is asked)."""

    year = year_field(required=False)


def budget_field_name(kind: str, line: str) -> str:
    return f"{kind}_{line}"


class BudgetForm(StyledForm):
    """One amount per expense category and per income source (an income plan); blank leaves a line."""

    def __init__(self, *args: Any, current: dict[tuple[str, str], Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in (EntryKind.EXPENSE, EntryKind.INCOME):
            for line, label in line_choices(kind):
                name = budget_field_name(kind, line)
                field = forms.CharField(
                    label=label,
                    max_length=20,
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
                )
                field.initial = current.get((kind, line))
                self.fields[name] = field

    def expense_fields(self) -> list[forms.BoundField]:
        return [
            self[budget_field_name(EntryKind.EXPENSE, line)] for line, _ in line_choices(EntryKind.EXPENSE)
        ]

    def income_fields(self) -> list[forms.BoundField]:
        return [self[budget_field_name(EntryKind.INCOME, line)] for line, _ in line_choices(EntryKind.INCOME)]

    def amounts(self) -> dict[tuple[str, str], Any]:
        return {
            (kind, line): self.cleaned_data.get(budget_field_name(kind, line))
            for kind in (EntryKind.EXPENSE, EntryKind.INCOME)
            for line, _ in line_choices(kind)
        }
