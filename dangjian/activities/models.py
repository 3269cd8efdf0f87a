"""Activities and organisation life (活动邀约 DB3212/T 1124 §6.3; §5.5 registration; §5.2 活动共办; §7.3).

- `Activity`: organised by one or more party organisations (several for 联学共建 / alliance activities), of
  a type (三会一课 and the rest), with its audience, capacity and registration policy.
- `Registration`: a person's place — registered, on the waiting list, or holding an offer of a freed seat
  for `Activity.offer_hold_hours`. One live registration per person and activity is a database
  constraint; registered + offered never exceeding the capacity is kept by the locked services.
- `LeaveRequest` (请假): a member of an organiser who cannot come gives a reason; their secretary decides.
- `ActivityRecord` (台账): filed after the activity (a summary now; photos, minutes, quorum in a later slice).
- `MonthlyTheme`, `AnnualPlan` + `PlannedActivity`: §7.3 one theme a month, the year's work plan.
- `LifeRuleSet` + `LifeRequirement`: the organisation-life frequencies as versioned data (`life_rules.py`).

Times are stored in UTC; periods and deadlines are judged in Asia/Shanghai.
"""

from __future__ import annotations

import secrets
import uuid
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from dangjian.activities.life_rules import LifeRules, Period, Requirement
from dangjian.core.models import TimeStampedModel
from dangjian.core.storage import private_storage


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def cover_path(instance: object, filename: str) -> str:
    return f"activities/covers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


def plan_path(instance: object, filename: str) -> str:
    return f"activities/plans/{timezone.now():%Y}/{uuid.uuid4().hex}{_suffix(filename)}"


def new_token() -> str:
    """An unguessable token for a QR code (sign-in codes of activities and registrations)."""
    return secrets.token_urlsafe(24)


class ActivityType(models.TextChoices):
    THEME_DAY = "theme_day", "主题党日"
    GENERAL_MEETING = "general_meeting", "支部党员大会"
    COMMITTEE_MEETING = "committee_meeting", "支委会"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    LIFE_MEETING = "life_meeting", "组织生活会"
    MEMBER_REVIEW = "member_review", "民主评议党员"
    JOINT_BUILDING = "joint_building", "联学共建"
    VOLUNTEER = "volunteer", "志愿服务"
    LECTURE = "lecture", "讲座"
    VISIT = "visit", "参观"
    OTHER = "other", "其他"


class Audience(models.TextChoices):
    ORGANIZATION = "organization", "本组织党员"
    STATION = "station", "本站点人员"
    ALL_STATIONS = "all_stations", "全部站点人员"
    PUBLIC = "public", "公开（含周边社区居民）"


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CANCELLED = "cancelled", "已取消"
    FINISHED = "finished", "已结束"


# Only these count for organisation life (§7.3): a draft or a cancelled activity was never held.
COUNTING_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED)
DEFAULT_OFFER_HOLD_HOURS = 24
MAX_OFFER_HOLD_HOURS = 7 * 24


