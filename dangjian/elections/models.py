"""Committee elections (换届选举, DB3212/T 1124 §5.2 班子健全、换届正常).

One `Election` is one renewal of an organisation's committee, moved along `TRANSITIONS` only:

    requested ──approve──▶ approved ──meeting──▶ voted ──report──▶ reported ──confirm──▶ completed
        └──refuse──▶ refused                                         └──return──▶ voted

换届请示 (requested) → 上级批复 (approved / refused) → 候选人 and 选举大会 (voted) → 选举结果报告
(reported) → 上级批复结果 (completed: the new committee and term are written to the organisation).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.models import TimeStampedModel
from dangjian.organizations.models import CommitteePosition


class ElectionStatus(models.TextChoices):
    REQUESTED = "requested", "换届请示待批复"
    REFUSED = "refused", "请示未获批准"
    APPROVED = "approved", "已批复，筹备选举"
    VOTED = "voted", "已选举，待报告结果"
    REPORTED = "reported", "选举结果待批复"
    COMPLETED = "completed", "换届完成"


OPEN_STATUSES = (
    ElectionStatus.REQUESTED,
    ElectionStatus.APPROVED,
    ElectionStatus.VOTED,
    ElectionStatus.REPORTED,
)
# an election whose request the superior approved and that has not ended (the renewal is under way)
UNDER_WAY_STATUSES = (ElectionStatus.APPROVED, ElectionStatus.VOTED, ElectionStatus.REPORTED)

# action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({ElectionStatus.REQUESTED}), ElectionStatus.APPROVED),
    "refuse": (frozenset({ElectionStatus.REQUESTED}), ElectionStatus.REFUSED),
    "candidates": (frozenset({ElectionStatus.APPROVED}), ElectionStatus.APPROVED),
    "meeting": (frozenset({ElectionStatus.APPROVED}), ElectionStatus.VOTED),
    "report": (frozenset({ElectionStatus.VOTED}), ElectionStatus.REPORTED),
    "return": (frozenset({ElectionStatus.REPORTED}), ElectionStatus.VOTED),
    "confirm": (frozenset({ElectionStatus.REPORTED}), ElectionStatus.COMPLETED),
}

ACTION_LABELS = {
    "request": "提交换届请示",
    "approve": "上级批复同意换届",
    "refuse": "上级未批准换届请示",
    "candidates": "确定候选人",
    "meeting": "召开选举大会",
    "report": "报告选举结果",
    "return": "退回选举结果报告",
    "confirm": "上级批复选举结果",
}


class Election(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="elections"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="elections",
    )
    status = models.CharField(
        "状态", max_length=16, choices=ElectionStatus.choices, default=ElectionStatus.REQUESTED, db_index=True
    )
    seats = models.PositiveSmallIntegerField("应选人数")
    positions = models.JSONField("拟设职务", default=list)
    planned_on = models.DateField("计划选举日期")
    reason = models.TextField("请示事由", blank=True)
    rules_name = models.CharField("适用规定", max_length=80, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="请示人", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("批复时间", null=True, blank=True)
    decision_note = models.TextField("批复意见", blank=True)
    # the election meeting (选举大会)
    meeting_on = models.DateField("选举日期", null=True, blank=True)
    entitled = models.PositiveIntegerField("应到会有选举权人数", null=True, blank=True)
    present = models.PositiveIntegerField("实到会有选举权人数", null=True, blank=True)
    ballots_issued = models.PositiveIntegerField("发出选票", null=True, blank=True)
    ballots_returned = models.PositiveIntegerField("收回选票", null=True, blank=True)
    undecided_seats = models.PositiveSmallIntegerField("需另行选举的席位", default=0)
    # the result (选举结果) and its approval
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结果批复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("结果批复时间", null=True, blank=True)
    term_start = models.DateField("新一届任期开始", null=True, blank=True)
    term_end = models.DateField("新一届任期届满", null=True, blank=True)

    class Meta:
        verbose_name = "换届选举"
        verbose_name_plural = "换届选举"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["station", "status"], name="election_station_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status__in=[str(s) for s in OPEN_STATUSES]),
                name="election_one_open_per_org",
                violation_error_message="该党组织已有进行中的换届",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}换届选举"

    def get_absolute_url(self) -> str:
        return reverse("elections:detail", kwargs={"pk": self.pk})

    @property
    def position_labels(self) -> list[str]:
        labels = dict(CommitteePosition.choices)
        named = [labels.get(p, p) for p in self.positions]
        return named + ["委员"] * max(0, self.seats - len(named))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ElectionCandidate(models.Model):
    election = models.ForeignKey(
        Election, verbose_name="换届选举", on_delete=models.CASCADE, related_name="candidates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="候选人", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=40)
    votes = models.PositiveIntegerField("得票数", null=True, blank=True)
    elected = models.BooleanField("当选", default=False)
    tied = models.BooleanField("末位票数相同（另行选举）", default=False)
    position = models.CharField("分工", max_length=16, choices=CommitteePosition.choices, blank=True)

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["election_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "user"], name="election_candidate_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ElectionEvent(models.Model):
    """One step of an election's timeline (who did what, when)."""

    election = models.ForeignKey(
        Election, verbose_name="换届选举", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("事项", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "换届进程"
        verbose_name_plural = "换届进程"
        ordering = ["election_id", "at", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, "办理")
