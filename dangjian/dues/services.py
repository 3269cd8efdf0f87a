"""Writes of party-dues collection (党费收缴, DB3212/T 1124 §6.3; §8 dues as a funding source) under the
2008 national rule (中组发〔2008〕3号).

Every function is atomic, checks the actor's permission, runs in the organisation's station scope
(django-scopes: dues are personal data), writes the audit log, and notifies people once the transaction
commits. Refusals are `ValidationError`s with a Chinese message and a code.

Online payments (orders and provider callbacks) are in `dangjian.dues.online`; reminders and arrears
alerts in `dangjian.dues.reminders`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django_scopes import scope

from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.dues.amounts import ZERO, DuesRuleError, ReliefKind, farmer_monthly, require_decimal, to_fen
from dangjian.dues.models import (
    DuesLine,
    DuesPayment,
    DuesRelief,
    DuesSheet,
    IncomeDeclaration,
    OrganizationDuesSetting,
    PaymentMethod,
)
from dangjian.dues.periods import add_months, month_start, months_between, period_label
from dangjian.dues.pricing import Pricer, rule_in_force
from dangjian.dues.signals import PeriodSummary, dues_period_closed
from dangjian.members.models import ACTIVE_STATUSES, MemberProfile
from dangjian.organizations.models import PartyOrganization

# 2008 rule: 党员应当增强党员意识，主动按月交纳党费；补交一般不超过 6 个月（连续 6 个月不交纳党费的按党章处理）.
BACK_PAYMENT_MONTHS = 6
AHEAD_PAYMENT_MONTHS = 12
TREASURER_REFUSAL = "只有本党组织的书记或委员（党费收缴经办人）可以进行此操作"


# ---------------------------------------------------------------- shared helpers


@contextmanager
def station_scope(station_id: int) -> Iterator[None]:
    """Dues queries of one organisation run in its station's scope (DESIGN.md: personal data isolated)."""
    with scope(station=[station_id]):
        yield


def require_treasurer(actor: Any, organization: PartyOrganization) -> None:
    if not actor.has_perm("dues.manage_organization", organization):
        raise PermissionDenied(TREASURER_REFUSAL)


def current_period() -> date:
    return month_start(timezone.localdate())


def new_receipt_no(now: datetime | None = None) -> str:
    """`DF20260715` + 10 random hex digits: unique, unguessable, sortable by day."""
    day = timezone.localtime(now or timezone.now())
    return f"DF{day:%Y%m%d}{secrets.token_hex(5).upper()}"


def money(value: Any, what: str) -> Decimal:
    """A non-negative amount to the fen (docs/dues.md “金额与舍入规则”)."""
    amount = require_decimal(value, what)
    if amount < 0:
        raise ValidationError(f"{what}不能为负数", code="negative")
    return to_fen(amount)


def check_payable_periods(periods: Iterable[date], today: date | None = None) -> list[date]:
    """The distinct months, oldest first, if each may be paid now: back payment at most 6 months
    (2008 rule, 补交一般不超过6个月), payment ahead at most 12 months."""
    months = sorted(set(periods))
    if not months:
        raise ValidationError("请选择要缴纳的月份", code="no_months")
    now = month_start(today or timezone.localdate())
    too_old = [p for p in months if months_between(p, now) > BACK_PAYMENT_MONTHS]
    if too_old:
        labels = "、".join(period_label(p) for p in too_old)
        raise ValidationError(
            f"补交党费一般不超过 {BACK_PAYMENT_MONTHS} 个月：{labels}已超过补交期限，"
            "不能在线补交或直接登记，请与所在党组织联系，由党组织按规定处理",
            code="back_payment_too_old",
        )
    too_far = [p for p in months if months_between(now, p) > AHEAD_PAYMENT_MONTHS]
    if too_far:
        raise ValidationError(
            f"最多可预交 {AHEAD_PAYMENT_MONTHS} 个月的党费（至 {period_label(add_months(now, AHEAD_PAYMENT_MONTHS))}）",
            code="too_far_ahead",
        )
    return months


def active_members(organization: PartyOrganization) -> Any:
    return MemberProfile.objects.filter(organization=organization, status__in=ACTIVE_STATUSES)


# ---------------------------------------------------------------- sheets


@dataclass(frozen=True)
class Generation:
    sheet: DuesSheet
    created: int
    undeclared: list[MemberProfile]


