"""Interaction (互动交流, DB3212/T 1124 §6.3): boards, topics, replies, likes, @-mentions, 问指导员 and the
moderation by a station's workers.

- `Board`: one per station (its `station`) and one platform-wide board (`station` empty, kept by HQ).
- `Topic`: a discussion (交流讨论) or a question to the station's instructors (问指导员, `kind=question`),
  with its replies (`Reply`). Bodies are plain text (shown escaped, never stored as HTML). A post that
  the sensitive-word screen holds is `pending` (seen only by its author and the station's workers) until a
  worker approves or rejects it. Each topic and reply keeps its board's `station` so that rules and
  filters read `station_id` directly.
- `PostImage`: up to `MAX_IMAGES` re-encoded pictures of a topic or reply.
- `Like` and `Mention`: one per person and post (unique constraints make concurrent clicks safe).
- `Report` (举报) and `ModerationLog`: what a worker did to which post and why (hide, lock, pin…).

Times are stored in UTC and shown in Asia/Shanghai.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_IMAGES = 4
MAX_MENTIONS = 5
TITLE_MAX = 80
BODY_MAX = 5000
REPLY_MAX = 2000


def post_image_path(instance: object, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"forum/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class TopicKind(models.TextChoices):
    DISCUSSION = "discussion", "交流讨论"
    QUESTION = "question", "问指导员"


class PostStatus(models.TextChoices):
    PUBLISHED = "published", "已发布"
    PENDING = "pending", "待审核"
    REJECTED = "rejected", "未通过审核"


class Board(models.Model):
    station = models.OneToOneField(
        "stations.Station",
        verbose_name="所属站点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,  # an empty board goes with its station; its topics protect it
        related_name="forum_board",
        help_text="不填为全平台交流区（由总站管理）",
    )
    is_platform = models.BooleanField("全平台交流区", default=False)
    name = models.CharField("版块名称", max_length=60)
    description = models.CharField("简介", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    topic_count = models.PositiveIntegerField("主题数", default=0)
    last_activity_at = models.DateTimeField("最后活跃", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "交流版块"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["is_platform"], condition=Q(is_platform=True), name="forum_one_platform_board"
            ),
            models.CheckConstraint(
                condition=Q(is_platform=True, station__isnull=True)
                | Q(is_platform=False, station__isnull=False),
                name="forum_board_station_or_platform",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """What topics and replies share: author, plain-text body, review state, hiding, likes."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发帖人", on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField("内容")
    status = models.CharField("状态", max_length=12, choices=PostStatus.choices, default=PostStatus.PUBLISHED)
    review_note = models.CharField("审核说明", max_length=200, blank=True)
    words_version = models.PositiveIntegerField("敏感词表版本", default=0)
    is_hidden = models.BooleanField("已屏蔽", default=False)
    hidden_reason = models.CharField("屏蔽原因", max_length=200, blank=True)
    like_count = models.PositiveIntegerField("点赞数", default=0)
    created_at = models.DateTimeField("发布时间", default=timezone.now, editable=False)

    class Meta:
        abstract = True

    @property
    def is_visible_to_all(self) -> bool:
        return self.status == PostStatus.PUBLISHED and not self.is_hidden


class Topic(Post):
    board = models.ForeignKey(Board, verbose_name="版块", on_delete=models.PROTECT, related_name="topics")
    kind = models.CharField("类型", max_length=12, choices=TopicKind.choices, default=TopicKind.DISCUSSION)
    title = models.CharField("标题", max_length=TITLE_MAX)
    is_locked = models.BooleanField("已锁定", default=False)
    locked_reason = models.CharField("锁定原因", max_length=200, blank=True)
    is_pinned = models.BooleanField("置顶", default=False)
    reply_count = models.PositiveIntegerField("回复数", default=0)
    last_activity_at = models.DateTimeField("最后回复", default=timezone.now)
    answer = models.ForeignKey(
        "forum.Reply",
        verbose_name="采纳的答复",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复的指导员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "主题"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["board", "-is_pinned", "-last_activity_at"], name="forum_topic_board_order"),
            models.Index(fields=["station", "kind", "answered_at"], name="forum_topic_questions"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_question(self) -> bool:
        return self.kind == TopicKind.QUESTION

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Reply(Post):
    topic = models.ForeignKey(Topic, verbose_name="主题", on_delete=models.CASCADE, related_name="replies")
    by_instructor = models.BooleanField("指导员答复", default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "回复"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["topic", "created_at"], name="forum_reply_topic_time")]

    def __str__(self) -> str:
        return f"回复：{self.topic.title}" if self.topic_id else "回复"


class PostImage(models.Model):
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="images")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField("图片", upload_to=post_image_path)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "帖子图片"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, reply__isnull=True)
                | Q(topic__isnull=True, reply__isnull=False),
                name="forum_image_one_post",
            ),
        ]

    def __str__(self) -> str:
        return f"帖子图片 {self.position + 1}"


class Like(models.Model):
    """One per person and post: `topic` alone for a topic's like, `reply` for a reply's."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "点赞"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(reply__isnull=True), name="forum_like_topic_once"
            ),
            models.UniqueConstraint(
                fields=["user", "reply"], condition=Q(reply__isnull=False), name="forum_like_reply_once"
            ),
        ]

    def __str__(self) -> str:
        return f"点赞 {self.user_id}"


class Mention(models.Model):
    """A person named with @ in a post; they are told once, when the post is published."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="mentions")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions")
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "提及"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(reply__isnull=True), name="forum_mention_topic_once"
            ),
            models.UniqueConstraint(
                fields=["user", "reply"], condition=Q(reply__isnull=False), name="forum_mention_reply_once"
            ),
        ]

    def __str__(self) -> str:
        return f"提及 {self.user_id}"


class ReportStatus(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "已处理（屏蔽）"
    DISMISSED = "dismissed", "已驳回"


class Report(models.Model):
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.ForeignKey(Topic, verbose_name="主题", on_delete=models.CASCADE, related_name="reports")
    reply = models.ForeignKey(
        Reply, verbose_name="回复", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="举报人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("举报理由", max_length=200)
    status = models.CharField("状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handling_note = models.CharField("处理说明", max_length=200, blank=True)
    created_at = models.DateTimeField("举报时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "举报"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["station", "status"], name="forum_report_queue")]

    def __str__(self) -> str:
        return f"举报：{self.topic.title}" if self.topic_id else "举报"

    @property
    def post(self) -> Topic | Reply:
        return self.reply if self.reply is not None else self.topic


class ModerationAction(models.TextChoices):
    HIDE = "hide", "屏蔽"
    UNHIDE = "unhide", "取消屏蔽"
    LOCK = "lock", "锁定"
    UNLOCK = "unlock", "解除锁定"
    PIN = "pin", "置顶"
    UNPIN = "unpin", "取消置顶"
    APPROVE = "approve", "审核通过"
    REJECT = "reject", "审核不通过"
    DISMISS_REPORT = "dismiss_report", "驳回举报"


class ModerationLog(models.Model):
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.ForeignKey(Topic, verbose_name="主题", on_delete=models.CASCADE, related_name="moderation")
    reply = models.ForeignKey(Reply, verbose_name="回复", null=True, blank=True, on_delete=models.CASCADE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=16, choices=ModerationAction.choices)
    reason = models.CharField("原因", max_length=200)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "版务记录"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.reason}"
