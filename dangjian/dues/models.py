"""Party-dues records (党费收缴, DB3212/T 1124 §6.3, §8) under the 2008 national rule (中组发〔2008〕3号).

- `DuesRule` + `DuesBracket`: the rule as data, one row per version, chosen by effective date.
- `OrganizationDuesSetting`: what the 2008 rule leaves to the branch (the farmers' monthly amount).
- `IncomeDeclaration`: a member's declared monthly base for a year, from the month the pay changes.
- `DuesRelief`: hardship reduction or waiver approved by the organisation (approver and reason).
- `DuesSheet` + `DuesLine`: the monthly sheet of an organisation, one line per member and month.
- `DuesPayment`: money received (cash, transfer, online); `PaymentOrder`: an online order at a provider,
  `OrderLine`: its months (each month in at most one open order — a database constraint).
- `DuesNotice`: reminders and 6-month arrears alerts already sent (so each is sent once).

Dues are personal data (DESIGN.md "Personal data is isolated"): every model but the rule carries a `station`
FK and its default manager is a django-scopes `ScopedManager`, so a query outside
`with scope(station=[...])` / `scopes_disabled()` raises instead of leaking another station's dues.
Amounts are `DecimalField`s in yuan to the fen (docs/dues.md “金额与舍入规则”).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopedManager

from dangjian.core.models import TimeStampedModel
from dangjian.dues.amounts import Bracket, ReliefKind, RuleSet
from dangjian.dues.periods import period_label


def money_field(label: str, **options: Any) -> models.DecimalField:
    """Yuan to the fen (docs/dues.md “金额与舍入规则”)."""
    return models.DecimalField(label, max_digits=12, decimal_places=2, **options)


def _scoped() -> models.Manager:
    return ScopedManager(station="station")  # type: ignore[no-any-return]


class BracketKind(models.TextChoices):
    INCOME = "income", "在职党员（税后月工资收入）"
    PENSION = "pension", "离退休党员（月养老金）"


class DuesRule(TimeStampedModel):
    """One version of the dues rule; the version in force for a month is the latest whose
    `effective_from` is on or before the month's first day. The default is the 2008 national rule."""

    name = models.CharField("规定名称", max_length=120)
    effective_from = models.DateField("生效日期", unique=True)
    minimal_amount = models.DecimalField(
        "学生、失业、低保党员每月金额", max_digits=6, decimal_places=2, default=Decimal("0.20")
    )
    farmer_min = models.DecimalField(
        "农民党员每月最低金额", max_digits=6, decimal_places=2, default=Decimal("0.20")
    )
    farmer_max = models.DecimalField(
        "农民党员每月最高金额", max_digits=6, decimal_places=2, default=Decimal("1.00")
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "党费计算规则"
        verbose_name_plural = "党费计算规则"
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(farmer_min__lte=F("farmer_max"))
                & Q(farmer_min__gte=0)
                & Q(minimal_amount__gte=0),
                name="dues_rule_amounts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d} 起）"

    def ruleset(self) -> RuleSet:
        """The pure data the amount engine prices with (brackets read through `brackets.all()`, so a
        `prefetch_related("brackets")` makes this free)."""
        brackets = sorted(self.brackets.all(), key=lambda b: (b.upper is None, b.upper or 0))
        return RuleSet(
            name=self.name,
            effective_from=self.effective_from,
            income=tuple(b.as_bracket() for b in brackets if b.kind == BracketKind.INCOME),
            pension=tuple(b.as_bracket() for b in brackets if b.kind == BracketKind.PENSION),
            minimal_amount=self.minimal_amount,
            farmer_min=self.farmer_min,
            farmer_max=self.farmer_max,
        )


class DuesBracket(models.Model):
    """Bases up to and including `upper` (empty: no upper limit) pay `rate` of the whole base."""

    rule = models.ForeignKey(DuesRule, verbose_name="规则", on_delete=models.CASCADE, related_name="brackets")
    kind = models.CharField("适用人员", max_length=12, choices=BracketKind.choices)
    upper = money_field("基数上限（含）", null=True, blank=True)
    rate = models.DecimalField("交纳比例", max_digits=6, decimal_places=4)

    class Meta:
        verbose_name = "党费比例档次"
        verbose_name_plural = "党费比例档次"
        ordering = ["rule_id", "kind", "upper"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "kind", "upper"], name="dues_bracket_unique"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=1), name="dues_bracket_rate"),
        ]

    def __str__(self) -> str:
        limit = f"≤{self.upper}" if self.upper is not None else "以上"
        return f"{self.get_kind_display()} {limit}：{self.rate:%}"

    def as_bracket(self) -> Bracket:
        return Bracket(self.upper, self.rate)

    @property
    def rate_percent(self) -> Decimal:
        return (self.rate * 100).normalize()


