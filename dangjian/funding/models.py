"""Construction and maintenance funds (经费管理, DB3212/T 1124 §8): a ledger per station, optionally per
building, of income by source (党费拨付, 行政支持, 社会赞助) and expense by category, with vouchers, and
budgets per station, year and line.

A ledger entry is never edited or deleted: a mistake is corrected by a reversing entry (冲销) of the
opposite sign that names the original (`reverses`, at most one per entry, never itself reversed). The
model and its queryset refuse changes; in the database a trigger refuses UPDATE (and, on PostgreSQL,
DELETE) of `funding_entry` (migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import TimeStampedModel
from dangjian.core.storage import private_storage

IMMUTABLE_MESSAGE = "经费台账记录不能修改或删除，如有错误请办理冲销"


class EntryKind(models.TextChoices):
    INCOME = "income", "收入"
    EXPENSE = "expense", "支出"


class IncomeSource(models.TextChoices):
    DUES = "dues", "党费拨付"
    ADMINISTRATIVE = "administrative", "行政支持"
    SPONSORSHIP = "sponsorship", "社会赞助"
    OTHER = "other", "其他"


class ExpenseCategory(models.TextChoices):
    CONSTRUCTION = "construction", "阵地建设"
    EQUIPMENT = "equipment", "设备购置与维护"
    ACTIVITIES = "activities", "活动开展"
    TRAINING = "training", "学习培训"
    PUBLICITY = "publicity", "宣传展示"
    OTHER = "other", "其他"


def line_choices(kind: str) -> list[tuple[str, str]]:
    """The sources (income) or categories (expense) of a kind."""
    return list(IncomeSource.choices if kind == EntryKind.INCOME else ExpenseCategory.choices)


def line_label(kind: str, line: str) -> str:
    return dict(line_choices(kind)).get(line, "其他")


class ImmutableEntryError(Exception):
    """Code tried to change or remove a ledger entry."""


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableEntryError(IMMUTABLE_MESSAGE)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableEntryError(IMMUTABLE_MESSAGE)


EntryManager = models.Manager.from_queryset(EntryQuerySet)


class Entry(models.Model):
    """One line of a station's ledger. `amount` is signed: positive for an entry, negative for the
    reversal of one; income and expense each sum their own rows (balance = income − expense)."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="funding_entries"
    )
    building = models.ForeignKey(
        "stations.Building",
        verbose_name="楼宇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_entries",
    )
    kind = models.CharField("收支", max_length=8, choices=EntryKind.choices)
    line = models.CharField("来源或类别", max_length=16)  # an IncomeSource or an ExpenseCategory
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    occurred_on = models.DateField("发生日期")
    summary = models.CharField("摘要", max_length=200)
    counterparty = models.CharField("往来单位或个人", max_length=100, blank=True)
    # one-to-one: a UNIQUE constraint in the database, so an entry has at most one reversal
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲销的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField("冲销原因", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = EntryManager()

    class Meta:
        verbose_name = "经费收支记录"
        verbose_name_plural = "经费收支记录"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["station", "occurred_on"], name="funding_entry_station_date"),
            models.Index(fields=["station", "kind", "line"], name="funding_entry_station_line"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="funding_entry_amount_sign",
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.INCOME, line__in=IncomeSource.values)
                | Q(kind=EntryKind.EXPENSE, line__in=ExpenseCategory.values),
                name="funding_entry_line_of_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y年%m月%d日} {self.get_kind_display()} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableEntryError(IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("funding:entry_detail", kwargs={"pk": self.pk})

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEntryError(IMMUTABLE_MESSAGE)

    @property
    def line_label(self) -> str:
        return line_label(self.kind, self.line)

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def signed_balance_effect(self) -> Any:
        """What the entry adds to the balance (income +, expense −)."""
        return self.amount if self.kind == EntryKind.INCOME else -self.amount


def voucher_path(instance: Voucher, filename: str) -> str:
    return f"funding/{instance.entry.station_id}/{filename}"


class Voucher(models.Model):
    """A voucher (凭证: invoice, receipt, contract) of an entry, a PDF or an image checked by its bytes.
    Vouchers are added, never replaced: an expense recorded without one may get it later."""

    entry = models.ForeignKey(
        Entry, verbose_name="收支记录", on_delete=models.PROTECT, related_name="vouchers"
    )
    file = models.FileField("凭证文件", upload_to=voucher_path, storage=private_storage)
    content_type = models.CharField("文件类型", max_length=80)
    name = models.CharField("原文件名", max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "凭证"
        verbose_name_plural = "凭证"
        ordering = ["entry_id", "id"]

    def __str__(self) -> str:
        return self.name or f"凭证 {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("funding:voucher", kwargs={"pk": self.pk})


class Budget(TimeStampedModel):
    """The plan of one line (an expense category, or an income source) of a station's year. Budgets are
    plans: they are edited, and every change is audited."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="funding_budgets"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("收支", max_length=8, choices=EntryKind.choices)
    line = models.CharField("来源或类别", max_length=16)
    amount = models.DecimalField("预算金额（元）", max_digits=12, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "经费预算"
        verbose_name_plural = "经费预算"
        ordering = ["station_id", "year", "kind", "line"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "kind", "line"], name="funding_budget_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{line_label(self.kind, self.line)}预算"