class Activity(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="activities"
    )
    organizers = models.ManyToManyField(
        "organizations.PartyOrganization",
        verbose_name="主办党组织",
        blank=True,
        related_name="organized_activities",
        help_text="联学共建、党建联盟活动可有多个主办党组织",
    )
    activity_type = models.CharField("活动类型", max_length=20, choices=ActivityType.choices)
    theme = models.CharField("当月主题", max_length=120, blank=True)
    title = models.CharField("活动名称", max_length=120)
    description = models.TextField("活动介绍", blank=True)  # nh3-sanitised HTML (services)
    cover = models.ImageField("封面图", upload_to=cover_path, blank=True)
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    location_text = models.CharField("活动地点", max_length=120, blank=True, help_text="未预约站点场地时填写")
    # The venue booking (活动预约场地), kept in step by `services.activity_save`: moving the activity moves
    # the booking or refuses with the venue's conflict; cancelling the activity cancels it.
    reservation = models.OneToOneField(
        "venues.Reservation",
        verbose_name="场地预约",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity",
    )
    # The per-activity code (活动签到码) an attendee scans to check themselves in.
    checkin_code = models.CharField(
        "活动签到码", max_length=40, unique=True, default=new_token, editable=False
    )
    capacity = models.PositiveIntegerField("名额", null=True, blank=True, help_text="留空表示不限名额")
    audience = models.CharField(
        "面向对象", max_length=16, choices=Audience.choices, default=Audience.ORGANIZATION
    )
    counts_for_life = models.BooleanField("计入组织生活", default=True)
    status = models.CharField(
        "状态", max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT, db_index=True
    )
    cancel_deadline = models.DateTimeField(
        "取消报名截止时间", null=True, blank=True, help_text="留空表示活动开始前均可取消"
    )
    offer_hold_hours = models.PositiveSmallIntegerField(
        "候补名额保留时长（小时）", default=DEFAULT_OFFER_HOLD_HOURS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["station", "status", "starts_at"], name="activity_station_status")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_time_order"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="activity_capacity"
            ),
            models.CheckConstraint(
                condition=Q(offer_hold_hours__gte=1) & Q(offer_hold_hours__lte=MAX_OFFER_HOLD_HOURS),
                name="activity_offer_hold",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def organizer_ids(self) -> frozenset[int]:
        """The organisers' pks (from a `prefetch_related("organizers")` when there is one)."""
        if self.pk is None:
            return frozenset()
        return frozenset(o.pk for o in self.organizers.all())

    def forget_organizers(self) -> None:
        self.__dict__.pop("organizer_ids", None)

    @property
    def cancel_until(self) -> Any:
        """Registrations may be cancelled until this moment: the deadline, at the latest the start."""
        if self.cancel_deadline is None:
            return self.starts_at
        return min(self.cancel_deadline, self.starts_at)

    @property
    def counts(self) -> bool:
        return self.counts_for_life and self.status in COUNTING_STATUSES


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "已报名"
    WAITING = "waiting", "候补中"
    OFFERED = "offered", "候补名额待确认"
    CANCELLED = "cancelled", "已取消"
    DECLINED = "declined", "已放弃候补名额"
    EXPIRED = "expired", "候补名额已过期"


# A live registration holds a seat or a place in the queue; at most one per person and activity.
LIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.OFFERED)
# These take a seat of the capacity.
SEAT_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED)


