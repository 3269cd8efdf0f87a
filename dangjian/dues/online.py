"""Online dues payment (党费在线缴纳, DB3212/T 1124 §6.3): orders and provider callbacks.

A member orders some months (back at most 6, ahead at most 12 — the 2008 rule's 补交一般不超过6个月) and is
sent to the provider's page. A month is in at most one open (pending) order — a partial unique constraint on
`OrderLine`, so it holds on PostgreSQL as on SQLite however many requests arrive at once: asking again for
the same months (a double click, a retried request) returns the open order, and asking for other months
while some are in an open order is refused (`order_pending`) until that order is paid, cancelled by the
member or closed after `ORDER_LIFETIME`; so no month is charged twice.

The provider's callback is signature-verified (constant-time compare), amount-checked against the order, and
idempotent: however often and however concurrently the same callback arrives, exactly one `DuesPayment` is
recorded —

1. the order row is locked (`select_for_update`; on SQLite the IMMEDIATE transaction serialises writers);
2. a payment of the same (provider, transaction id) already recorded is answered as a duplicate;
3. the unique constraint on (provider, provider_transaction_id) and the one-payment-per-order relation
   catch anything that slips past, and the `IntegrityError` is answered as a duplicate too.

Refused callbacks (forged signature, wrong amount, unknown order…) change nothing and are audited as
`dues.callback.refused`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.core.audit import record_event
from dangjian.dues.amounts import ZERO
from dangjian.dues.models import (
    DuesLine,
    DuesPayment,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentOrder,
)
from dangjian.dues.periods import period_label
from dangjian.dues.providers import (
    CallbackRefused,
    DemoProvider,
    PaymentNotice,
    PaymentProvider,
    default_provider,
    provider_named,
)
from dangjian.dues.services import (
    check_payable_periods,
    ensure_member_lines,
    lock_unpaid_lines,
    money,
    new_receipt_no,
    settle,
    station_scope,
    tell_payer,
)
from dangjian.members.models import ACTIVE_STATUSES, MemberProfile

ONLINE_UNAVAILABLE = "暂未开通在线缴纳党费，请通过现金或转账向所在党组织缴纳"
# A pending order closes by itself after this long (the providers' own orders expire within hours), so
# months left in an abandoned order can be ordered again, with other months or another amount.
ORDER_LIFETIME = timedelta(hours=2)


@dataclass(frozen=True)
class CallbackResult:
    payment: DuesPayment
    duplicate: bool


def new_order_number() -> str:
    return f"DO{timezone.localtime():%Y%m%d}{secrets.token_hex(8).upper()}"


def order_create(
    *,
    member: MemberProfile,
    periods: list[date],
    actor: Any,
    extra: Decimal = ZERO,
    provider: str | None = None,
) -> PaymentOrder:
    """An online order for the member's own months plus an optional voluntary extra (自愿多交), at
    `provider` (default: the default enabled provider).

    If an open order has exactly these months, extra and provider, that order is returned (nothing new is
    written); if some of the months are in another open order, `ValidationError` (`order_pending`)."""
    if member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("只能为本人缴纳党费")
    if member.status not in ACTIVE_STATUSES:
        raise ValidationError("您的党籍状态不需要缴纳党费，请与所在党组织联系", code="inactive")
    provider = provider or default_provider()
    if provider is None:
        raise ValidationError(ONLINE_UNAVAILABLE, code="online_unavailable")
    if provider_named(provider) is None:
        raise ValidationError("未知或未开通的支付渠道", code="provider")
    months = check_payable_periods(periods)
    extra = money(extra, "自愿多交金额")
    with station_scope(member.station_id), transaction.atomic():
        lines = lock_unpaid_lines(ensure_member_lines(member=member, periods=months, actor=actor))
        existing = _open_order_of(lines, provider=provider, extra=extra)
        if existing is not None:
            return existing
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
                order = PaymentOrder.objects.create(
                    number=new_order_number(),
                    member=member,
                    organization_id=member.organization_id,
                    station_id=member.station_id,
                    provider=provider,
                    amount=sum((line.payable for line in lines), ZERO) + extra,
                    extra_amount=sum((line.extra_amount for line in lines), ZERO) + extra,
                )
                OrderLine.objects.bulk_create(
                    OrderLine(order=order, line=line, station_id=member.station_id) for line in lines
                )
        except IntegrityError:
            # Another request put one of these months in an open order since we looked (the unique
            # constraint `dues_order_line_one_open`): answer with that order, or refuse as above.
            existing = _open_order_of(lines, provider=provider, extra=extra)
            if existing is None:
                raise
            return existing
        record_event(
            actor=actor,
            action="dues.order.create",
            target=order,
            station=member.station,
            data={"months": months, "amount": order.amount, "provider": provider},
        )
    return order


def _open_order_of(lines: list[DuesLine], *, provider: str, extra: Decimal) -> PaymentOrder | None:
    """The open order of exactly `lines` (same provider and extra), None if none of them is in an open
    order; `ValidationError` (`order_pending`) if some are in an open order for other months or amounts."""
    claims = list(
        OrderLine.objects.filter(line__in=lines, open=True)
        .select_related("order", "line")
        .order_by("line__period")
    )
    if not claims:
        return None
    order = claims[0].order
    wanted = {line.pk for line in lines}
    same = (
        all(claim.order_id == order.pk for claim in claims)
        and set(OrderLine.objects.filter(order=order).values_list("line_id", flat=True)) == wanted
        and order.provider == provider
        and order.extra_amount == sum((line.extra_amount for line in lines), ZERO) + extra
    )
    if same and order.status == OrderStatus.PENDING:
        return order
    months = "、".join(period_label(claim.line.period) for claim in claims)
    numbers = "、".join(dict.fromkeys(claim.order.number for claim in claims))
    raise ValidationError(
        f"{months}的党费已在待支付订单 {numbers} 中，请先完成该订单的支付，不要重复下单",
        code="order_pending",
    )


def callback_receive(*, provider_name: str, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
    """Act on a provider's callback: record the order's payment once, or refuse (and audit) it.

    Runs unscoped: the provider is the platform's own system partner, and the order it names decides
    the station."""
    provider = provider_named(provider_name)
    if provider is None:
        raise CallbackRefused("unknown_provider", "未知或未开通的支付渠道")
    try:
        notice = provider.verify_callback(body, headers)
        with scopes_disabled():
            return _apply(provider, notice)
    except CallbackRefused as refusal:
        _audit_refusal(provider_name, refusal, body)
        raise


def _apply(provider: PaymentProvider, notice: PaymentNotice) -> CallbackResult:
    with transaction.atomic():
        order = (
            PaymentOrder.objects.select_for_update(of=("self",))
            .filter(number=notice.order_number, provider=provider.name)
            .select_related("member__user", "organization__station")
            .first()
        )
        if order is None:
            raise CallbackRefused("unknown_order", "订单不存在")
        if notice.amount != order.amount:
            raise CallbackRefused(
                "amount_mismatch", f"回调金额 {notice.amount} 元与订单金额 {order.amount} 元不符", order=order
            )
        recorded = _recorded(provider, notice)
        if recorded is not None:
            return CallbackResult(recorded, duplicate=True)
        if order.status == OrderStatus.PAID:
            raise CallbackRefused(
                "order_not_pending", f"订单状态为“{order.get_status_display()}”", order=order
            )
        # a closed order (cancelled by the member, or expired) that the provider still reports paid: the
        # money was taken, so it is recorded; months paid meanwhile count as voluntary extra (`_record`)
        return _record(provider, notice, order)


def _recorded(provider: PaymentProvider, notice: PaymentNotice) -> DuesPayment | None:
    return DuesPayment.objects.filter(
        provider=provider.name, provider_transaction_id=notice.transaction_id
    ).first()


def _record(provider: PaymentProvider, notice: PaymentNotice, order: PaymentOrder) -> CallbackResult:
    lines = list(
        DuesLine.objects.select_for_update()
        .filter(pk__in=order.lines.values("pk"), payment__isnull=True)
        .order_by("period")
    )
    due = sum((line.amount_due for line in lines), ZERO)
    one_off = notice.amount - sum((line.payable for line in lines), ZERO)  # the order's extra (+ any surplus)
    surplus = one_off - order.extra_amount
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                member=order.member,
                organization=order.organization,
                station_id=order.station_id,
                receipt_no=new_receipt_no(),
                method=PaymentMethod.ONLINE,
                amount=notice.amount,
                extra_amount=notice.amount - due,
                paid_at=notice.paid_at,
                provider=provider.name,
                provider_transaction_id=notice.transaction_id,
                order=order,
                note=f"部分月份已以其他方式缴纳，多收 {surplus} 元计为自愿多交" if surplus > 0 else "",
            )
    except IntegrityError:
        existing = _recorded(provider, notice)
        if existing is None:
            raise
        return CallbackResult(existing, duplicate=True)
    settle(lines, payment, one_off_extra=one_off)
    order.status, order.paid_at = OrderStatus.PAID, notice.paid_at
    order.save(update_fields=["status", "paid_at", "updated_at"])
    OrderLine.objects.filter(order=order).update(open=False)  # its months may be ordered again (if unpaid)
    record_event(
        actor=order.member.user,
        action="dues.payment.online",
        target=payment,
        station=order.organization.station,
        data={"order": order.number, "transaction": notice.transaction_id, "amount": notice.amount},
    )
    tell_payer(payment, lines)
    return CallbackResult(payment, duplicate=False)


def _audit_refusal(provider_name: str, refusal: CallbackRefused, body: bytes) -> None:
    order = refusal.order
    record_event(
        actor=None,
        action="dues.callback.refused",
        target=order,
        station=order.organization.station if order is not None else None,
        data={
            "provider": provider_name[:20],
            "code": refusal.code,
            "message": refusal.message,
            "body_sha256": hashlib.sha256(body).hexdigest(),
        },
    )


def order_cancel(*, order: PaymentOrder, actor: Any) -> PaymentOrder:
    """The member cancels their own pending order (取消订单): it closes and its months may be ordered
    again. A payment the provider still reports for it later is recorded all the same (`_apply`)."""
    if order.member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("只能取消本人的订单")
    with station_scope(order.station_id), transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.PENDING:
            raise ValidationError(
                f"订单 {locked.number} 状态为“{locked.get_status_display()}”，不能取消",
                code="order_not_pending",
            )
        _close(locked)
        record_event(
            actor=actor,
            action="dues.order.cancel",
            target=locked,
            station=locked.station,
            data={"amount": locked.amount},
        )
    return locked


def _close(order: PaymentOrder) -> None:
    order.status = OrderStatus.CLOSED
    order.save(update_fields=["status", "updated_at"])
    OrderLine.objects.filter(order=order).update(open=False)


def orders_expire(*, now: datetime | None = None) -> int:
    """Close the pending orders older than ORDER_LIFETIME (a beat task); the number closed."""
    cutoff = (now or timezone.now()) - ORDER_LIFETIME
    closed = 0
    with scopes_disabled():
        stale = list(
            PaymentOrder.objects.filter(status=OrderStatus.PENDING, created_at__lt=cutoff).values_list(
                "pk", flat=True
            )[:1000]
        )
        for pk in stale:
            with transaction.atomic():
                order = (
                    PaymentOrder.objects.select_for_update().filter(pk=pk, status=OrderStatus.PENDING).first()
                )
                if order is None:  # paid or cancelled meanwhile
                    continue
                _close(order)
                record_event(
                    actor=None,
                    action="dues.order.expire",
                    target=order,
                    station=order.station,
                    data={"amount": order.amount},
                )
                closed += 1
    return closed


def demo_pay(*, order: PaymentOrder, actor: Any) -> CallbackResult:
    """The demo gateway's payer page confirmed: the gateway sends its signed callback, exactly the bytes
    and header it would POST to `/dues/callback/demo/`, to the same receiver that endpoint calls."""
    if order.member.user_id != getattr(actor, "pk", None) or order.provider != DemoProvider.name:
        raise PermissionDenied("只能支付本人的订单")
    provider = provider_named(DemoProvider.name)
    if not isinstance(provider, DemoProvider):
        raise CallbackRefused("unknown_provider", "演示支付通道未开通")
    body, headers = provider.signed_callback(provider.notice_for(order))
    return callback_receive(provider_name=provider.name, body=body, headers=headers)
