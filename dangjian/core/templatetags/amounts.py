"""`{{ amount|yuan }}`: money with two decimals and a comma every three digits (1,234,567.80).

Django's zh-Hans locale groups by four digits with no separator, so `floatformat:"2g"` prints 1234567.80;
financial figures in Chinese are written with thousands separators, as the dues texts already are."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{amount:,.2f}"
