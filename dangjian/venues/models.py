"""Offline spaces of the stations (阵地, DB3212/T 1124 §6.1, §6.2, §5.4.3, §5.5).

- `Venue`: a station's spaces by kind (一馆三区: 综合馆, 书吧, 沙龙, 讲堂; 其他), optionally a resident unit's own
  party-mass service centre shared with others (§6.1), with its booking policy and who may book it.
- `OpeningHours` per weekday (a weekday without a row is closed) and `ClosedDay`s (holidays) of a station
  or of one venue.
- `Reservation` (and `ReservationSeries` for weekly/monthly repeats): approved and checked-in bookings of one
  venue never overlap — on PostgreSQL an exclusion constraint (migration 0002), on SQLite the services'
  serialising IMMEDIATE transaction.
- `SixHaveItem` + `SixHaveEvidence`: the 六有 checklist of a station (§6.1) with evidence photos.
- `Equipment` and `FaultReport`: inventory and maintenance (§6.2, §5.5).
- `Tour`: a group's visit to a station (参观预约, §5.4.3), handled by a guide, using a venue booking.

Times are stored in UTC and shown in Asia/Shanghai.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from dangjian.core.models import TimeStampedModel


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def venue_photo_path(instance: object, filename: str) -> str:
    return f"venues/photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


def evidence_photo_path(instance: object, filename: str) -> str:
    return f"venues/six-have/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


def fault_photo_path(instance: object, filename: str) -> str:
    return f"venues/faults/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{_suffix(filename)}"


def new_checkin_token() -> str:
    return secrets.token_urlsafe(18)


class VenueKind(models.TextChoices):
    HALL = "hall", "综合馆"
    BOOK_BAR = "book_bar", "书吧"
    SALON = "salon", "沙龙"
    LECTURE = "lecture", "讲堂"
    OTHER = "other", "其他"


class BookingAudience(models.TextChoices):
    STATION = "station", "本站人员"
    SURROUNDINGS = "surroundings", "本站及周边社区"
    PUBLIC = "public", "所有注册用户"


class Venue(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="所属站点", on_delete=models.PROTECT, related_name="venues"
    )
    building = models.ForeignKey(
        "stations.Building",
        verbose_name="所在楼宇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="venues",
    )
    unit = models.ForeignKey(
        "stations.ResidentUnit",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="venues",
        help_text="§6.1：单位自有的党群服务中心，可供无独立场所的楼宇共享",
    )
    name = models.CharField("场所名称", max_length=80)
    kind = models.CharField("类型", max_length=12, choices=VenueKind.choices, default=VenueKind.HALL)
    capacity = models.PositiveIntegerField("容纳人数", default=30)
    floor_label = models.CharField("楼层", max_length=20, blank=True)
    room = models.CharField("房间号", max_length=20, blank=True)
    photo = models.ImageField("照片", upload_to=venue_photo_path, blank=True)
    description = models.TextField("简介", blank=True)
    audience = models.CharField(
        "可预约人员", max_length=16, choices=BookingAudience.choices, default=BookingAudience.STATION
    )
    needs_approval = models.BooleanField("预约须讲解员审核", default=True)
    min_advance_minutes = models.PositiveIntegerField("最少提前（分钟）", default=60)
    max_advance_days = models.PositiveIntegerField("最多提前（天）", default=30)
    max_duration_minutes = models.PositiveIntegerField("单次最长（分钟）", default=240)
    monthly_quota = models.PositiveIntegerField("每人每月预约次数上限", default=8, help_text="0 表示不限")
    is_active = models.BooleanField("启用", default=True)
    checkin_token = models.CharField(
        "签到码", max_length=40, unique=True, default=new_checkin_token, editable=False
    )
    out_of_service = models.BooleanField("暂停使用", default=False, editable=False)
    out_of_service_reason = models.CharField("暂停原因", max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = "场所"
        verbose_name_plural = "场所"
        ordering = ["station_id", "kind", "name", "id"]
        indexes = [models.Index(fields=["station", "is_active"], name="venue_station_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="venue_unique_name",
                violation_error_message="本站点已有同名场所",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="venue_capacity_positive"),
            models.CheckConstraint(
                condition=Q(max_duration_minutes__gt=0), name="venue_max_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def location_label(self) -> str:
        return " ".join(part for part in (self.floor_label, self.room) if part)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "星期一"
    TUESDAY = 1, "星期二"
    WEDNESDAY = 2, "星期三"
    THURSDAY = 3, "星期四"
    FRIDAY = 4, "星期五"
    SATURDAY = 5, "星期六"
    SUNDAY = 6, "星期日"


class OpeningHours(models.Model):
    venue = models.ForeignKey(Venue, verbose_name="场所", on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField("星期", choices=Weekday.choices)
    opens = models.TimeField("开放时间")
    closes = models.TimeField("关闭时间")

    class Meta:
        verbose_name = "开放时间"
        verbose_name_plural = "开放时间"
        ordering = ["venue_id", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "weekday"], name="opening_hours_unique_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_order"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosedDay(models.Model):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.CASCADE, related_name="closed_days"
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name="场所",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closed_days",
        help_text="不选表示全站闭馆",
    )
    date = models.DateField("日期")
    reason = models.CharField("原因", max_length=80, blank=True)

    class Meta:
        verbose_name = "闭馆日"
        verbose_name_plural = "闭馆日"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["station", "date"], name="closed_day_station_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "venue", "date"],
                name="closed_day_unique",
                violation_error_message="该日期已设为闭馆日",
            ),
            models.UniqueConstraint(
                fields=["station", "date"],
                condition=Q(venue__isnull=True),
                name="closed_day_unique_station",
                violation_error_message="该日期已设为全站闭馆日",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


class ReservationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    CANCELLED = "cancelled", "已取消"
    NO_SHOW = "no_show", "未到场"
    CHECKED_IN = "checked_in", "已签到"


# Bookings that hold the slot (never overlap in one venue) and those that count against the monthly quota.
HOLDING_STATUSES = (ReservationStatus.APPROVED, ReservationStatus.CHECKED_IN)
QUOTA_STATUSES = (
    ReservationStatus.PENDING,
    ReservationStatus.APPROVED,
    ReservationStatus.CHECKED_IN,
    ReservationStatus.NO_SHOW,
)


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"


class ReservationSeries(models.Model):
    venue = models.ForeignKey(Venue, verbose_name="场所", on_delete=models.CASCADE, related_name="series")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="预约人", on_delete=models.CASCADE, related_name="+"
    )
    recurrence = models.CharField("重复", max_length=8, choices=Recurrence.choices)
    until = models.DateField("重复截止日期")
    purpose = models.CharField("用途", max_length=200)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "周期预约"
        verbose_name_plural = "周期预约"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.venue} {self.get_recurrence_display()}至{self.until:%Y-%m-%d}"


class Reservation(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="reservations"
    )
    venue = models.ForeignKey(
        Venue, verbose_name="场所", on_delete=models.PROTECT, related_name="reservations"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="预约人", on_delete=models.PROTECT, related_name="reservations"
    )
    purpose = models.CharField("用途", max_length=200)
    head_count = models.PositiveIntegerField("人数")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    status = models.CharField(
        "状态", max_length=12, choices=ReservationStatus.choices, default=ReservationStatus.PENDING
    )
    series = models.ForeignKey(
        ReservationSeries,
        verbose_name="周期预约",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reservations",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_reason = models.CharField("审核意见", max_length=200, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    released_at = models.DateTimeField("释放时间", null=True, blank=True)

    class Meta:
        verbose_name = "场所预约"
        verbose_name_plural = "场所预约"
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["venue", "starts_at"], name="reservation_venue_start"),
            models.Index(fields=["holder", "starts_at"], name="reservation_holder_start"),
            models.Index(fields=["station", "status", "starts_at"], name="reservation_station_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="reservation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ReservationStatus]), name="reservation_status_valid"
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{self.venue} {start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @property
    def holds_slot(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def time_label(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start.year}年{start.month}月{start.day}日 {start:%H:%M}–{end:%H:%M}"


class SixHave(models.TextChoices):
    """§6.1 六有: 有场所、有设施、有标志、有党旗、有书报、有制度."""

    SITE = "site", "有场所"
    FACILITIES = "facilities", "有设施"
    SIGN = "sign", "有标志"
    FLAG = "flag", "有党旗"
    BOOKS = "books", "有书报"
    RULES = "rules", "有制度"


class SixHaveItem(models.Model):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.CASCADE, related_name="six_have_items"
    )
    item = models.CharField("项目", max_length=12, choices=SixHave.choices)
    met = models.BooleanField("已达标", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="检查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField("检查时间", null=True, blank=True)

    class Meta:
        verbose_name = "六有检查项"
        verbose_name_plural = "六有检查项"
        ordering = ["station_id", "item"]
        constraints = [models.UniqueConstraint(fields=["station", "item"], name="six_have_unique_item")]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_item_display()}"


class SixHaveEvidence(models.Model):
    item = models.ForeignKey(
        SixHaveItem, verbose_name="检查项", on_delete=models.CASCADE, related_name="evidence"
    )
    photo = models.ImageField("照片", upload_to=evidence_photo_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "六有佐证照片"
        verbose_name_plural = "六有佐证照片"
        ordering = ["item_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.item} 佐证照片"


class EquipmentKind(models.TextChoices):
    AUDIO = "audio", "音响"
    MICROPHONE = "microphone", "话筒"
    FURNITURE = "furniture", "桌椅"
    SCREEN = "screen", "电子显示屏"
    PROJECTOR = "projector", "投影"
    OTHER = "other", "其他"


class EquipmentState(models.TextChoices):
    GOOD = "good", "完好"
    FAULTY = "faulty", "故障"
    RETIRED = "retired", "报废"


class Equipment(TimeStampedModel):
    venue = models.ForeignKey(Venue, verbose_name="场所", on_delete=models.CASCADE, related_name="equipment")
    kind = models.CharField("类别", max_length=12, choices=EquipmentKind.choices)
    name = models.CharField("名称", max_length=80)
    quantity = models.PositiveIntegerField("数量", default=1)
    state = models.CharField(
        "状态", max_length=8, choices=EquipmentState.choices, default=EquipmentState.GOOD
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "设备"
        verbose_name_plural = "设备"
        ordering = ["venue_id", "kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ×{self.quantity}"

    @property
    def station_id(self) -> int:
        return self.venue.station_id


class FaultStatus(models.TextChoices):
    OPEN = "open", "待处理"
    ASSIGNED = "assigned", "维修中"
    REPAIRED = "repaired", "已修复"


class FaultReport(models.Model):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="fault_reports"
    )
    venue = models.ForeignKey(Venue, verbose_name="场所", on_delete=models.PROTECT, related_name="faults")
    equipment = models.ForeignKey(
        Equipment,
        verbose_name="设备",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faults",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报修人", on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("故障描述")
    photo = models.ImageField("照片", upload_to=fault_photo_path, blank=True)
    blocks_venue = models.BooleanField("场地无法使用", default=False)
    status = models.CharField("状态", max_length=10, choices=FaultStatus.choices, default=FaultStatus.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="维修人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField("报修时间", default=timezone.now)
    assigned_at = models.DateTimeField("派单时间", null=True, blank=True)
    repaired_at = models.DateTimeField("修复时间", null=True, blank=True)
    repair_note = models.CharField("维修说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "故障报修"
        verbose_name_plural = "故障报修"
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["station", "status", "-reported_at"], name="fault_station_status"),
            models.Index(fields=["venue", "status"], name="fault_venue_status"),
        ]

    def __str__(self) -> str:
        return f"{self.venue} 报修 {timezone.localtime(self.reported_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status != FaultStatus.REPAIRED


class TourStatus(models.TextChoices):
    REQUESTED = "requested", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "已婉拒"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class GroupKind(models.TextChoices):
    UNIT = "unit", "单位"
    COMMUNITY = "community", "社区"
    OTHER = "other", "其他"


class Tour(TimeStampedModel):
    """参观预约 (§5.4.3): a group visits a station, guided by the station's guide (讲解员)."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="参观站点", on_delete=models.PROTECT, related_name="tours"
    )
    group_name = models.CharField("参观团体", max_length=120)
    group_kind = models.CharField(
        "团体类型", max_length=12, choices=GroupKind.choices, default=GroupKind.UNIT
    )
    contact_name = models.CharField("联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=20)
    visitor_count = models.PositiveIntegerField("预计人数")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    venue = models.ForeignKey(
        Venue,
        verbose_name="希望使用的场所",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tours",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="讲解员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=TourStatus.choices, default=TourStatus.REQUESTED)
    reservation = models.ForeignKey(
        Reservation,
        verbose_name="场所预约",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tours",
    )
    actual_count = models.PositiveIntegerField("实到人数", null=True, blank=True)
    feedback = models.TextField("参观反馈", blank=True)
    decision_reason = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "参观预约"
        verbose_name_plural = "参观预约"
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["station", "status", "starts_at"], name="tour_station_status"),
            models.Index(fields=["requested_by", "starts_at"], name="tour_requester_start"),
            models.Index(fields=["guide", "starts_at"], name="tour_guide_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="tour_ends_after_start"),
            models.CheckConstraint(condition=Q(visitor_count__gt=0), name="tour_visitors_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.group_name} 参观 {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
