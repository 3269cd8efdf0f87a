"""Builders of the funds tests: entries recorded through the service, and small uploads."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangjian.funding import services
from dangjian.funding.models import Entry

YEAR = 2025  # a past year: the tests do not depend on the day they run
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def on(month: int, day: int = 10, year: int = YEAR) -> date:
    return date(year, month, day)


def record(
    actor: Any,
    station: Any,
    kind: str,
    line: str,
    amount: str | Decimal,
    *,
    when: date | None = None,
    building: Any = None,
    summary: str = "",
    voucher: Any = None,
) -> Entry:
    return services.entry_record(
        actor=actor,
        data=services.EntryInput(
            station=station,
            kind=kind,
            line=line,
            amount=amount,
            occurred_on=when or on(3),
            summary=summary or ("收到经费" if kind == "income" else "支付费用"),
            counterparty="泰州市海陵区委组织部" if kind == "income" else "泰州凤城广告有限公司",
            building=building,
            voucher=voucher,
        ),
    )


def pdf_upload(name: str = "发票.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name: str = "收据.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def html_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "发票.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
