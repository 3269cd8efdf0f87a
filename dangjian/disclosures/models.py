"""Party-affairs disclosure (党务公开, DB3212/T 1124 §6.3) of each grassroots organisation.

An organisation's party-affairs workers, station admins or officers write a `Disclosure` for a period
(usually a quarter); the station's instructors review it (§5.5: workers publish, instructors review).
Once published it stays on record: a withdrawal keeps the row and shows the reason instead of the body.
`DisclosureEvent` is the per-item history shown on the review page.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from dangjian.core.models import TimeStampedModel
from dangjian.core.workflow import ReviewAction, ReviewStatus

QUARTER_NAMES = ("一", "二", "三", "四")
PERIOD_ORDER_MESSAGE = "公开期间止不能早于公开期间起"


class Category(models.TextChoices):
    """What is disclosed: the subjects a grassroots organisation makes public."""

    ORGANIZATION = "organization", "组织建设"
    DUES = "dues", "党费收缴与使用"
    RECRUITMENT = "recruitment", "发展党员"
    HONORS = "honors", "评先评优"
    MAJOR = "major", "重大事项"
    OTHER = "other", "其他"


class Visibility(models.TextChoices):
    """Who may read a published item; the values are the audiences of `dangjian.core.search`."""

    PUBLIC = "public", "公开"
    STATION = "station", "本站点人员"
    ORGANIZATION = "organization", "本组织党员"


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def period_heading(day: date) -> str:
    """The group a period belongs to on the public index, e.g. “2026年第三季度”."""
    return f"{day.year}年第{QUARTER_NAMES[quarter_of(day) - 1]}季度"


class Disclosure(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    # Always the organisation's station (set by the service); kept on the row for station scoping.
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="disclosures"
    )
    category = models.CharField("公开类别", max_length=16, choices=Category.choices)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("公开内容")
    period_start = models.DateField("公开期间起")
    period_end = models.DateField("公开期间止")
    visibility = models.CharField(
        "公开范围", max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField("状态", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撰写人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.CharField("审核意见", max_length=500, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=500, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = "党务公开"
        verbose_name_plural = "党务公开"
        ordering = ["-period_start", "-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "status", "-period_start"], name="disclosure_org_status_period"
            ),
            models.Index(fields=["station", "status"], name="disclosure_station_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="disclosure_period_order",
                violation_error_message=PERIOD_ORDER_MESSAGE,
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": PERIOD_ORDER_MESSAGE}, code="period_order")

    def get_absolute_url(self) -> str:
        return reverse("disclosures:detail", kwargs={"pk": self.pk})

    def get_manage_url(self) -> str:
        return reverse("disclosures:manage_detail", kwargs={"pk": self.pk})

    @property
    def period_heading(self) -> str:
        return period_heading(self.period_start)

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ReviewStatus.WITHDRAWN

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


EDITABLE_STATUSES = frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})
# What the public index and the API show: published items, and withdrawn ones (reason only).
PUBLIC_STATUSES = (ReviewStatus.PUBLISHED, ReviewStatus.WITHDRAWN)


class DisclosureEvent(models.Model):
    """One step of an item's history (created, edited, submitted, approved, returned, withdrawn…)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    comment = models.CharField("意见或原因", max_length=500, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "党务公开记录"
        verbose_name_plural = "党务公开记录"
        ordering = ["disclosure_id", "at", "id"]
        indexes = [models.Index(fields=["disclosure", "at"], name="disclosure_event_at")]

    def __str__(self) -> str:
        return f"{self.disclosure_id} {self.action}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


EVENT_LABELS: dict[str, str] = {
    "create": "创建草稿",
    "update": "修改",
    **{action.value: str(action.label) for action in ReviewAction},
}
