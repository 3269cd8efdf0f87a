"""Demonstration and leadership (示范引领, DB3212/T 1124 §9): yearly honours, publicity in the media and
demonstration events (现场会、经验交流、观摩学习).

A `Nomination` (推荐) names one nominee for one kind of honour in one year and moves along `TRANSITIONS`
only, the shared review workflow (dangjian/core/workflow.py) with HQ's decision after the review:

    draft ──submit──▶ submitted ──approve (station instructor)──▶ reviewed ──award (HQ)──▶ awarded
      ▲                 └──return──▶ returned ──submit──┘             └──reject (HQ, reason)──▶ rejected

An awarded nomination is the honour itself: it appears on the public honour roll (荣誉榜).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.models import TimeStampedModel
from dangjian.core.workflow import ReviewAction, ReviewStatus


class HonorKind(models.TextChoices):
    ORGANIZATION = "organization", "先进基层党组织"
    MEMBER = "member", "优秀共产党员"
    WORKER = "worker", "优秀党务工作者"


class NominationStatus(models.TextChoices):
    DRAFT = ReviewStatus.DRAFT.value, "草稿"
    SUBMITTED = ReviewStatus.SUBMITTED.value, "待指导员审核"
    RETURNED = ReviewStatus.RETURNED.value, "已退回"
    REVIEWED = "reviewed", "待总站决定"
    AWARDED = "awarded", "已授予"
    REJECTED = "rejected", "未授予"


# the HQ decision after the shared review's approval
AWARD = "award"
REJECT = "reject"
ACTION_LABELS: dict[str, str] = {
    ReviewAction.SUBMIT.value: "提交推荐",
    ReviewAction.APPROVE.value: "审核通过",
    ReviewAction.RETURN.value: "退回修改",
    AWARD: "授予荣誉",
    REJECT: "不予授予",
}
EDIT_LABELS = {"create": "创建推荐", "update": "修改事迹"}
# action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ReviewAction.SUBMIT.value: (
        frozenset({NominationStatus.DRAFT, NominationStatus.RETURNED}),
        NominationStatus.SUBMITTED,
    ),
    ReviewAction.APPROVE.value: (frozenset({NominationStatus.SUBMITTED}), NominationStatus.REVIEWED),
    ReviewAction.RETURN.value: (frozenset({NominationStatus.SUBMITTED}), NominationStatus.RETURNED),
    AWARD: (frozenset({NominationStatus.REVIEWED}), NominationStatus.AWARDED),
    REJECT: (frozenset({NominationStatus.REVIEWED}), NominationStatus.REJECTED),
}
# a rejected nomination frees its nominee for another nomination of the same kind and year
LIVE_STATUSES = [s.value for s in NominationStatus if s != NominationStatus.REJECTED]
SUMMARY_LENGTH = 80


class Nomination(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="honor_nominations"
    )
    # the organisation that nominates (the nominee's own organisation, or the organisation nominated)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="推荐党组织",
        on_delete=models.PROTECT,
        related_name="honor_nominations",
    )
    kind = models.CharField("荣誉类别", max_length=16, choices=HonorKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    nominee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被推荐人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honor_nominations",
    )
    nominee_name = models.CharField("被推荐对象", max_length=120)
    deeds = models.TextField("主要事迹")
    attachment = models.FileField("附件", upload_to="honors/nominations/%Y/", blank=True)
    attachment_name = models.CharField("附件名称", max_length=200, blank=True)
    attachment_type = models.CharField("附件类型", max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=NominationStatus.choices, default=NominationStatus.DRAFT
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", on_delete=models.PROTECT, related_name="+"
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
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_note = models.CharField("决定意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "评先评优推荐"
        verbose_name_plural = "评先评优推荐"
        ordering = ["-year", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["station", "status"], name="honor_nom_station_status"),
            models.Index(fields=["year", "status", "station"], name="honor_nom_year_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "organization"],
                condition=models.Q(kind="organization", status__in=LIVE_STATUSES),
                name="honor_one_per_organization_year",
                violation_error_message="该党组织本年度已有同类荣誉的推荐",
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "nominee_user"],
                condition=models.Q(nominee_user__isnull=False, status__in=LIVE_STATUSES),
                name="honor_one_per_person_year",
                violation_error_message="该同志本年度已有同类荣誉的推荐",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="organization", nominee_user__isnull=True)
                | (~models.Q(kind="organization") & models.Q(nominee_user__isnull=False)),
                name="honor_nominee_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度{self.get_kind_display()}：{self.nominee_name}"

    def get_absolute_url(self) -> str:
        return reverse("honors:detail", kwargs={"pk": self.pk})

    @property
    def summary(self) -> str:
        """The short public summary of the deeds (the honour roll)."""
        text = " ".join(self.deeds.split())
        return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


class NominationEvent(models.Model):
    """One step of a nomination's history (who did what, when)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name="推荐", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("事项", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "推荐办理记录"
        verbose_name_plural = "推荐办理记录"
        ordering = ["nomination_id", "at", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action) or EDIT_LABELS.get(self.action, "办理")


class MediaLevel(models.TextChoices):
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"
    OTHER = "other", "其他"


# §9: publicity in media at city level or above
CITY_OR_ABOVE = [MediaLevel.CITY.value, MediaLevel.PROVINCE.value, MediaLevel.NATIONAL.value]


class PublicityRecord(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="publicity_records"
    )
    outlet = models.CharField("媒体名称", max_length=80)
    level = models.CharField("媒体级别", max_length=12, choices=MediaLevel.choices)
    published_on = models.DateField("刊发日期")
    title = models.CharField("报道标题", max_length=200)
    link = models.URLField("链接", max_length=500, blank=True)
    clipping = models.FileField("剪报", upload_to="honors/publicity/%Y/", blank=True)
    clipping_name = models.CharField("剪报文件名", max_length=200, blank=True)
    clipping_type = models.CharField("剪报类型", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "宣传报道"
        verbose_name_plural = "宣传报道"
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["station", "published_on"], name="publicity_station_date"),
            models.Index(fields=["published_on", "level"], name="publicity_date_level"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet}：{self.title}"

    @property
    def is_city_or_above(self) -> bool:
        return self.level in CITY_OR_ABOVE


class EventKind(models.TextChoices):
    ON_SITE = "on_site", "现场会"
    EXCHANGE = "exchange", "经验交流"
    VISIT = "visit", "观摩学习"


class DemonstrationEvent(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="承办站点",
        on_delete=models.PROTECT,
        related_name="demonstration_events",
    )
    kind = models.CharField("活动类型", max_length=12, choices=EventKind.choices)
    title = models.CharField("活动名称", max_length=120)
    held_on = models.DateField("活动日期")
    place = models.CharField("活动地点", max_length=120)
    summary = models.TextField("活动概况", blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="参加人员", blank=True, related_name="demonstration_events"
    )
    visitor_count = models.PositiveIntegerField("外单位来访人数", default=0)
    visitors = models.TextField("外单位来访人员", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "示范活动"
        verbose_name_plural = "示范活动"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["station", "held_on"], name="demo_event_station_date")]

    def __str__(self) -> str:
        return self.title