class OrganizationDuesSetting(TimeStampedModel):
    """What the 2008 rule leaves to the branch: the farmers' monthly amount (0.20–1.00 yuan)."""

    organization = models.OneToOneField(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="dues_setting",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    farmer_amount = models.DecimalField(
        "农民党员每月交纳金额（元）", max_digits=6, decimal_places=2, default=Decimal("0.20")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[models.Manager[OrganizationDuesSetting]] = _scoped()

    class Meta:
        verbose_name = "党费设置"
        verbose_name_plural = "党费设置"

    def __str__(self) -> str:
        return f"{self.organization_id} 农民党员 {self.farmer_amount} 元/月"


class IncomeDeclaration(TimeStampedModel):
    """A member's monthly base for `year` from `effective_month` on (2008 rule: 党员工资收入发生变化后，
    从下一个月起按新的工资收入交纳党费 — here the month the change takes effect is named explicitly).
    Declared yearly; a pay change mid-year is a further declaration starting from its month."""

    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name="党员",
        on_delete=models.PROTECT,
        related_name="income_declarations",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    effective_month = models.PositiveSmallIntegerField("起始月份", default=1)
    monthly_base = money_field("月收入基数（元）")
    voluntary_extra = money_field("每月自愿多交（元）", default=Decimal("0.00"))
    note = models.CharField("备注", max_length=200, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[models.Manager[IncomeDeclaration]] = _scoped()

    class Meta:
        verbose_name = "收入基数申报"
        verbose_name_plural = "收入基数申报"
        ordering = ["member_id", "-year", "-effective_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "effective_month"], name="dues_declaration_unique"
            ),
            models.CheckConstraint(
                condition=Q(effective_month__gte=1) & Q(effective_month__lte=12),
                name="dues_declaration_month",
            ),
            models.CheckConstraint(
                condition=Q(monthly_base__gte=0) & Q(voluntary_extra__gte=0), name="dues_declaration_amounts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}年{self.effective_month}月起 {self.monthly_base} 元"

    @property
    def effective_from(self) -> date:
        return date(self.year, self.effective_month, 1)


class DuesRelief(TimeStampedModel):
    """Hardship relief approved by the organisation (2008 rule: 生活困难的党员，经党支部研究、报上级党委
    批准，可以少交或免交党费), from `start` to `end` (months; empty `end`: until revoked)."""

    member = models.ForeignKey(
        "members.MemberProfile", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_reliefs"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization", verbose_name="批准组织", on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        "减免方式", max_length=12, choices=[(ReliefKind.WAIVER, "免交"), (ReliefKind.REDUCTION, "减交")]
    )
    reduced_amount = money_field("减交后每月金额（元）", null=True, blank=True)
    start = models.DateField("起始月份")
    end = models.DateField("截止月份", null=True, blank=True)
    reason = models.CharField("减免理由", max_length=300)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间", default=timezone.now)

    objects: ClassVar[models.Manager[DuesRelief]] = _scoped()

    class Meta:
        verbose_name = "党费减免"
        verbose_name_plural = "党费减免"
        ordering = ["member_id", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ReliefKind.WAIVER) | Q(reduced_amount__isnull=False, reduced_amount__gte=0),
                name="dues_relief_amount",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="dues_relief_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {period_label(self.start)}起"

    def covers(self, period: date) -> bool:
        return self.start <= period and (self.end is None or period <= self.end)


class DuesSheet(TimeStampedModel):  # type: ignore[django-manager-missing]
    """An organisation's dues for one month (the period is the month's first day)."""

    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="dues_sheets",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField("月份")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("结账时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结账人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[models.Manager[DuesSheet]] = _scoped()

    class Meta:
        verbose_name = "党费收缴表"
        verbose_name_plural = "党费收缴表"
        ordering = ["organization_id", "-period"]
        constraints = [models.UniqueConstraint(fields=["organization", "period"], name="dues_sheet_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id} {period_label(self.period)}"

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def get_absolute_url(self) -> str:
        return sheet_url(self.organization_id, self.period)


def sheet_url(organization_id: int, period: date) -> str:
    return reverse(
        "dues:sheet", kwargs={"organization": organization_id, "year": period.year, "month": period.month}
    )


class LineQuerySet(models.QuerySet):
    def unpaid(self) -> LineQuerySet:
        """Lines still owed: not settled by a payment and not waived to nothing."""
        return self.filter(payment__isnull=True, amount_due__gt=0)


class DuesLine(models.Model):
    """What one member owes for one month, priced when the sheet is generated (or refreshed while unpaid
    after a new declaration, relief or setting). A member has at most one line a month, platform-wide."""

    sheet = models.ForeignKey(
        DuesSheet, verbose_name="收缴表", on_delete=models.PROTECT, related_name="lines"
    )
    member = models.ForeignKey(
        "members.MemberProfile", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_lines"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField("月份")
    dues_category = models.CharField("党费类别", max_length=12)
    base = money_field("收入基数（元）", null=True, blank=True)
    rule = models.ForeignKey(DuesRule, verbose_name="适用规则", on_delete=models.PROTECT, related_name="+")
    standard_amount = money_field("按规定应交（元）")
    relief = models.ForeignKey(
        DuesRelief, verbose_name="减免", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount_due = money_field("应交（元）")
    extra_amount = money_field("每月自愿多交（元）", default=Decimal("0.00"))
    # Voluntary extra actually received for this month: the pledge, plus a payment's one-off extra,
    # which is counted in the last month that payment settles.
    extra_paid = money_field("实收自愿多交（元）", default=Decimal("0.00"))
    payment = models.ForeignKey(
        "dues.DuesPayment",
        verbose_name="缴费记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    paid_at = models.DateTimeField("缴纳时间", null=True, blank=True)

    objects: ClassVar[models.Manager[DuesLine]] = ScopedManager(  # type: ignore[assignment]
        station="station", _manager_class=models.Manager.from_queryset(LineQuerySet)
    )

    class Meta:
        verbose_name = "党费明细"
        verbose_name_plural = "党费明细"
        ordering = ["period", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "period"], name="dues_line_member_period"),
            models.UniqueConstraint(fields=["sheet", "member"], name="dues_line_sheet_member"),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0)
                & Q(extra_amount__gte=0)
                & Q(extra_paid__gte=0)
                & Q(standard_amount__gte=0),
                name="dues_line_amounts",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "period"], name="dues_line_org_period"),
            models.Index(fields=["station", "period"], name="dues_line_station_period"),
            models.Index(fields=["member", "payment"], name="dues_line_member_payment"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {period_label(self.period)} {self.amount_due}"

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def payable(self) -> Decimal:
        return self.amount_due + self.extra_amount

    @property
    def is_paid(self) -> bool:
        return self.payment_id is not None

    @property
    def is_waived(self) -> bool:
        return self.payment_id is None and self.amount_due == 0

    @property
    def status_label(self) -> str:
        if self.is_paid:
            return "已缴"
        return "免交" if self.amount_due == 0 else "未缴"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "转账"
    ONLINE = "online", "在线支付"


OFFLINE_METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER)


class DuesPayment(TimeStampedModel):  # type: ignore[django-manager-missing]
    """Money received for one or more months of one member. `amount` is everything received:
    the lines' amounts due plus `extra_amount` (自愿多交, and any surplus of an online payment)."""

    member = models.ForeignKey(
        "members.MemberProfile", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_payments"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    receipt_no = models.CharField("收据编号", max_length=32, unique=True)
    method = models.CharField("缴纳方式", max_length=12, choices=PaymentMethod.choices)
    amount = money_field("实收金额（元）")
    extra_amount = money_field("其中自愿多交（元）", default=Decimal("0.00"))
    paid_at = models.DateTimeField("缴纳时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider = models.CharField("支付渠道", max_length=20, blank=True)
    provider_transaction_id = models.CharField("渠道交易号", max_length=64, blank=True)
    order = models.OneToOneField(
        "dues.PaymentOrder",
        verbose_name="支付订单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    objects: ClassVar[models.Manager[DuesPayment]] = _scoped()

    class Meta:
        verbose_name = "党费缴纳记录"
        verbose_name_plural = "党费缴纳记录"
        ordering = ["-paid_at", "-id"]
        constraints = [
            # One payment per provider transaction, however often the provider calls back.
            models.UniqueConstraint(
                fields=["provider", "provider_transaction_id"],
                condition=~Q(provider=""),
                name="dues_payment_provider_txn",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(extra_amount__gte=0), name="dues_payment_amounts"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-paid_at"], name="dues_payment_org_paid"),
            models.Index(fields=["member", "-paid_at"], name="dues_payment_member_paid"),
        ]

    def __str__(self) -> str:
        return f"收据 {self.receipt_no}"

    def get_absolute_url(self) -> str:
        return reverse("dues:receipt", kwargs={"pk": self.pk})


class OrderStatus(models.TextChoices):
    PENDING = "pending", "待支付"
    PAID = "paid", "已支付"
    CLOSED = "closed", "已关闭"


class PaymentOrder(TimeStampedModel):
    """An online order at a payment provider for some of a member's months (and an optional extra)."""

    number = models.CharField("订单号", max_length=40, unique=True)
    member = models.ForeignKey(
        "members.MemberProfile", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_orders"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    provider = models.CharField("支付渠道", max_length=20)
    amount = money_field("订单金额（元）")
    extra_amount = money_field("其中自愿多交（元）", default=Decimal("0.00"))
    lines = models.ManyToManyField(
        DuesLine, verbose_name="缴纳月份", related_name="orders", through="dues.OrderLine"
    )
    status = models.CharField("状态", max_length=12, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)

    objects: ClassVar[models.Manager[PaymentOrder]] = _scoped()

    class Meta:
        verbose_name = "在线支付订单"
        verbose_name_plural = "在线支付订单"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="dues_order_amount")]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """One month (line) of an online order. `open` is true while the order is pending (待支付) and false once
    it is paid or closed; the database keeps each month in at most one open order, so however many
    requests arrive at once, a member has one order to pay for a month and cannot be charged for it twice."""

    order = models.ForeignKey(
        PaymentOrder, verbose_name="支付订单", on_delete=models.CASCADE, related_name="order_lines"
    )
    line = models.ForeignKey(DuesLine, verbose_name="缴纳月份", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    open = models.BooleanField("待支付", default=True)

    objects: ClassVar[models.Manager[OrderLine]] = _scoped()

    class Meta:
        verbose_name = "支付订单月份"
        verbose_name_plural = "支付订单月份"
        constraints = [
            models.UniqueConstraint(fields=["order", "line"], name="dues_order_line_unique"),
            # One open (pending) order per member and month: a line is one member's one month.
            models.UniqueConstraint(fields=["line"], condition=Q(open=True), name="dues_order_line_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.line_id}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "党费缴纳提醒"
    ALERT = "alert", "连续6个月未交党费预警"


class DuesNotice(models.Model):
    """A reminder (one per member a month) or a 6-month arrears alert (one per unpaid streak) sent."""

    member = models.ForeignKey(
        "members.MemberProfile", verbose_name="党员", on_delete=models.CASCADE, related_name="dues_notices"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=12, choices=NoticeKind.choices)
    period = models.DateField("所涉月份")
    sent_at = models.DateTimeField("发送时间", default=timezone.now)

    objects: ClassVar[models.Manager[DuesNotice]] = _scoped()

    class Meta:
        verbose_name = "党费提醒记录"
        verbose_name_plural = "党费提醒记录"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "kind", "period"], name="dues_notice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {period_label(self.period)}"
