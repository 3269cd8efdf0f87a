"""Cards of funds on the work page (工作台): for a station's admins and party-affairs workers (and HQ),
this year's expenses recorded without a voucher (凭证), and a shortcut to the ledger for those who read it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangjian.core.workcards import register_card
from dangjian.funding import selectors


def expenses_without_voucher(user: Any) -> int:
    return selectors.expenses_without_voucher(user, timezone.localdate().year)


register_card(
    key="funding.no_voucher",
    title="支出未上传凭证",
    icon="receipt",
    url="funding:ledger",
    query="?kind=expense",
    roles="funding.keep_any",
    count=expenses_without_voucher,
    order=72,
    unit="笔",
    hint="今年登记的支出中尚无发票、收据等凭证的",
)
register_card(
    key="funding.ledger",
    title="经费台账",
    icon="journal-text",
    url="funding:ledger",
    roles="funding.enter",
    order=72,
)
