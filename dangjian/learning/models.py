"""Remote learning (远程学习, DB3212/T 1124 §6.3; instructor training §5.4.1; issue 11).

- `Course` + `Lesson`: a course of a station, reviewed by an instructor of that station through the shared
  workflow (core/workflow.py) and, once published, one row visible at every station (1+N). Lessons are
  video, document (PDF), e-book (EPUB or PDF) or rich text, ordered, with optional prerequisites.
- `Question` (the course's bank) and `Quiz` (a lesson's quiz, or the course's final exam when `lesson` is
  empty): a random draw of the bank per attempt, pass mark, attempts, time limit.
- `CreditRule` + `CreditBracket`, `RoleTarget`, `PointRule`: the credit-hour rule as data, one row per
  version (dangjian/learning/credit_rules.py).
- `Assignment` + `AssignmentTarget` + `AssignmentLearner`: required courses with a deadline, assigned to
  organisations, roles or people; the learners are resolved when assigned.

Learning records are personal data (DESIGN.md): `LessonProgress`, `QuizAttempt`, `CourseCompletion`,
`PointEntry` and `AssignmentLearner` carry the learner's `station` and their default manager is a
django-scopes `ScopedManager`, so a query outside a scope raises instead of leaking another station's rows.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from dangjian.accounts.models import Role
from dangjian.core.models import TimeStampedModel
from dangjian.core.storage import private_storage
from dangjian.core.workflow import ReviewStatus
from dangjian.learning.credit_rules import POINT_ACTION_LABELS, Bracket, CreditRules, PointRule


def media_path(instance: Any, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"learning/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def cover_path(instance: Any, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"learning/covers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def _scoped() -> models.Manager:
    return ScopedManager(station="station")  # type: ignore[no-any-return]


def hours_field(label: str, **options: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=6, decimal_places=2, **options)


class Category(models.TextChoices):
    THEORY = "theory", "理论学习"
    CONSTITUTION = "constitution", "党章党规"
    HISTORY = "history", "党史学习"
    PRACTICE = "practice", "党务实务"
    INSTRUCTOR = "instructor", "指导员培训"
    OTHER = "other", "其他"


class LessonKind(models.TextChoices):
    VIDEO = "video", "视频"
    DOCUMENT = "document", "文档"
    EBOOK = "ebook", "电子书"
    RICHTEXT = "richtext", "图文"


PAGED_KINDS = (LessonKind.DOCUMENT, LessonKind.EBOOK, LessonKind.RICHTEXT)


class Course(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="来源站点", on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField("课程名称", max_length=120)
    cover = models.ImageField("封面图", upload_to=cover_path, blank=True)
    description = models.TextField("课程简介", max_length=2000, blank=True)
    category = models.CharField("类别", max_length=16, choices=Category.choices, default=Category.THEORY)
    status = models.CharField("状态", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.CharField("审核意见", max_length=500, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=500, blank=True)
    length_seconds = models.PositiveIntegerField("课程时长（秒）", default=0)
    credit_hours = hours_field("学时", default=Decimal("0.00"))

    class Meta:
        verbose_name = "课程"
        verbose_name_plural = "课程"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="course_published"),
            models.Index(fields=["station", "status"], name="course_station_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED


class Lesson(models.Model):
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField("顺序")
    title = models.CharField("课时名称", max_length=120)
    kind = models.CharField("类型", max_length=10, choices=LessonKind.choices)
    media = models.FileField(
        "视频或文档", storage=private_storage, upload_to=media_path, blank=True, max_length=200
    )
    media_type = models.CharField("内容类型", max_length=100, blank=True)
    courseware = models.ForeignKey(
        "courseware.Courseware",
        verbose_name="引用课件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField("图文内容", blank=True)
    duration_seconds = models.PositiveIntegerField("视频时长（秒）", default=0)
    page_count = models.PositiveSmallIntegerField("页数", default=1)
    prerequisites = models.ManyToManyField(
        "self", verbose_name="先修课时", symmetrical=False, blank=True, related_name="unlocks"
    )

    class Meta:
        verbose_name = "课时"
        verbose_name_plural = "课时"
        ordering = ["course_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="lesson_position_unique"),
            models.CheckConstraint(condition=Q(page_count__gte=1), name="lesson_page_count"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_video(self) -> bool:
        return self.kind == LessonKind.VIDEO


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "true_false", "判断题"
    FILL = "fill", "填空题"


class Question(models.Model):
    """One question of a course's bank. `choices`: the options of a choice question; `answer`: the indexes
    of the right options (choice), `[true]` or `[false]` (true/false), or the accepted texts (fill-in)."""

    course = models.ForeignKey(
        Course, verbose_name="课程", on_delete=models.CASCADE, related_name="questions"
    )
    lesson = models.ForeignKey(
        Lesson,
        verbose_name="所属课时",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questions",
    )
    kind = models.CharField("题型", max_length=12, choices=QuestionKind.choices)
    text = models.CharField("题干", max_length=500)
    choices = models.JSONField("选项", default=list, blank=True)
    answer = models.JSONField("答案", default=list)
    explanation = models.CharField("解析", max_length=1000, blank=True)
    points = models.PositiveSmallIntegerField("分值", default=1)

    class Meta:
        verbose_name = "试题"
        verbose_name_plural = "试题"
        ordering = ["course_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(points__gte=1), name="question_points")]

    def __str__(self) -> str:
        return self.text[:40]


class Quiz(models.Model):
    """A lesson's quiz, or with no `lesson` the course's final exam; each attempt draws `draw_count`
    questions of the bank (of the lesson, or of the whole course for the final exam)."""

    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="quizzes")
    lesson = models.ForeignKey(
        Lesson, verbose_name="课时", null=True, blank=True, on_delete=models.CASCADE, related_name="quizzes"
    )
    title = models.CharField("名称", max_length=120)
    draw_count = models.PositiveSmallIntegerField("每次抽题数")
    pass_percent = models.PositiveSmallIntegerField("及格分（百分制）", default=60)
    max_attempts = models.PositiveSmallIntegerField("可作答次数", default=3)
    time_limit_minutes = models.PositiveSmallIntegerField("限时（分钟）", null=True, blank=True)
    is_exam = models.BooleanField("考试（通过加学时）", default=False)

    class Meta:
        verbose_name = "测验"
        verbose_name_plural = "测验"
        ordering = ["course_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "lesson"], name="quiz_one_per_lesson"),
            models.UniqueConstraint(
                fields=["course"], condition=Q(lesson__isnull=True), name="quiz_one_final_exam"
            ),
            models.CheckConstraint(
                condition=Q(draw_count__gte=1)
                & Q(max_attempts__gte=1)
                & Q(pass_percent__gte=0)
                & Q(pass_percent__lte=100),
                name="quiz_numbers",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- the credit rule as data


class CreditRule(TimeStampedModel):
    """One version of the credit rule; in force from `effective_from` until a later version."""

    name = models.CharField("规则名称", max_length=120)
    effective_from = models.DateField("生效日期", unique=True)
    exam_bonus = hours_field("通过考试加学时", default=Decimal("0.50"))
    yearly_target = hours_field("每人年度学时目标", default=Decimal("50.00"))
    completion_ratio = models.DecimalField(
        "视频完成比例", max_digits=3, decimal_places=2, default=Decimal("0.90")
    )
    min_seconds_per_page = models.PositiveSmallIntegerField("每页最少阅读秒数", default=10)
    max_playback_rate = models.DecimalField(
        "计入的最高播放倍速", max_digits=3, decimal_places=2, default=Decimal("1.00")
    )
    max_beat_gap = models.PositiveSmallIntegerField("一次心跳最多计入秒数", default=30)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "学时规则"
        verbose_name_plural = "学时规则"
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_ratio__gt=0)
                & Q(completion_ratio__lte=1)
                & Q(max_playback_rate__gt=0)
                & Q(max_beat_gap__gte=1)
                & Q(exam_bonus__gte=0)
                & Q(yearly_target__gte=0),
                name="credit_rule_values",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d} 起）"

    def ruleset(self) -> CreditRules:
        """The pure data of this version (its rows read through `.all()`: prefetch them)."""
        return CreditRules(
            name=self.name,
            effective_from=self.effective_from,
            brackets=tuple(
                Bracket(b.min_minutes, b.hours)
                for b in sorted(self.brackets.all(), key=lambda b: b.min_minutes)
            ),
            exam_bonus=self.exam_bonus,
            yearly_target=self.yearly_target,
            role_targets={t.role: t.hours for t in self.role_targets.all()},
            points={p.action: PointRule(p.points, p.daily_cap) for p in self.point_rules.all()},
            completion_ratio=self.completion_ratio,
            min_seconds_per_page=self.min_seconds_per_page,
            max_playback_rate=self.max_playback_rate,
            max_beat_gap=self.max_beat_gap,
        )


class CreditBracket(models.Model):
    rule = models.ForeignKey(CreditRule, on_delete=models.CASCADE, related_name="brackets")
    min_minutes = models.PositiveIntegerField("课程时长不少于（分钟）")
    hours = hours_field("学时")

    class Meta:
        verbose_name = "学时档次"
        verbose_name_plural = "学时档次"
        ordering = ["rule_id", "min_minutes"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "min_minutes"], name="credit_bracket_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="credit_bracket_hours"),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_minutes} 分钟：{self.hours} 学时"


class RoleTarget(models.Model):
    rule = models.ForeignKey(CreditRule, on_delete=models.CASCADE, related_name="role_targets")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    hours = hours_field("年度学时目标")

    class Meta:
        verbose_name = "角色学时目标"
        verbose_name_plural = "角色学时目标"
        constraints = [models.UniqueConstraint(fields=["rule", "role"], name="role_target_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.hours} 学时"


POINT_CHOICES = [(action.value, label) for action, label in POINT_ACTION_LABELS.items()]


class PointRuleRow(models.Model):
    rule = models.ForeignKey(CreditRule, on_delete=models.CASCADE, related_name="point_rules")
    action = models.CharField("学习行为", max_length=20, choices=POINT_CHOICES)
    points = models.PositiveSmallIntegerField("积分")
    daily_cap = models.PositiveSmallIntegerField("每日上限")

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"
        constraints = [models.UniqueConstraint(fields=["rule", "action"], name="point_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.points} 分，每日至多 {self.daily_cap} 分"


# ---------------------------------------------------------------- learning records (personal data)


class LessonProgress(models.Model):
    """One learner's progress in one lesson. `intervals`: the union of the video seconds played (sorted,
    disjoint [start, end] pairs); `page_seconds`: the seconds read per page ({"1": 12.0}); `clock_at`:
    the server time up to which claimed playing or reading has been paid for (progress.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    intervals = models.JSONField("已播放区间", default=list)
    covered_seconds = models.FloatField("已播放秒数", default=0)
    page_seconds = models.JSONField("各页阅读秒数", default=dict)
    position = models.FloatField("上次位置", default=0)
    clock_at = models.DateTimeField("计时到")
    started_at = models.DateTimeField("开始学习", default=timezone.now)
    updated_at = models.DateTimeField("最近学习", default=timezone.now)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects: ClassVar[models.Manager[LessonProgress]] = _scoped()

    class Meta:
        verbose_name = "课时进度"
        verbose_name_plural = "课时进度"
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="progress_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_id}"


class AttemptStatus(models.TextChoices):
    OPEN = "open", "作答中"
    SUBMITTED = "submitted", "已交卷"
    EXPIRED = "expired", "超时未交"


class QuizAttempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField("第几次")
    status = models.CharField(
        "状态", max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    question_ids = models.JSONField("抽到的试题", default=list)
    answers = models.JSONField("作答", default=dict)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    deadline = models.DateTimeField("交卷截止", null=True, blank=True)
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    score = models.PositiveSmallIntegerField("得分", default=0)
    max_score = models.PositiveSmallIntegerField("满分", default=0)
    percent = models.PositiveSmallIntegerField("百分制成绩", default=0)
    passed = models.BooleanField("通过", default=False)

    objects: ClassVar[models.Manager[QuizAttempt]] = _scoped()

    class Meta:
        verbose_name = "测验作答"
        verbose_name_plural = "测验作答"
        ordering = ["quiz_id", "user_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_number_unique"),
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=Q(status="open"), name="attempt_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} · {self.user_id} · 第{self.number}次"


class CourseCompletion(models.Model):
    """A course completed by a learner, with the hours credited under the rule in force that day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField("完成时间", default=timezone.now)
    year = models.PositiveSmallIntegerField("年度")
    course_hours = hours_field("课程学时")
    exam_bonus = hours_field("考试加学时", default=Decimal("0.00"))
    credit_hours = hours_field("合计学时")
    rule = models.ForeignKey(CreditRule, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[models.Manager[CourseCompletion]] = _scoped()

    class Meta:
        verbose_name = "课程完成"
        verbose_name_plural = "课程完成"
        ordering = ["-completed_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="completion_unique")]
        indexes = [models.Index(fields=["station", "year"], name="completion_station_year")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id} · {self.credit_hours} 学时"


class PointEntry(models.Model):
    """Points earned by one learning action; `source` names what earned them ("lesson:12"), once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("学习行为", max_length=20, choices=POINT_CHOICES)
    source = models.CharField("来源", max_length=40)
    points = models.PositiveSmallIntegerField("积分")
    day = models.DateField("日期")
    at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[PointEntry]] = _scoped()

    class Meta:
        verbose_name = "学习积分"
        verbose_name_plural = "学习积分"
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["user", "action", "source"], name="points_once")]
        indexes = [models.Index(fields=["user", "day"], name="points_user_day")]

    def __str__(self) -> str:
        return f"{self.user_id} +{self.points}"


