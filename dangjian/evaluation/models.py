"""Service evaluation and improvement of the stations (DB3212/T 1124 §10.1.1, §10.2, §5.2 事务共商).

- `ServiceItem`: what a station promises (每月一次党课讲座, 阵地开放时间, 党建指导员接待日) with its schedule as
  data (weekly on a weekday or monthly on a day, at a time) and the promised window (± minutes); it makes
  `ServiceOccurrence`s, the planned times. A delivery records the actual time: on time when it falls in
  the window, late after it; an occurrence not delivered when its window ends is missed (beat task).
- `SatisfactionInvitation` (待评价): one per person and occasion (an activity attended, a booking used, a tour
  made, a service item delivered), made on completion; `SatisfactionAnswer` (1–5 and a comment) holds no
  person: who answered what stays with the invitation, which only the person reads.
- `Questionnaire` (投票问卷) with `Question`s and `Option`s, one `Ballot` per person, opened by a station to
  its people for 事务共商; results (counts and percentages) after voting or after it closes.
- `Rectification` (整改措施, §10.2) from a failed indicator, a complaint or an analysis: owner, deadline,
  progress notes (`RectificationNote`, the timeline), verification by another person with evidence.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dangjian.core.models import TimeStampedModel
from dangjian.core.storage import private_storage


class ServiceKind(models.TextChoices):
    LECTURE = "lecture", "党课讲座"
    OPENING = "opening", "阵地开放"
    RECEPTION = "reception", "指导员接待"
    CONSULTATION = "consultation", "咨询服务"
    OTHER = "other", "其他服务"


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"


class ServiceItem(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="service_items"
    )
    title = models.CharField("服务项目", max_length=80)
    kind = models.CharField("类型", max_length=16, choices=ServiceKind.choices, default=ServiceKind.OTHER)
    promise = models.CharField("服务承诺", max_length=200, blank=True)
    recurrence = models.CharField("周期", max_length=8, choices=Recurrence.choices)
    weekday = models.PositiveSmallIntegerField("星期（0 为星期一）", null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField("每月几日", null=True, blank=True)
    at_time = models.TimeField("承诺时间")
    window_minutes = models.PositiveIntegerField("允许偏差（分钟）", default=15)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "服务项目"
        verbose_name_plural = "服务项目"
        ordering = ["station_id", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recurrence="weekly", weekday__gte=0, weekday__lte=6)
                | Q(recurrence="monthly", day_of_month__gte=1, day_of_month__lte=28),
                name="service_item_schedule",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def schedule_label(self) -> str:
        weekdays = "一二三四五六日"
        time_label = self.at_time.strftime("%H:%M")
        if self.recurrence == Recurrence.WEEKLY and self.weekday is not None:
            return f"每周{weekdays[self.weekday]} {time_label}"
        return f"每月 {self.day_of_month} 日 {time_label}"


class OccurrenceStatus(models.TextChoices):
    PLANNED = "planned", "待提供"
    DELIVERED = "delivered", "已提供"
    MISSED = "missed", "未提供"


class ServiceOccurrence(models.Model):
    item = models.ForeignKey(
        ServiceItem, verbose_name="服务项目", on_delete=models.CASCADE, related_name="occurrences"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField("承诺时间")
    window_ends_at = models.DateTimeField("承诺时限")
    status = models.CharField(
        "状态", max_length=10, choices=OccurrenceStatus.choices, default=OccurrenceStatus.PLANNED
    )
    delivered_at = models.DateTimeField("实际提供时间", null=True, blank=True)
    on_time = models.BooleanField("按时", null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "服务安排"
        verbose_name_plural = "服务安排"
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["station", "scheduled_at"], name="occurrence_station_time")]
        constraints = [
            models.UniqueConstraint(fields=["item", "scheduled_at"], name="occurrence_once"),
            models.CheckConstraint(
                condition=Q(status="delivered", delivered_at__isnull=False, on_time__isnull=False)
                | (~Q(status="delivered") & Q(delivered_at__isnull=True)),
                name="occurrence_delivery_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.scheduled_at:%Y-%m-%d %H:%M}"

    @property
    def late(self) -> bool:
        return self.status == OccurrenceStatus.DELIVERED and self.on_time is False


class OccasionKind(models.TextChoices):
    ACTIVITY = "activity", "活动"
    BOOKING = "booking", "场所预约"
    TOUR = "tour", "参观"
    SERVICE = "service", "服务项目"


class SatisfactionInvitation(models.Model):
    """A person is asked once how satisfied they were with one occasion (the unique constraint)."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="组织单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.CASCADE, related_name="+"
    )
    occasion_kind = models.CharField("评价对象", max_length=10, choices=OccasionKind.choices)
    occasion_id = models.PositiveBigIntegerField("对象编号")
    occasion_title = models.CharField("内容", max_length=160)
    occurred_at = models.DateTimeField("时间")
    created_at = models.DateTimeField("邀请时间", default=timezone.now)
    answered_at = models.DateTimeField("评价时间", null=True, blank=True)

    class Meta:
        verbose_name = "满意度评价邀请"
        verbose_name_plural = "满意度评价邀请"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "answered_at"], name="invitation_person_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "occasion_kind", "occasion_id"],
                name="invitation_once_per_occasion",
                violation_error_message="已邀请评价过该事项",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_kind_display()}：{self.occasion_title}"


