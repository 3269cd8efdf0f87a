"""Grassroots party organisations in the buildings (DB3212/T 1124 §5.1, §5.2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import TimeStampedModel

# §5.2 换届正常: warn this many days before a committee's term ends.
TERM_WARNING_DAYS = 90


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"


class TermStatus(models.TextChoices):
    NORMAL = "normal", "任期正常"
    EXPIRING = "expiring", "90 天内到期"
    EXPIRED = "expired", "已到期未换届"
    UNKNOWN = "unknown", "未登记任期"


def term_status_on(term_end: date | None, today: date) -> TermStatus:
    if term_end is None:
        return TermStatus.UNKNOWN
    if term_end < today:
        return TermStatus.EXPIRED
    if term_end <= today + timedelta(days=TERM_WARNING_DAYS):
        return TermStatus.EXPIRING
    return TermStatus.NORMAL


class PartyOrganizationQuerySet(models.QuerySet):
    def with_term_status(self, status: str, *, today: date | None = None) -> PartyOrganizationQuerySet:
        today = today or timezone.localdate()
        warn_until = today + timedelta(days=TERM_WARNING_DAYS)
        if status == TermStatus.EXPIRED:
            return self.filter(term_end__lt=today)
        if status == TermStatus.EXPIRING:
            return self.filter(term_end__gte=today, term_end__lte=warn_until)
        if status == TermStatus.NORMAL:
            return self.filter(term_end__gt=warn_until)
        if status == TermStatus.UNKNOWN:
            return self.filter(term_end__isnull=True)
        return self


class PartyOrganization(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="所属站点", on_delete=models.PROTECT, related_name="organizations"
    )
    name = models.CharField("组织名称", max_length=120, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("组织类型", max_length=16, choices=OrgKind.choices, default=OrgKind.BRANCH)
    parent = models.ForeignKey(
        "self",
        verbose_name="平台内上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # §5.1: the formal affiliation (隶属关系) stays where it is; the platform only records it.
    formal_superior = models.CharField(
        "隶属上级党组织",
        max_length=160,
        help_text="党组织隶属关系不变，此处仅作记录，如“中共泰州市海陵区委两新工委”",
    )
    units = models.ManyToManyField(
        "stations.ResidentUnit", verbose_name="覆盖入驻单位", blank=True, related_name="organizations"
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="书记",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="secretary_of",
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    term_start = models.DateField("本届任期开始", null=True, blank=True)
    term_end = models.DateField("本届任期届满", null=True, blank=True, db_index=True)
    member_count = models.PositiveIntegerField("党员人数", default=0)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    intro = models.TextField("简介", blank=True)
    is_active = models.BooleanField("有效", default=True)

    objects = PartyOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["station_id", "kind", "name"]
        indexes = [models.Index(fields=["station", "term_end"], name="org_station_term")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_start__isnull=True)
                | models.Q(term_end__isnull=True)
                | models.Q(term_end__gt=models.F("term_start")),
                name="org_term_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", kwargs={"pk": self.pk})

    def term_status(self, today: date | None = None) -> TermStatus:
        return term_status_on(self.term_end, today or timezone.localdate())

    @property
    def committee_by_rank(self) -> list[CommitteeMember]:
        return by_rank(self.committee.all())

    @property
    def term_status_label(self) -> str:
        return self.term_status().label


class CommitteePosition(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    ORGANIZATION = "organization", "组织委员"
    PUBLICITY = "publicity", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    MEMBER = "member", "委员"


POSITION_RANK = {position.value: rank for rank, position in enumerate(CommitteePosition)}


def by_rank(members: Iterable[CommitteeMember]) -> list[CommitteeMember]:
    """Committee members secretary first, then deputy, then the committee members by portfolio."""
    return sorted(
        members, key=lambda member: (POSITION_RANK.get(member.position, len(POSITION_RANK)), member.pk)
    )


class CommitteeMember(models.Model):
    organization = models.ForeignKey(
        PartyOrganization, verbose_name="党组织", on_delete=models.CASCADE, related_name="committee"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="姓名", on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField("职务", max_length=16, choices=CommitteePosition.choices)

    class Meta:
        verbose_name = "委员"
        verbose_name_plural = "支委会（党委）成员"
        ordering = ["organization_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="committee_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_position_display()}"


class Alliance(TimeStampedModel):
    """§5.2 党建联盟: 组织共建、资源共享、事务共商、活动共办、发展共赢."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="牵头站点", on_delete=models.PROTECT, related_name="alliances"
    )
    name = models.CharField("联盟名称", max_length=120, unique=True)
    lead_organization = models.ForeignKey(
        PartyOrganization, verbose_name="牵头党组织", on_delete=models.PROTECT, related_name="led_alliances"
    )
    organizations = models.ManyToManyField(
        PartyOrganization, verbose_name="成员党组织", related_name="alliances"
    )
    established_on = models.DateField("成立日期", default=date.today)
    purpose = models.TextField("共建内容", blank=True)

    class Meta:
        verbose_name = "党建联盟"
        verbose_name_plural = "党建联盟"
        ordering = ["station_id", "name"]

    def __str__(self) -> str:
        return self.name


class JointBuildingAgreement(TimeStampedModel):
    """联学共建 record between organisations, optionally inside an alliance."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="agreements"
    )
    alliance = models.ForeignKey(
        Alliance,
        verbose_name="所属联盟",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    title = models.CharField("共建协议", max_length=160)
    organizations = models.ManyToManyField(
        PartyOrganization, verbose_name="共建各方", related_name="agreements"
    )
    signed_on = models.DateField("签订日期", default=date.today)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    content = models.TextField("共建事项")

    class Meta:
        verbose_name = "联学共建协议"
        verbose_name_plural = "联学共建协议"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CommitteeTerm(models.Model):
    """One past term of an organisation's committee (§5.2 换届正常): kept when a renewal replaces it, with
    a snapshot of its members (names and positions as they were), so the history stays readable even
    after people leave."""

    organization = models.ForeignKey(
        PartyOrganization, verbose_name="党组织", on_delete=models.CASCADE, related_name="past_terms"
    )
    term_start = models.DateField("任期开始", null=True, blank=True)
    term_end = models.DateField("任期届满", null=True, blank=True)
    ended_on = models.DateField("换届日期")
    secretary_name = models.CharField("书记", max_length=40, blank=True)
    # [{"user": id, "name": "…", "position": "secretary", "position_label": "书记"}, …] by rank
    members = models.JSONField("班子成员", default=list)
    source_election = models.ForeignKey(
        "elections.Election",
        verbose_name="换届选举",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="archived_terms",
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "历届班子"
        verbose_name_plural = "历届班子"
        ordering = ["organization_id", "-ended_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization}（{self.term_start or '—'}至{self.ended_on}）"