def sheet_generate(*, organization: PartyOrganization, period: date, actor: Any) -> Generation:
    """Create the organisation's sheet for the month and one line per active member not yet billed for it.
    Idempotent: generating again adds only members who joined or declared since, and changes no line
    (unique (organisation, month) and (member, month); `get_or_create` + `bulk_create`)."""
    require_treasurer(actor, organization)
    if months_between(current_period(), period) > AHEAD_PAYMENT_MONTHS:
        raise ValidationError("只能生成本月及以后 12 个月以内的收缴表", code="too_far_ahead")
    with station_scope(organization.station_id), transaction.atomic():
        sheet = _locked_sheet(organization, period, actor)
        if sheet.is_closed:
            raise ValidationError(f"{sheet.label}收缴表已结账，不能再生成", code="closed")
        created, undeclared = fill_sheet(sheet, list(active_members(organization).select_related("user")))
        if created:
            record_event(
                actor=actor,
                action="dues.sheet.generate",
                target=sheet,
                station=organization.station,
                data={"period": sheet.period, "created": created, "undeclared": [m.pk for m in undeclared]},
            )
    return Generation(sheet, created, undeclared)


def _locked_sheet(organization: PartyOrganization, period: date, actor: Any) -> DuesSheet:
    """The month's sheet, created if missing, locked for the rest of the transaction so concurrent
    generations of one sheet run one after the other."""
    sheet, _ = DuesSheet.objects.get_or_create(
        organization=organization,
        period=period,
        defaults={"station_id": organization.station_id, "generated_by": actor},
    )
    return DuesSheet.objects.select_for_update().get(pk=sheet.pk)


def fill_sheet(sheet: DuesSheet, members: list[MemberProfile]) -> tuple[int, list[MemberProfile]]:
    """Bulk-create the missing lines of `members`; returns (created, members lacking a base declaration)."""
    billed = set(
        DuesLine.objects.filter(period=sheet.period, member_id__in=[m.pk for m in members]).values_list(
            "member_id", flat=True
        )
    )
    todo = [m for m in members if m.pk not in billed]
    pricer = Pricer(member_ids=[m.pk for m in todo], organization_ids=[sheet.organization_id])
    lines, undeclared = [], []
    for member in todo:
        line = _priced_line(pricer, sheet, member)
        if line is None:
            undeclared.append(member)
        else:
            lines.append(line)
    DuesLine.objects.bulk_create(lines)
    return len(lines), undeclared


def _priced_line(pricer: Pricer, sheet: DuesSheet, member: MemberProfile) -> DuesLine | None:
    priced = pricer.price(
        member_id=member.pk,
        dues_category=member.dues_category,
        organization_id=sheet.organization_id,
        period=sheet.period,
    )
    if priced is None:
        return None
    line = DuesLine(
        sheet=sheet,
        member=member,
        organization_id=sheet.organization_id,
        station_id=sheet.station_id,
        period=sheet.period,
        dues_category=member.dues_category,
    )
    priced.apply_to(line)
    return line


def ensure_member_lines(*, member: MemberProfile, periods: list[date], actor: Any) -> list[DuesLine]:
    """The member's lines of `periods`, creating those not yet generated (paying ahead, or a month whose
    sheet the treasurer has not generated yet). Runs inside the caller's transaction and scope."""
    existing = {line.period: line for line in DuesLine.objects.filter(member=member, period__in=periods)}
    missing = [p for p in periods if p not in existing]
    if missing:
        pricer = Pricer(member_ids=[member.pk], organization_ids=[member.organization_id])
        for period in missing:
            sheet = _locked_sheet(member.organization, period, actor)
            made = DuesLine.objects.filter(member=member, period=period).first()
            if made is not None:  # a concurrent request made it while we waited for the sheet's lock
                existing[period] = made
                continue
            if sheet.is_closed:
                raise ValidationError(f"{sheet.label}收缴表已结账，请与所在党组织联系", code="closed")
            line = _priced_line(pricer, sheet, member)
            if line is None:
                raise ValidationError(
                    f"尚未申报收入基数，无法计算{period_label(period)}的党费，请先向所在党组织申报",
                    code="undeclared",
                )
            line.save()
            existing[period] = line
    return [existing[p] for p in periods]


