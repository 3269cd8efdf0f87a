"""Feedback, complaints and consultations of those a station serves (DB3212/T 1124 §10.1.2).

- `Feedback`: one submission through one of the five channels (入驻单位, 周边楼宇·街道·社区, 投诉箱, 意见簿,
  互联网反馈), of one kind (投诉, 建议, 表扬, 咨询), handled received → assigned → in progress → replied →
  closed. Anyone may submit, also without an account: the unguessable `tracking_code` is then the only key
  to it. A complaint is decided valid or invalid (with a reason) and closed resolved or unresolved; the
  indicator "valid-complaint resolution rate" (§10.1.1) counts them (`selectors.valid_complaint_counts`).
- `FeedbackContact`: the submitter's name and phone — personal data, in its own table whose default manager
  is a django-scopes `ScopedManager` (a read outside the station's scope raises).
- `FeedbackEvent`: every step (who, when, what was said), the timeline the submitter follows.

Times are stored in UTC and shown in Asia/Shanghai.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from dangjian.core.models import TimeStampedModel

# No 0/O, 1/I/L: a code read aloud on the phone or copied from a receipt slip is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_tracking_code() -> str:
    """12 characters of a 31-letter alphabet: about 59 bits, not guessable, short enough to type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: Any) -> str:
    """What a person typed, as stored: upper case, without spaces and dashes (`abcd-efgh-jkmn`)."""
    if not isinstance(text, str):
        return ""
    return "".join(ch for ch in text.upper() if ch.isalnum())[:40]


def grouped_code(code: str) -> str:
    """`ABCD-EFGH-JKMN`, as shown to people."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Channel(models.TextChoices):
    UNIT = "unit", "入驻单位"
    SURROUNDINGS = "surroundings", "周边楼宇·街道·社区"
    BOX = "box", "投诉箱"
    BOOK = "book", "意见簿"
    ONLINE = "online", "互联网反馈"


PAPER_CHANNELS = (Channel.BOX, Channel.BOOK)
ONLINE_CHANNELS = (Channel.UNIT, Channel.SURROUNDINGS, Channel.ONLINE)


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"
    CONSULTATION = "consultation", "咨询"


class Status(models.TextChoices):
    RECEIVED = "received", "已受理"
    ASSIGNED = "assigned", "已分派"
    IN_PROGRESS = "in_progress", "办理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)  # waiting for a reply: may be overdue


class Validity(models.TextChoices):
    UNDECIDED = "", "待认定"
    VALID = "valid", "有效投诉"
    INVALID = "invalid", "无效投诉"


class Resolution(models.TextChoices):
    NONE = "", "—"
    RESOLVED = "resolved", "已解决"
    UNRESOLVED = "unresolved", "未解决"


class Escalation(models.IntegerChoices):
    NONE = 0, "未督办"
    STATION = 1, "已提醒站点管理员"
    HQ = 2, "已报总站督办"


def _person(label: str, **options: Any) -> Any:
    """A nullable person (typed `Any`: django-stubs cannot infer through a helper)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )


class Feedback(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="feedback"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="涉及党组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    unit = models.ForeignKey(
        "stations.ResidentUnit",
        verbose_name="涉及入驻单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    title = models.CharField("标题", max_length=80)
    content = models.TextField("内容", max_length=2000)
    submitter = _person("提交人")
    entered_by = _person("代录人员")  # a paper submission (投诉箱, 意见簿) typed in by the station's staff
    tracking_code = models.CharField("查询码", max_length=12, unique=True, default=new_tracking_code)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    assignee = _person("承办人")
    received_at = models.DateTimeField("受理时间", default=timezone.now)
    due_on = models.DateField("答复期限")
    validity = models.CharField(
        "投诉认定", max_length=10, choices=Validity.choices, default=Validity.UNDECIDED, blank=True
    )
    validity_reason = models.CharField("认定理由", max_length=500, blank=True)
    validity_decided_at = models.DateTimeField("认定时间", null=True, blank=True)
    reply = models.TextField("答复内容", max_length=2000, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = _person("答复人")
    resolution = models.CharField(
        "办理结果", max_length=12, choices=Resolution.choices, default=Resolution.NONE, blank=True
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    escalation = models.PositiveSmallIntegerField("督办", choices=Escalation.choices, default=Escalation.NONE)
    escalated_station_at = models.DateTimeField("提醒站点管理员时间", null=True, blank=True)
    escalated_hq_at = models.DateTimeField("报总站督办时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("满意度评分", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    confirmed_solved_at = models.DateTimeField("确认已解决时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0)

    class Meta:
        verbose_name = "意见反馈"
        verbose_name_plural = "意见反馈"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["station", "status", "-received_at"], name="feedback_station_status"),
            models.Index(fields=["status", "due_on"], name="feedback_status_due"),
            models.Index(fields=["assignee", "status"], name="feedback_assignee_status"),
            models.Index(fields=["submitter", "-received_at"], name="feedback_submitter"),
            models.Index(fields=["kind", "validity", "received_at"], name="feedback_complaints"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def code_display(self) -> str:
        return grouped_code(self.tracking_code)

    @property
    def is_complaint(self) -> bool:
        return self.kind == Kind.COMPLAINT

    @property
    def is_paper(self) -> bool:
        return self.channel in PAPER_CHANNELS

    def is_overdue(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.due_on < today


class FeedbackContact(models.Model):
    """The submitter's name and phone (personal data: scoped to the station)."""

    feedback = models.OneToOneField(
        Feedback, verbose_name="意见反馈", on_delete=models.CASCADE, related_name="contact"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("联系人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)

    objects: ClassVar[models.Manager[FeedbackContact]] = ScopedManager(station="station")  # type: ignore[assignment]

    class Meta:
        verbose_name = "反馈联系方式"
        verbose_name_plural = "反馈联系方式"

    def __str__(self) -> str:
        return f"{self.feedback_id} 的联系方式"

    @property
    def masked_phone(self) -> str:
        """`138****5678`: what the tracking page shows the code holder."""
        phone = self.phone
        return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


class EventAction(models.TextChoices):
    SUBMIT = "submit", "提交反馈"
    ENTER = "enter", "工作人员代录纸质意见"
    ASSIGN = "assign", "分派承办人"
    START = "start", "开始办理"
    REPLY = "reply", "答复"
    DECIDE = "decide", "投诉认定"
    CLOSE = "close", "办结"
    RATE = "rate", "评价办理情况"
    CONFIRM = "confirm", "确认问题已解决"
    REOPEN = "reopen", "申请重新办理"
    ESCALATE_STATION = "escalate_station", "逾期提醒站点管理员"
    ESCALATE_HQ = "escalate_hq", "逾期报总站督办"


STAFF_ACTIONS = (
    EventAction.ENTER,
    EventAction.ASSIGN,
    EventAction.START,
    EventAction.REPLY,
    EventAction.DECIDE,
    EventAction.CLOSE,
)


class FeedbackEvent(models.Model):
    feedback = models.ForeignKey(
        Feedback, verbose_name="意见反馈", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("步骤", max_length=20, choices=EventAction.choices)
    actor = _person("办理人")
    note = models.TextField("说明", max_length=2000, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.get_action_display()}"

    @property
    def by_staff(self) -> bool:
        return self.action in STAFF_ACTIONS