class Registration(TimeStampedModel):
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报名人",
        on_delete=models.CASCADE,
        related_name="activity_registrations",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=12, choices=RegistrationStatus.choices, db_index=True)
    # The waiting list is in order of `queued_at` then id (the position is computed, never stored).
    queued_at = models.DateTimeField("进入候补时间", null=True, blank=True)
    offered_at = models.DateTimeField("发出候补名额时间", null=True, blank=True)
    offer_expires_at = models.DateTimeField("候补名额失效时间", null=True, blank=True, db_index=True)
    confirmed_at = models.DateTimeField("确认报名时间", null=True, blank=True)
    ended_at = models.DateTimeField("取消/放弃/过期时间", null=True, blank=True)
    # The person's sign-in QR code (报名二维码): stable for the registration, unguessable.
    token = models.CharField("签到二维码", max_length=40, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"
        ordering = ["activity_id", "id"]
        indexes = [models.Index(fields=["activity", "status", "queued_at"], name="registration_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(status__in=["registered", "waiting", "offered"]),
                name="registration_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False, offered_at__isnull=False),
                name="registration_offer_has_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(queued_at__isnull=False),
                name="registration_waiting_is_queued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}: {self.status}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class LeaveStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class LeaveRequest(TimeStampedModel):
    """请假: a member of an organiser is expected at its activities; an absence needs a reason approved by
    the secretary of the member's organisation."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="leave_requests"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="请假人", on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="所在党组织",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="请假时所在的主办党组织，由其书记审批",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("请假事由", max_length=300)
    status = models.CharField(
        "状态", max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "请假申请"
        verbose_name_plural = "请假申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(status__in=["pending", "approved"]),
                name="leave_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} 请假 {self.activity_id}"


class EntitledSource(models.TextChoices):
    ROSTER = "roster", "按党员名册计算"
    TYPED = "typed", "书记填报"


class ActivityRecord(TimeStampedModel):
    """台账 (§7.3: 每次活动后建立台账): the summary, minutes (sanitised rich text), photos (`RecordPhoto`), the
    attendance taken from check-in (`present_count`, refreshed on every filing), and for a 支部党员大会 the
    quorum — more than half of the members entitled to vote (`entitled_count`, from the roster when the
    members capability answers `signals.entitled_voters_wanted`, else typed by the secretary) present — and
    the resolutions (`RecordResolution`)."""

    activity = models.OneToOneField(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="record"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField("活动纪要")
    minutes = models.TextField("会议记录", blank=True)  # nh3-sanitised HTML (services)
    present_count = models.PositiveIntegerField("实到人数", default=0)
    entitled_count = models.PositiveIntegerField("应到（有表决权）党员人数", null=True, blank=True)
    entitled_source = models.CharField(
        "应到人数来源", max_length=8, choices=EntitledSource.choices, blank=True
    )
    filed_at = models.DateTimeField("提交时间", default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "活动台账"
        verbose_name_plural = "活动台账"

    def __str__(self) -> str:
        return f"台账 {self.activity_id}"

    @property
    def quorum_met(self) -> bool | None:
        """More than half of the members entitled to vote present; None when no quorum applies."""
        if self.entitled_count is None:
            return None
        return self.present_count * 2 > self.entitled_count


def record_photo_path(instance: object, filename: str) -> str:
    return f"activities/records/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


class RecordPhoto(models.Model):
    record = models.ForeignKey(
        ActivityRecord, verbose_name="台账", on_delete=models.CASCADE, related_name="photos"
    )
    photo = models.ImageField("照片", upload_to=record_photo_path)
    caption = models.CharField("说明", max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "台账照片"
        verbose_name_plural = "台账照片"
        ordering = ["record_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"台账照片 {self.record_id}"


class RecordResolution(models.Model):
    """A resolution (决议) of the meeting recorded in the 台账, in order."""

    record = models.ForeignKey(
        ActivityRecord, verbose_name="台账", on_delete=models.CASCADE, related_name="resolutions"
    )
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("决议内容", max_length=500)

    class Meta:
        verbose_name = "会议决议"
        verbose_name_plural = "会议决议"
        ordering = ["record_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class MonthlyTheme(TimeStampedModel):
    """§7.3: 每月确定一个主题."""

    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="monthly_themes",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("月份", help_text="该月第一天")
    theme = models.CharField("主题", max_length=120)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "月度主题"
        verbose_name_plural = "月度主题"
        ordering = ["organization_id", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="theme_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="theme_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}：{self.theme}"


class AnnualPlan(TimeStampedModel):
    """§7.3: 年初制定年度工作计划 — a document (optional) and the planned activities by month."""

    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="annual_plans",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    document = models.FileField("计划文件", storage=private_storage, upload_to=plan_path, blank=True)
    note = models.TextField("说明", blank=True)
    submitted_at = models.DateTimeField("首次报送时间")
    revised_at = models.DateTimeField("最近修改时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "年度工作计划"
        verbose_name_plural = "年度工作计划"
        ordering = ["organization_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="plan_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year}年度工作计划（{self.organization_id}）"


class PlannedActivity(models.Model):
    plan = models.ForeignKey(
        AnnualPlan, verbose_name="年度计划", on_delete=models.CASCADE, related_name="planned"
    )
    month = models.PositiveSmallIntegerField("月份")
    activity_type = models.CharField("活动类型", max_length=20, choices=ActivityType.choices)
    title = models.CharField("活动内容", max_length=120)

    class Meta:
        verbose_name = "计划活动"
        verbose_name_plural = "计划活动"
        ordering = ["plan_id", "month", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="planned_month")
        ]

    def __str__(self) -> str:
        return f"{self.month}月 {self.title}"


# ---------------------------------------------------------------- the rules as data


class LifeRuleSet(TimeStampedModel):
    """One version of the organisation-life rules; the version in force on a day is the latest whose
    `effective_from` is on or before it (each period is judged by the version in force on its first day)."""

    name = models.CharField("规则名称", max_length=160)
    effective_from = models.DateField("生效日期", unique=True)
    theme_every_month = models.BooleanField("每月须确定主题", default=True)
    plan_deadline_month = models.PositiveSmallIntegerField(
        "年度计划报送截止月", null=True, blank=True, default=1
    )
    plan_deadline_day = models.PositiveSmallIntegerField(
        "年度计划报送截止日", null=True, blank=True, default=31
    )
    note = models.TextField("依据", blank=True)

    class Meta:
        verbose_name = "组织生活规则"
        verbose_name_plural = "组织生活规则"
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(plan_deadline_month__isnull=True) & Q(plan_deadline_day__isnull=True))
                | (
                    Q(plan_deadline_month__gte=1)
                    & Q(plan_deadline_month__lte=12)
                    & Q(plan_deadline_day__gte=1)
                    & Q(plan_deadline_day__lte=31)
                ),
                name="life_rule_plan_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d} 起）"

    def rules(self) -> LifeRules:
        """The pure data the engine judges with (requirements read through `requirements.all()`, so a
        `prefetch_related("requirements")` makes this free)."""
        return LifeRules(
            name=self.name,
            effective_from=self.effective_from,
            requirements=tuple(r.as_requirement() for r in self.requirements.all()),
            theme_every_month=self.theme_every_month,
            plan_deadline_month=self.plan_deadline_month,
            plan_deadline_day=self.plan_deadline_day,
        )


class LifeRequirement(models.Model):
    """At least `minimum` counting activities of `activity_type` (empty: of any type) per `period`; with
    `needs_record`, only activities whose 台账 has been filed count."""

    rule_set = models.ForeignKey(
        LifeRuleSet, verbose_name="规则", on_delete=models.CASCADE, related_name="requirements"
    )
    activity_type = models.CharField(
        "活动类型", max_length=20, choices=ActivityType.choices, blank=True, help_text="留空表示任意类型"
    )
    period = models.CharField(
        "周期",
        max_length=8,
        choices=[(Period.MONTH.value, "每月"), (Period.QUARTER.value, "每季度"), (Period.YEAR.value, "每年")],
    )
    minimum = models.PositiveSmallIntegerField("至少次数")
    needs_record = models.BooleanField("须有台账", default=False)
    label = models.CharField("名称", max_length=40, blank=True, help_text="任意类型时显示的名称")
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "组织生活频次要求"
        verbose_name_plural = "组织生活频次要求"
        ordering = ["rule_set_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "activity_type", "period", "needs_record"], name="life_requirement_unique"
            ),
            models.CheckConstraint(condition=Q(minimum__gte=1), name="life_requirement_minimum"),
        ]

    def __str__(self) -> str:
        return f"{self.get_period_display()}{self.type_label}至少 {self.minimum} 次"

    @property
    def type_label(self) -> str:
        if self.activity_type:
            return str(self.get_activity_type_display())
        return self.label or "组织生活活动"

    def as_requirement(self) -> Requirement:
        return Requirement(
            activity_type=self.activity_type,
            type_label=self.type_label,
            period=Period(self.period),
            minimum=self.minimum,
            needs_record=self.needs_record,
        )


# ---------------------------------------------------------------- invitations (活动邀约, §6.3)


class InviteeKind(models.TextChoices):
    ORGANIZATION = "organization", "党组织"
    UNIT = "unit", "入驻单位"
    ALLIANCE = "alliance", "党建联盟"
    PERSON = "person", "个人"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "待答复"
    ACCEPTED = "accepted", "接受"
    DECLINED = "declined", "婉拒"


class Invitation(TimeStampedModel):
    """活动邀约: an activity invites an organisation, a resident unit, an alliance or a person; the party
    answers accept (with a head count) or decline."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="invitations"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("邀请对象类型", max_length=12, choices=InviteeKind.choices)
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "stations.ResidentUnit",
        verbose_name="入驻单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    alliance = models.ForeignKey(
        "organizations.Alliance",
        verbose_name="党建联盟",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="个人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activity_invitations",
    )
    note = models.CharField("邀请说明", max_length=300, blank=True)
    status = models.CharField(
        "答复",
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
        db_index=True,
    )
    head_count = models.PositiveIntegerField("参加人数", default=0)
    answer_note = models.CharField("答复说明", max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="邀请人", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("邀请时间", default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "活动邀约"
        verbose_name_plural = "活动邀约"
        ordering = ["activity_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="organization",
                        organization__isnull=False,
                        unit__isnull=True,
                        alliance__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        kind="unit",
                        unit__isnull=False,
                        organization__isnull=True,
                        alliance__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        kind="alliance",
                        alliance__isnull=False,
                        organization__isnull=True,
                        unit__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        kind="person",
                        person__isnull=False,
                        organization__isnull=True,
                        unit__isnull=True,
                        alliance__isnull=True,
                    )
                ),
                name="invitation_one_invitee",
            ),
            models.UniqueConstraint(
                fields=["activity", "organization"],
                condition=Q(kind="organization"),
                name="invitation_org_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "unit"], condition=Q(kind="unit"), name="invitation_unit_once"
            ),
            models.UniqueConstraint(
                fields=["activity", "alliance"], condition=Q(kind="alliance"), name="invitation_alliance_once"
            ),
            models.UniqueConstraint(
                fields=["activity", "person"], condition=Q(kind="person"), name="invitation_person_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(head_count__gte=1), name="invitation_accept_head_count"
            ),
        ]

    def __str__(self) -> str:
        return f"邀约 {self.invitee_name}（{self.activity_id}）"

    @property
    def invitee(self) -> Any:
        return {
            InviteeKind.ORGANIZATION: self.organization,
            InviteeKind.UNIT: self.unit,
            InviteeKind.ALLIANCE: self.alliance,
            InviteeKind.PERSON: self.person,
        }[InviteeKind(self.kind)]

    @property
    def invitee_name(self) -> str:
        invitee = self.invitee
        return str(getattr(invitee, "display_name", None) or invitee)


class SentReminder(models.Model):
    """A reminder or flag sent once: its key (`invitation:12:2027-03-01`, `record_missing:7`,
    `plan:3:2027`, `theme:3:2027-04`) is unique, so a task that runs again sends nothing twice."""

    key = models.CharField("提醒标识", max_length=80, unique=True)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    recipients = models.PositiveIntegerField("接收人数", default=0)

    class Meta:
        verbose_name = "已发送的提醒"
        verbose_name_plural = "已发送的提醒"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.key


# ---------------------------------------------------------------- check-in (签到)


class CheckInMethod(models.TextChoices):
    QR = "qr", "扫描报名二维码"
    CODE = "code", "扫描活动签到码"
    SEARCH = "search", "讲解员查找姓名"
    SHEET = "sheet", "纸质签到表补录"


class Attendance(models.Model):
    """One person present at one activity (a database constraint: never twice)."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签到人", on_delete=models.CASCADE, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("签到方式", max_length=8, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField("签到时间", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "活动签到"
        verbose_name_plural = "活动签到"
        ordering = ["activity_id", "checked_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.person_id} 签到 {self.activity_id}"


class CheckInNonce(models.Model):
    """The nonce each scan carries: a retried upload finds its nonce and gets the same result."""

    nonce = models.CharField("请求标识", max_length=64, unique=True)
    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="+")
    attendance = models.ForeignKey(
        Attendance, verbose_name="签到", on_delete=models.CASCADE, related_name="nonces"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "签到请求"
        verbose_name_plural = "签到请求"

    def __str__(self) -> str:
        return self.nonce


# ---------------------------------------------------------------- joint meetings (联席会议, §7.4)


class JointMeetingStatus(models.TextChoices):
    PLANNED = "planned", "计划召开"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class JointMeeting(TimeStampedModel):
    """§7.4: the supervising unit convenes a joint meeting of the organisations 1–2 times a year."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="召集站点", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("会议名称", max_length=120)
    starts_at = models.DateTimeField("召开时间", db_index=True)
    location = models.CharField("地点", max_length=120, blank=True)
    agenda = models.TextField("议程", blank=True)  # nh3-sanitised HTML
    minutes = models.TextField("会议纪要", blank=True)  # nh3-sanitised HTML
    status = models.CharField(
        "状态", max_length=10, choices=JointMeetingStatus.choices, default=JointMeetingStatus.PLANNED
    )
    organizations: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "organizations.PartyOrganization",
        verbose_name="参会党组织",
        through="JointMeetingInvitee",
        related_name="joint_meetings",
    )
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="召集人", on_delete=models.PROTECT, related_name="+"
    )
    held_at = models.DateTimeField("登记召开时间", null=True, blank=True)

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class JointMeetingInvitee(models.Model):
    meeting = models.ForeignKey(
        JointMeeting, verbose_name="联席会议", on_delete=models.CASCADE, related_name="invitees"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="参会代表",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attended = models.BooleanField("出席", default=False)

    class Meta:
        verbose_name = "联席会议参会组织"
        verbose_name_plural = "联席会议参会组织"
        ordering = ["meeting_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "organization"], name="joint_invitee_once")]

    def __str__(self) -> str:
        return f"{self.organization_id} @ {self.meeting_id}"


class DecisionStatus(models.TextChoices):
    OPEN = "open", "待落实"
    IN_PROGRESS = "in_progress", "落实中"
    DONE = "done", "已完成"


class JointDecision(TimeStampedModel):
    """A decision of a joint meeting with its owner, due date and follow-up (shown until done)."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name="联席会议", on_delete=models.CASCADE, related_name="decisions"
    )
    content = models.CharField("议定事项", max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("完成时限")
    status = models.CharField(
        "落实情况", max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.OPEN, db_index=True
    )
    follow_up = models.TextField("跟进记录", blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "联席会议议定事项"
        verbose_name_plural = "联席会议议定事项"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.content
