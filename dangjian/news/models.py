"""Information publishing (DB3212/T 1124 §6.3 信息发布) with review (§5.5) and HQ-to-branch sync (§4.4).

An `Article` holds the live copy that portals show; every edit is an `ArticleRevision` that goes
through review. Editing a published article makes a new revision while the published copy stays live
(Wagtail's page/revision split). HQ articles marked `sync_to_all` appear at every branch by reference:
one row, read by every branch's query, so an HQ edit shows everywhere at once and costs O(1) in N.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import TimeStampedModel
from dangjian.core.storage import private_storage
from dangjian.core.workflow import ReviewStatus, RevisionState


class Audience(models.TextChoices):
    PUBLIC = "public", "公开"
    LOGGED_IN = "logged_in", "登录用户"
    STATION = "station", "本站点人员"
    ORGANIZATION = "organization", "本组织党员"


class Column(models.Model):
    """栏目: an editable list kept by HQ (要闻动态, 通知公告, 政策文件, 学习资料, 支部风采…)."""

    name = models.CharField("栏目名称", max_length=20, unique=True)
    slug = models.SlugField("栏目代码", max_length=30, unique=True)
    is_notice = models.BooleanField("通知公告类", default=False, help_text="发布时通知本站点人员")
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.TextChoices):
    NONE = "", "未推荐"
    PENDING = "pending", "已推荐到总站，待审核"
    ACCEPTED = "accepted", "总站已采用"
    DECLINED = "declined", "总站未采用"


def cover_path(instance: object, filename: str) -> str:
    return f"articles/covers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


class ArticleContent(models.Model):
    """The fields an editor writes; shared by the live article and its revisions."""

    column = models.ForeignKey(Column, verbose_name="栏目", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=120)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文", blank=True)
    cover = models.ImageField("封面图", upload_to=cover_path, blank=True)
    audience = models.CharField("可见范围", max_length=16, choices=Audience.choices, default=Audience.PUBLIC)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="可见党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pinned = models.BooleanField("置顶", default=False)
    publish_at = models.DateTimeField("定时发布", null=True, blank=True, help_text="留空则审核通过后立即发布")
    sync_to_all = models.BooleanField("全站同步", default=False, help_text="仅总站文章：在所有分站同步展示")

    CONTENT_FIELDS = (
        "column",
        "title",
        "summary",
        "body",
        "cover",
        "audience",
        "organization",
        "pinned",
        "publish_at",
        "sync_to_all",
    )

    class Meta:
        abstract = True


class Article(ArticleContent, TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="发布站点", on_delete=models.PROTECT, related_name="articles"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作者", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    visible_from = models.DateTimeField("展示时间", null=True, blank=True, db_index=True)
    live_revision = models.ForeignKey(
        "ArticleRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_revision = models.ForeignKey(
        "ArticleRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation = models.CharField(
        "推荐到总站", max_length=10, choices=Recommendation.choices, default=Recommendation.NONE, blank=True
    )
    withdrawn_reason = models.CharField("撤回原因", max_length=500, blank=True)
    announced_at = models.DateTimeField(
        "已推送", null=True, blank=True, help_text="已推送到显示屏、已编入检索"
    )
    view_count = models.PositiveIntegerField("阅读数", default=0)

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["-pinned", "-visible_from", "-id"]
        indexes = [
            models.Index(fields=["station", "status", "-visible_from"], name="article_station_live"),
            models.Index(fields=["sync_to_all", "status", "-visible_from"], name="article_synced_live"),
            models.Index(fields=["column", "status", "-visible_from"], name="article_column_live"),
            models.Index(fields=["status", "recommendation"], name="article_recommendation"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"pk": self.pk})

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == ReviewStatus.PUBLISHED
            and self.visible_from is not None
            and self.visible_from <= now
        )


class ArticleRevision(ArticleContent):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("版本")
    state = models.CharField(
        "状态", max_length=12, choices=RevisionState.choices, default=RevisionState.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "文章版本"
        verbose_name_plural = "文章版本"
        ordering = ["article_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number")]
        indexes = [models.Index(fields=["state", "article"], name="revision_state")]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.number} 版）"


class ArticleEvent(models.Model):
    """The workflow history shown on the article's management page."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(
        ArticleRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    label = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.label}"


class StationHiddenArticle(models.Model):
    """A branch hides a synced HQ article from its own portal (the row stays shared for everyone else)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="hidden_at")
    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, related_name="hidden_articles")
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hidden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "station"], name="hidden_unique")]

    def __str__(self) -> str:
        return f"{self.station_id} hides {self.article_id}"


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    OFFICE = "office", "Office 文档"
    IMAGE = "image", "图片"
    VIDEO = "video", "视频"


def attachment_path(instance: object, filename: str) -> str:
    return f"articles/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


class ArticleAttachment(models.Model):
    """Files are kept outside the public media folder and served only to people who may read the article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path)
    name = models.CharField("文件名", max_length=120)
    kind = models.CharField("类型", max_length=8, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField(max_length=80)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        """The name ending with the detected type's extension (also for rows stored before that rule)."""
        from dangjian.news.attachments import attachment_name

        return attachment_name(self.name, self.content_type)