# ---------------------------------------------------------------- assignments


class AssignmentKind(models.TextChoices):
    REQUIRED = "required", "必修课程"
    TRAINING = "training", "指导员培训"


class Assignment(TimeStampedModel):
    """Required courses (or HQ's instructor training, §5.4.1) assigned with a deadline. `station` is the
    assigning station; `organization` the assigning organisation when its secretary or officer assigned."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="布置站点", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="布置组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    course = models.ForeignKey(
        Course, verbose_name="课程", on_delete=models.PROTECT, related_name="assignments"
    )
    kind = models.CharField(
        "类别", max_length=10, choices=AssignmentKind.choices, default=AssignmentKind.REQUIRED
    )
    deadline = models.DateField("完成期限")
    note = models.CharField("说明", max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="布置人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "学习任务"
        verbose_name_plural = "学习任务"
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"{self.course} · {self.deadline:%Y年%m月%d日}前"


class AssignmentTarget(models.Model):
    """Whom an assignment names: an organisation's members, the holders of a role, or one person."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="targets")
    organization = models.ForeignKey(
        "organizations.PartyOrganization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "任务对象"
        verbose_name_plural = "任务对象"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, role="", person__isnull=True)
                    | Q(organization__isnull=True, person__isnull=True) & ~Q(role="")
                    | Q(organization__isnull=True, role="", person__isnull=False)
                ),
                name="assignment_target_one_kind",
            )
        ]

    def __str__(self) -> str:
        return str(self.organization or self.get_role_display() or self.person)


class AssignmentLearner(models.Model):
    """A learner an assignment reached, with their organisation when assigned (completion rates per
    organisation) and the last reminder sent (days before the deadline)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="learners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.PartyOrganization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_days = models.PositiveSmallIntegerField("已提醒（截止前天数）", null=True, blank=True)

    objects: ClassVar[models.Manager[AssignmentLearner]] = _scoped()

    class Meta:
        verbose_name = "任务学员"
        verbose_name_plural = "任务学员"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="assignment_learner_unique")
        ]
        indexes = [models.Index(fields=["user"], name="assignment_learner_user")]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.user_id}"