def refresh_unpaid_lines(*, member_ids: Iterable[int], organization_ids: Iterable[int], since: date) -> int:
    """Re-price the unpaid lines of `member_ids` from `since` on after a declaration, relief or setting
    changed; paid lines never change. Returns how many lines changed."""
    member_ids = list(member_ids)
    lines = list(
        DuesLine.objects.filter(
            member_id__in=member_ids, period__gte=since, payment__isnull=True
        ).select_related("member")
    )
    if not lines:
        return 0
    pricer = Pricer(member_ids=member_ids, organization_ids=organization_ids)
    changed = []
    for line in lines:
        priced = pricer.price(
            member_id=line.member_id,
            dues_category=line.member.dues_category,
            organization_id=line.organization_id,
            period=line.period,
        )
        if priced is not None and _differs(line, priced):
            priced.apply_to(line)
            line.dues_category = line.member.dues_category
            changed.append(line)
    fields = ["rule", "base", "standard_amount", "relief", "amount_due", "extra_amount", "dues_category"]
    DuesLine.objects.bulk_update(changed, fields)
    return len(changed)


def _differs(line: DuesLine, priced: Any) -> bool:
    return (
        line.rule_id,
        line.base,
        line.standard_amount,
        line.relief_id,
        line.amount_due,
        line.extra_amount,
    ) != (
        priced.rule.pk,
        priced.base,
        priced.standard_amount,
        priced.relief.pk if priced.relief else None,
        priced.amount_due,
        priced.extra_amount,
    )


# ---------------------------------------------------------------- closing a month


def sheet_close(*, sheet: DuesSheet, actor: Any) -> DuesSheet:
    """Close (结账) the month: no more lines are generated into it (late payments of its lines are still
    recorded). Sends `dues_period_closed` with the month's summary once the transaction commits."""
    organization = sheet.organization
    require_treasurer(actor, organization)
    with station_scope(organization.station_id), transaction.atomic():
        locked = DuesSheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.is_closed:
            raise ValidationError(f"{locked.label}收缴表已结账", code="closed")
        locked.closed_at, locked.closed_by = timezone.now(), actor
        locked.save(update_fields=["closed_at", "closed_by", "updated_at"])
        summary = period_summary(locked, organization)
        record_event(
            actor=actor,
            action="dues.sheet.close",
            target=locked,
            station=organization.station,
            data={"period": locked.period, "due": summary.due, "paid": summary.paid, "extra": summary.extra},
        )
        transaction.on_commit(
            lambda: dues_period_closed.send(sender=PeriodSummary, summary=summary, actor=actor)
        )
    return locked


def sheet_totals(sheet: DuesSheet) -> dict[str, Any]:
    """Due, paid, extra and member counts of a sheet, in one query."""
    paid = Q(payment__isnull=False)
    totals = DuesLine.objects.filter(sheet=sheet).aggregate(
        due=Sum("amount_due"),
        paid=Sum("amount_due", filter=paid),
        extra=Sum("extra_paid", filter=paid),
        members=Count("id"),
        paid_members=Count("id", filter=paid | Q(amount_due=0)),
    )
    return {
        key: to_fen(value) if isinstance(value, Decimal) else (value or ZERO) for key, value in totals.items()
    }


