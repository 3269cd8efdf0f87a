"""Money of the ledger as `Decimal`, checked once for every way it comes in (form, API, seed): pure."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # 12 digits, 2 of them decimals (the column's size)


def parse_amount(value: Any, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A positive amount in yuan with at most two decimals (zero too when `allow_zero`: a budget line);
    anything else is a ValidationError in Chinese on `field`."""

    def refuse(message: str, code: str) -> ValidationError:
        return ValidationError({field: ValidationError(message, code=code)})

    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError) as exc:
        raise refuse("请填写金额，如 1200.50", "amount_invalid") from exc
    if not amount.is_finite():
        raise refuse("请填写金额，如 1200.50", "amount_invalid")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise refuse("金额不能为负数" if allow_zero else "金额须大于零", "amount_not_positive")
    if amount > MAX_AMOUNT:
        raise refuse("金额过大，请核对", "amount_too_large")
    if amount != amount.quantize(CENT):
        raise refuse("金额最多保留两位小数（分）", "amount_invalid")
    return amount.quantize(CENT)


def yuan(amount: Decimal) -> str:
    """`12,345.60` (thousands separators, two decimals) for pages and messages."""
    return f"{amount:,.2f}"