class SatisfactionAnswer(models.Model):
    """The answer to one invitation (never two: one-to-one). It names no person."""

    invitation = models.OneToOneField(
        SatisfactionInvitation, verbose_name="邀请", on_delete=models.CASCADE, related_name="answer"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="组织单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occasion_kind = models.CharField("评价对象", max_length=10, choices=OccasionKind.choices)
    score = models.PositiveSmallIntegerField("满意度（1–5）")
    comment = models.CharField("意见", max_length=500, blank=True)
    answered_at = models.DateTimeField("评价时间", default=timezone.now)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"
        ordering = ["-answered_at", "-id"]
        indexes = [models.Index(fields=["station", "answered_at"], name="answer_station_time")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="answer_score_range")
        ]

    def __str__(self) -> str:
        return f"{self.score} 分"


# ---------------------------------------------------------------- 投票问卷


class Questionnaire(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=120)
    description = models.TextField("说明", blank=True)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "投票问卷"
        verbose_name_plural = "投票问卷"
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="questionnaire_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return bool(self.opens_at <= moment < self.closes_at)  # type: ignore[operator]

    def is_closed(self, now: object = None) -> bool:
        return bool((now or timezone.now()) >= self.closes_at)  # type: ignore[operator]


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    TEXT = "text", "文字意见"


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问卷", on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField("题目", max_length=200)
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "问卷题目"
        verbose_name_plural = "问卷题目"
        ordering = ["questionnaire_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(
        Question, verbose_name="题目", on_delete=models.CASCADE, related_name="options"
    )
    text = models.CharField("选项", max_length=120)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "问卷选项"
        verbose_name_plural = "问卷选项"
        ordering = ["question_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Ballot(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问卷", on_delete=models.CASCADE, related_name="ballots"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="投票人", on_delete=models.CASCADE, related_name="+"
    )
    cast_at = models.DateTimeField("投票时间", default=timezone.now)

    class Meta:
        verbose_name = "投票"
        verbose_name_plural = "投票"
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "voter"], name="ballot_once", violation_error_message="您已投过票"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.voter_id}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        verbose_name = "所选选项"
        verbose_name_plural = "所选选项"
        constraints = [models.UniqueConstraint(fields=["ballot", "option"], name="ballot_choice_once")]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.option_id}"


class BallotText(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="texts")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="texts")
    text = models.CharField("意见", max_length=500)

    class Meta:
        verbose_name = "文字意见"
        verbose_name_plural = "文字意见"

    def __str__(self) -> str:
        return self.text[:40]


# ---------------------------------------------------------------- 整改 (§10.2)


class RectificationSource(models.TextChoices):
    INDICATOR = "indicator", "评价指标未达标"
    COMPLAINT = "complaint", "有效投诉"
    ANALYSIS = "analysis", "分析研判"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    PENDING_VERIFICATION = "pending_verification", "待验证"
    CLOSED = "closed", "已办结"


def evidence_path(instance: object, filename: str) -> str:
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"evaluation/evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Rectification(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("整改事项", max_length=120)
    problem = models.TextField("存在问题")
    source = models.CharField("来源", max_length=12, choices=RectificationSource.choices)
    indicator = models.CharField("对应指标", max_length=20, blank=True)
    complaint = models.ForeignKey(
        "feedback.Feedback",
        verbose_name="对应投诉",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, related_name="+"
    )
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="验证人", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("整改期限")
    status = models.CharField(
        "状态", max_length=24, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    evidence_text = models.TextField("整改成效", blank=True)
    evidence_file = models.FileField("证明材料", upload_to=evidence_path, storage=private_storage, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    overdue_alerted_on = models.DateField("逾期提醒日期", null=True, blank=True)

    class Meta:
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["station", "status"], name="rectification_station_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner=models.F("verifier")), name="rectification_verifier_differs"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status != RectificationStatus.CLOSED and self.deadline < timezone.localdate()


class RectificationNote(models.Model):
    """One line of a measure's timeline: a progress note or a state change. `role_title` is what the
    public accountability page shows instead of the person (责任人, 验证人, 站点管理员)."""

    rectification = models.ForeignKey(
        Rectification, verbose_name="整改措施", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT, related_name="+"
    )
    role_title = models.CharField("身份", max_length=20)
    status = models.CharField("此时状态", max_length=24, choices=RectificationStatus.choices)
    text = models.CharField("内容", max_length=500)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