def rate_percent(paid: Decimal, due: Decimal) -> Decimal:
    """收缴率 in percent, one decimal, half up; a month with nothing due counts as fully collected."""
    if not due:
        return Decimal("100.0")
    return (Decimal(100) * paid / due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def period_summary(sheet: DuesSheet, organization: PartyOrganization) -> PeriodSummary:
    """The month's figures and a ready 党务公开 text (title and body) for the `dues_period_closed` signal."""
    totals = sheet_totals(sheet)
    rate = rate_percent(totals["paid"], totals["due"])
    title = f"{organization.name}{sheet.label}党费收缴情况公示"
    body = (
        f"<p>{sheet.label}，{organization.name}应交党费人数 {totals['members']} 人，已交清 {totals['paid_members']} 人；"
        f"应交党费 {totals['due']:,.2f} 元，实交 {totals['paid']:,.2f} 元，收缴率 {rate}%。</p>"
        f"<p>党员自愿多交党费 {totals['extra']:,.2f} 元。党费按《关于中国共产党党费收缴、使用和管理的规定》收缴。</p>"
    )
    return PeriodSummary(
        organization_id=organization.pk,
        organization_name=organization.name,
        station_id=organization.station_id,
        period_start=sheet.period,
        period_end=add_months(sheet.period, 1) - timedelta(days=1),
        due=totals["due"],
        paid=totals["paid"],
        extra=totals["extra"],
        rate_percent=rate,
        members=totals["members"],
        paid_members=totals["paid_members"],
        title=title,
        body_html=body,
    )


# ---------------------------------------------------------------- declarations, reliefs, settings


def declaration_save(
    *,
    member: MemberProfile,
    year: int,
    effective_month: int,
    monthly_base: Decimal,
    voluntary_extra: Decimal = ZERO,
    note: str = "",
    actor: Any,
) -> IncomeDeclaration:
    """Record the member's monthly base for `year` from `effective_month` (declaring the same month again
    corrects it); unpaid lines from that month on are re-priced."""
    organization = member.organization
    require_treasurer(actor, organization)
    base, extra = money(monthly_base, "月收入基数"), money(voluntary_extra, "每月自愿多交金额")
    with station_scope(organization.station_id), transaction.atomic():
        declaration, created = IncomeDeclaration.objects.update_or_create(
            member=member,
            year=year,
            effective_month=effective_month,
            defaults={
                "station_id": member.station_id,
                "monthly_base": base,
                "voluntary_extra": extra,
                "note": note,
                "declared_by": actor,
            },
        )
        record_event(
            actor=actor,
            action="dues.declaration.create" if created else "dues.declaration.update",
            target=declaration,
            station=organization.station,
            data={"member": member.pk, "from": declaration.effective_from, "base": base, "extra": extra},
        )
        refresh_unpaid_lines(
            member_ids=[member.pk], organization_ids=[organization.pk], since=declaration.effective_from
        )
    return declaration


def relief_approve(
    *,
    member: MemberProfile,
    kind: str,
    start: date,
    end: date | None,
    reason: str,
    actor: Any,
    reduced_amount: Decimal | None = None,
) -> DuesRelief:
    """Record the organisation's approval of a hardship reduction or waiver (2008 rule: 生活困难的党员经组织
    批准可少交或免交), with approver and reason; unpaid lines of the months it covers are re-priced."""
    organization = member.organization
    require_treasurer(actor, organization)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写减免理由"}, code="required")
    if kind == ReliefKind.REDUCTION:
        if reduced_amount is None:
            raise ValidationError({"reduced_amount": "减交须填写减交后的每月金额"}, code="required")
        reduced_amount = money(reduced_amount, "减交后每月金额")
    else:
        reduced_amount = None
    start, end = month_start(start), month_start(end) if end else None
    if end is not None and end < start:
        raise ValidationError({"end": "截止月份不能早于起始月份"}, code="order")
    with station_scope(organization.station_id), transaction.atomic():
        relief = DuesRelief.objects.create(
            member=member,
            organization=organization,
            station_id=member.station_id,
            kind=kind,
            reduced_amount=reduced_amount,
            start=start,
            end=end,
            reason=reason,
            approved_by=actor,
        )
        record_event(
            actor=actor,
            action="dues.relief.approve",
            target=relief,
            station=organization.station,
            data={"member": member.pk, "kind": kind, "amount": reduced_amount, "start": start, "end": end},
        )
        refresh_unpaid_lines(member_ids=[member.pk], organization_ids=[organization.pk], since=start)
    return relief


def setting_save(
    *, organization: PartyOrganization, farmer_amount: Decimal, actor: Any
) -> OrganizationDuesSetting:
    """Set the farmers' monthly amount (2008 rule: 0.20–1.00 yuan, set by the branch); unpaid lines of the
    organisation's farmer members are re-priced."""
    require_treasurer(actor, organization)
    with station_scope(organization.station_id), transaction.atomic():
        try:
            amount = farmer_monthly(rule_in_force(current_period()).ruleset(), money(farmer_amount, "金额"))
        except DuesRuleError as error:
            raise ValidationError({"farmer_amount": str(error)}, code="range") from error
        setting, _ = OrganizationDuesSetting.objects.update_or_create(
            organization=organization,
            defaults={"station_id": organization.station_id, "farmer_amount": amount, "updated_by": actor},
        )
        record_event(
            actor=actor,
            action="dues.setting.update",
            target=organization,
            station=organization.station,
            data={"farmer_amount": amount},
        )
        farmers = active_members(organization).filter(dues_category="farmer").values_list("pk", flat=True)
        refresh_unpaid_lines(
            member_ids=list(farmers), organization_ids=[organization.pk], since=date(2000, 1, 1)
        )
    return setting


# ---------------------------------------------------------------- payments recorded by the treasurer


def payment_record(
    *,
    organization: PartyOrganization,
    member: MemberProfile,
    periods: list[date],
    method: str,
    actor: Any,
    extra: Decimal = ZERO,
    paid_on: date | None = None,
    note: str = "",
) -> DuesPayment:
    """The treasurer records cash or a transfer for some of a member's months (paying back at most 6 months
    or ahead at most 12) plus an optional voluntary extra; the member gets the receipt in their inbox."""
    require_treasurer(actor, organization)
    if member.organization_id != organization.pk:
        raise ValidationError("该党员不属于本党组织", code="wrong_organization")
    if method not in (PaymentMethod.CASH, PaymentMethod.TRANSFER):
        raise ValidationError({"method": "请选择现金或转账"}, code="method")
    months = check_payable_periods(periods)
    extra = money(extra, "自愿多交金额")
    paid_at = _paid_at(paid_on)
    with station_scope(organization.station_id), transaction.atomic():
        lines = lock_unpaid_lines(ensure_member_lines(member=member, periods=months, actor=actor))
        payment = DuesPayment.objects.create(
            member=member,
            organization=organization,
            station_id=organization.station_id,
            receipt_no=new_receipt_no(),
            method=method,
            amount=sum((line.payable for line in lines), ZERO) + extra,
            extra_amount=sum((line.extra_amount for line in lines), ZERO) + extra,
            paid_at=paid_at,
            recorded_by=actor,
            note=note,
        )
        settle(lines, payment, one_off_extra=extra)
        record_event(
            actor=actor,
            action="dues.payment.record",
            target=payment,
            station=organization.station,
            data={"member": member.pk, "months": months, "method": method, "amount": payment.amount},
        )
        tell_payer(payment, lines)
    return payment


def _paid_at(paid_on: date | None) -> datetime:
    today = timezone.localdate()
    if paid_on is None or paid_on == today:
        return timezone.now()
    if paid_on > today:
        raise ValidationError({"paid_on": "缴纳日期不能晚于今天"}, code="future")
    return timezone.make_aware(datetime.combine(paid_on, datetime.min.time()).replace(hour=12))


def lock_unpaid_lines(lines: list[DuesLine]) -> list[DuesLine]:
    """The lines locked for the transaction, refusing any already paid or waived."""
    locked = list(
        DuesLine.objects.select_for_update().filter(pk__in=[line.pk for line in lines]).order_by("period")
    )
    paid = [line.label for line in locked if line.payment_id is not None]
    if paid:
        raise ValidationError(f"{'、'.join(paid)}的党费已缴纳，请勿重复缴纳", code="already_paid")
    waived = [line.label for line in locked if line.payable == 0]
    if waived:
        raise ValidationError(f"{'、'.join(waived)}经组织批准免交党费，无需缴纳", code="waived")
    return locked


def settle(lines: list[DuesLine], payment: DuesPayment, *, one_off_extra: Decimal = ZERO) -> None:
    """Mark the locked, unpaid `lines` paid by `payment`; each month's voluntary extra received is its
    pledge, and a one-off extra counts in the last month paid."""
    for line in lines:
        line.payment, line.paid_at, line.extra_paid = payment, payment.paid_at, line.extra_amount
    if lines:
        lines[-1].extra_paid += one_off_extra
    DuesLine.objects.bulk_update(lines, ["payment", "paid_at", "extra_paid"])


def tell_payer(payment: DuesPayment, lines: list[DuesLine]) -> None:
    months = "、".join(line.label for line in lines) or "—"
    notify(
        recipients=[payment.member.user],
        title=f"党费缴纳成功：{payment.amount} 元",
        body=f"已收到您{months}的党费，共 {payment.amount} 元（其中自愿多交 {payment.extra_amount} 元），收据编号 {payment.receipt_no}。",
        url=payment.get_absolute_url(),
        station=payment.organization.station,
    )
