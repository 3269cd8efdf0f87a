"""JSON API of party-dues collection (DB3212/T 1124 §6.3 党费收缴; 2008 national rule).

- `GET /me/dues?year=`: the caller's own lines of the year, unpaid total, payments and the months they may
  pay now (an empty record for someone without a member profile);
- `POST /me/dues/pay`: an online order for some of the caller's months → the provider's pay URL (201; the
  same months asked again get the same open order, other months while some are in it 409 `order_pending`;
  400 `online_unavailable` when no provider is enabled);
- `POST /me/dues/orders/{order}/cancel`: cancel one's own pending order so its months may be ordered again
  (400 `order_not_pending` once paid or closed; anyone else's order is a 404);
- `GET /organizations/{id}/dues-sheets/{year}-{month}`: an organisation's monthly sheet with totals and a
  page of lines, for its treasurer (secretary, officers) and the station's admins and workers (HQ too);
  anyone else gets 404.

Amounts are decimal strings in yuan to the fen ("45.68"), never floats. Every read is materialised inside
the caller's django-scopes scope (dues are personal data).
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from dangjian.core.api_errors import ApiError
from dangjian.core.api_schemas import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    ObjectId,
    PageQuery,
    with_errors,
    write_responses,
)
from dangjian.dues import online, selectors, services
from dangjian.dues.amounts import ZERO
from dangjian.dues.models import DuesLine, DuesPayment
from dangjian.dues.periods import FIRST_YEAR, LAST_YEAR, parse_period, period_key, period_label, period_of
from dangjian.dues.providers import online_payment_available, provider_named

router = Router(tags=["党费收缴"])

Money = Annotated[Decimal, Field(ge=0, le=Decimal("99999.99"), max_digits=7, decimal_places=2)]
MonthKey = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", description="月份，如 2026-07")]


class LineOut(Schema):
    period: str = Field(..., description="月份，如 2026-07")
    label: str
    dues_category: str
    base: Decimal | None = Field(None, description="收入基数（在职：税后月工资；离退休：月养老金）")
    standard_amount: Decimal = Field(..., description="按规定应交")
    amount_due: Decimal = Field(..., description="应交（减免后）")
    extra_amount: Decimal = Field(..., description="每月自愿多交")
    status: str = Field(..., description="paid 已缴 / unpaid 未缴 / waived 免交")
    status_label: str
    paid_at: datetime | None
    receipt_no: str | None


class SheetLineOut(LineOut):
    member_id: int
    member_name: str


class PaymentOut(Schema):
    id: int
    receipt_no: str
    method: str
    method_label: str
    amount: Decimal
    extra_amount: Decimal = Field(..., description="其中自愿多交")
    paid_at: datetime
    months: list[str]
    receipt_url: str


class PayOptionOut(Schema):
    period: str
    label: str
    amount: Decimal
    overdue: bool
    ahead: bool


class MyDuesOut(Schema):
    year: int
    is_member: bool
    organization: str | None
    unpaid_months: int
    unpaid_total: Decimal
    lines: list[LineOut]
    payments: list[PaymentOut] = Field(..., description="本年度的缴费记录")
    payable: list[PayOptionOut] = Field(
        ..., description="现在可缴纳的月份（补交不超过 6 个月，预交不超过 12 个月）"
    )
    online_payment: bool = Field(..., description="是否开通在线缴纳（未开通时 POST /me/dues/pay 答 400）")


class PayIn(Schema):
    months: list[MonthKey] = Field(..., min_length=1, max_length=24)
    extra: Money = Field(Decimal("0"), description="自愿多交金额（元），可为 0")


class OrderOut(Schema):
    order: str
    provider: str
    amount: Decimal
    extra_amount: Decimal
    months: list[str]
    pay_url: str


class SheetTotalsOut(Schema):
    due: Decimal
    paid: Decimal
    extra: Decimal
    rate_percent: Decimal
    members: int
    paid_members: int


class SheetOut(Schema):
    organization_id: int
    organization: str
    period: str
    label: str
    closed: bool
    totals: SheetTotalsOut
    count: int = Field(..., description="明细总数")
    page: int
    lines: list[SheetLineOut]


def line_data(line: DuesLine) -> dict[str, Any]:
    return {
        "period": period_key(line.period),
        "label": line.label,
        "dues_category": line.dues_category,
        "base": line.base,
        "standard_amount": line.standard_amount,
        "amount_due": line.amount_due,
        "extra_amount": line.extra_amount,
        "status": "paid" if line.is_paid else ("waived" if line.is_waived else "unpaid"),
        "status_label": line.status_label,
        "paid_at": line.paid_at,
        "receipt_no": line.payment.receipt_no if line.payment_id and line.payment else None,
    }


def payment_data(payment: DuesPayment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "receipt_no": payment.receipt_no,
        "method": payment.method,
        "method_label": payment.get_method_display(),
        "amount": payment.amount,
        "extra_amount": payment.extra_amount,
        "paid_at": payment.paid_at,
        "months": [period_key(line.period) for line in payment.lines.all()],
        "receipt_url": payment.get_absolute_url(),
    }


@router.get(
    "/me/dues",
    response=with_errors({200: MyDuesOut}, 401, 422),
    url_name="my_dues",
    summary="我的党费",
    description="本人某年度（默认今年）的党费明细、未缴合计、缴费记录和现在可缴纳的月份。",
)
def my_dues(
    request: HttpRequest, year: Annotated[int | None, Field(ge=FIRST_YEAR, le=LAST_YEAR)] = None
) -> dict[str, Any]:
    today = timezone.localdate()
    year = year or today.year
    with selectors.viewer_scope(request.user):
        profile = selectors.own_profile(request.user)
        if profile is None:
            return _no_dues(year)
        payments = selectors.member_payments(profile).filter(
            paid_at__gte=_year_start(year), paid_at__lt=_year_start(year + 1)
        )
        unpaid = selectors.member_unpaid(profile, today)
        return {
            "year": year,
            "is_member": True,
            "organization": profile.organization.name,
            "unpaid_months": unpaid["months"],
            "unpaid_total": unpaid["total"],
            "online_payment": online_payment_available(),
            "lines": [line_data(line) for line in selectors.member_lines(profile, year)],
            "payments": [payment_data(p) for p in payments.prefetch_related("lines")],
            "payable": [
                {
                    "period": o.key,
                    "label": o.label,
                    "amount": o.amount,
                    "overdue": o.overdue,
                    "ahead": o.ahead,
                }
                for o in selectors.pay_options(profile, today)
            ],
        }


def _year_start(year: int) -> datetime:
    return timezone.make_aware(datetime(year, 1, 1))


def _no_dues(year: int) -> dict[str, Any]:
    return {
        "year": year,
        "is_member": False,
        "organization": None,
        "unpaid_months": 0,
        "unpaid_total": ZERO,
        "online_payment": online_payment_available(),
        "lines": [],
        "payments": [],
        "payable": [],
    }


# Refusals of `order_create` with their own status and code (the rest: 400 with the service's code).
ORDER_REFUSALS = {"online_unavailable": 400, "order_pending": 409}
PAY_REFUSALS = (
    "online_unavailable",
    "invalid",
    "inactive",
    "provider",
    "no_months",
    "back_payment_too_old",
    "too_far_ahead",
    "already_paid",
    "waived",
    "closed",
    "undeclared",
    "negative",
    "conflict",
)


@router.post(
    "/me/dues/pay",
    response=with_errors(
        {201: OrderOut},
        401,
        422,
        e400=PAY_REFUSALS,
        e403=("not_a_member", "forbidden"),
        e409=("order_pending",),
    ),
    url_name="my_dues_pay",
    summary="在线缴纳党费",
    description=(
        "为本人所选月份（补交一般不超过 6 个月，预交不超过 12 个月）创建在线支付订单，返回支付渠道的支付页面地址 "
        "`pay_url`。同样的月份再次提交时返回同一笔待支付订单（不会重复下单）；所选月份已在另一笔待支付订单中：409 "
        "`order_pending`。未开通在线缴纳：400 `online_unavailable`。不是党员：403 `not_a_member`；月份已缴、"
        "超过补交期限等：400，`code` 为具体原因（如 `already_paid`、`back_payment_too_old`），附中文说明。"
    ),
)
def my_dues_pay(request: HttpRequest, payload: PayIn) -> Status:
    periods = [parse_period(key) for key in payload.months]
    if any(period is None for period in periods):
        raise ApiError(422, "invalid", "月份不正确，应为如 2026-07 的年月")
    with selectors.viewer_scope(request.user):
        profile = selectors.own_profile(request.user)
        if profile is None:
            raise ApiError(403, "not_a_member", "您还没有党员档案，无需缴纳党费")
        try:
            order = online.order_create(
                member=profile,
                periods=[p for p in periods if p is not None],
                extra=payload.extra,
                actor=request.user,
            )
        except ValidationError as error:
            status = ORDER_REFUSALS.get(str(error.code))
            if status is None:
                raise
            raise ApiError(status, str(error.code), "；".join(error.messages)) from None
        provider = provider_named(order.provider)
        assert provider is not None
        months = [period_key(line.period) for line in order.lines.order_by("period")]
    return Status(
        201,
        {
            "order": order.number,
            "provider": order.provider,
            "amount": order.amount,
            "extra_amount": order.extra_amount,
            "months": months,
            "pay_url": provider.pay_url(order),
        },
    )


class OrderCancelledOut(Schema):
    order: str
    status: str


@router.post(
    "/me/dues/orders/{order}/cancel",
    response=write_responses({200: OrderCancelledOut}, e400=("order_not_pending",)),
    url_name="my_dues_order_cancel",
    summary="取消本人的待支付订单",
    description=(
        "取消本人尚未支付的在线缴费订单，其中的月份可以重新下单（例如改选月份或金额）。订单已支付或已关闭：400 "
        "`order_not_pending`；不是本人的订单：404。待支付订单 2 小时后也会自动关闭。"
    ),
)
def my_dues_order_cancel(request: HttpRequest, order: str) -> dict[str, str]:
    with selectors.viewer_scope(request.user):
        found = selectors.access_order(user=request.user, number=order)
        try:
            cancelled = online.order_cancel(order=found, actor=request.user)
        except ValidationError as error:
            raise ApiError(400, str(error.code), "；".join(error.messages)) from None
    return {"order": cancelled.number, "status": cancelled.status}


@router.get(
    "/organizations/{organization_id}/dues-sheets/{year}-{month}",
    response=with_errors({200: SheetOut}, 401, 404, 422),
    url_name="dues_sheet",
    summary="党组织月度党费收缴表",
    description=(
        "本组织书记、委员及所在站点管理员、党务工作者（总站可看全部）可查看；其他人或尚未生成的月份：404。"
        f"明细按 `page`、`page_size` 分页（默认 {DEFAULT_PAGE_SIZE} 条，最多 {MAX_PAGE_SIZE} 条）。"
    ),
)
def dues_sheet(
    request: HttpRequest, organization_id: ObjectId, year: int, month: int, paging: Query[PageQuery]
) -> dict[str, Any]:
    period = period_of(year, month)
    if period is None:
        raise Http404
    with selectors.viewer_scope(request.user):
        sheet = selectors.access_sheet(user=request.user, organization=organization_id, period=period)
        return _sheet_data(sheet, sheet.organization, paging)


def _sheet_data(sheet: Any, organization: Any, paging: PageQuery) -> dict[str, Any]:
    totals = services.sheet_totals(sheet)
    size = min(paging.page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    lines = selectors.sheet_lines(sheet)
    start = (paging.page - 1) * size
    return {
        "organization_id": organization.pk,
        "organization": organization.name,
        "period": period_key(sheet.period),
        "label": period_label(sheet.period),
        "closed": sheet.is_closed,
        "totals": {**totals, "rate_percent": services.rate_percent(totals["paid"], totals["due"])},
        "count": totals["members"],
        "page": paging.page,
        "lines": [
            {**line_data(line), "member_id": line.member_id, "member_name": line.member.user.display_name}
            for line in lines[start : start + size]
        ],
    }
