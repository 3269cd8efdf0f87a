"""Writes of funds: record an entry (with its voucher), reverse one (冲销), add a voucher, set a station's
budget of a year, and the audit of exports. Each authorises first (`require_perm`), writes in one
transaction and audits (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core.audit import record_event
from dangjian.core.forms import validate_date_range
from dangjian.core.services import refusal, require_perm
from dangjian.core.uploads import FileKind, check_upload
from dangjian.funding.amounts import parse_amount
from dangjian.funding.models import Budget, Entry, EntryKind, Voucher, line_choices, line_label
from dangjian.stations.models import Building, Station

VOUCHER_KINDS = (FileKind.PDF, FileKind.IMAGE)
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class EntryInput:
    station: Station
    kind: str
    line: str
    amount: Any  # parsed by `parse_amount`: Decimal, str or int
    occurred_on: date
    summary: str
    counterparty: str = ""
    building: Building | None = None
    voucher: UploadedFile | None = None


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise refusal(f"{label}含有无法保存的字符", "invalid", field)
    if required and not text:
        raise refusal(f"请填写{label}", "required", field)
    if len(text) > max_length:
        raise refusal(f"{label}不能超过 {max_length} 字", "too_long", field)
    return text


def _check_entry(data: EntryInput) -> Decimal:
    if data.kind not in EntryKind.values:
        raise refusal("请选择收入或支出", "invalid", "kind")
    if data.line not in dict(line_choices(data.kind)):
        what = "收入来源" if data.kind == EntryKind.INCOME else "支出类别"
        raise refusal(f"请选择{what}", "invalid_line", "line")
    if data.building is not None and data.building.station_id != data.station.pk:
        raise refusal("所选楼宇不属于该站点", "wrong_building", "building")
    try:
        validate_date_range(data.occurred_on)
    except ValidationError as error:
        raise refusal(error.messages[0], "invalid_date", "occurred_on") from error
    if data.occurred_on > timezone.localdate():
        raise refusal("发生日期不能晚于今天", "future_date", "occurred_on")
    return parse_amount(data.amount)


def entry_record(*, actor: Any, data: EntryInput) -> Entry:
    """Record an income or an expense of a station (optionally of one of its buildings), with its
    voucher when given (a PDF or an image, judged by its bytes)."""
    require_perm(actor, "funding.record", data.station)
    amount = _check_entry(data)
    entry = Entry(
        station=data.station,
        building=data.building,
        kind=data.kind,
        line=data.line,
        amount=amount,
        occurred_on=data.occurred_on,
        summary=_text(data.summary, field="summary", label="摘要", max_length=200),
        counterparty=_text(
            data.counterparty, field="counterparty", label="往来单位或个人", max_length=100, required=False
        ),
        recorded_by=actor,
    )
    checked = _checked_voucher(data.voucher, field="voucher") if data.voucher is not None else None
    with transaction.atomic():
        entry.save()
        record_event(
            actor=actor,
            action="funding.entry.record",
            target=entry,
            station=data.station,
            data={
                "kind": entry.kind,
                "line": entry.line,
                "amount": str(amount),
                "occurred_on": entry.occurred_on.isoformat(),
                "building": entry.building_id,
            },
        )
        if checked is not None and data.voucher is not None:
            _save_voucher(actor, entry, checked, data.voucher.name or "")
    return entry


def entry_reverse(*, actor: Any, entry: Entry, reason: str) -> Entry:
    """Correct a mistaken entry by a reversing entry (冲销): same station, building, kind and line, the
    opposite amount, dated like the original so that its year's figures come right. An entry is reversed
    at most once (the original row is locked, and the database's unique constraint backs it), and a
    reversal is never itself reversed."""
    require_perm(actor, "funding.record", entry)
    why = _text(reason, field="reason", label="冲销原因", max_length=300)
    try:
        with transaction.atomic():
            locked = Entry.objects.select_for_update(of=("self",)).select_related("station").get(pk=entry.pk)
            if locked.reverses_id is not None:
                raise refusal("冲销记录不能再冲销", "is_reversal")
            if Entry.objects.filter(reverses_id=locked.pk).exists():
                raise refusal("该记录已冲销，不能重复冲销", "already_reversed")
            reversal = Entry(
                station_id=locked.station_id,
                building_id=locked.building_id,
                kind=locked.kind,
                line=locked.line,
                amount=-locked.amount,
                occurred_on=locked.occurred_on,
                summary=f"冲销：{locked.summary}"[:200],
                counterparty=locked.counterparty,
                reverses=locked,
                reason=why,
                recorded_by=actor,
            )
            reversal.save()
            record_event(
                actor=actor,
                action="funding.entry.reverse",
                target=reversal,
                station=locked.station,
                data={"reverses": locked.pk, "amount": str(reversal.amount), "reason": why},
            )
    except IntegrityError as exc:  # a reversal committed between our check and our insert
        raise refusal("该记录已冲销，不能重复冲销", "already_reversed") from exc
    return reversal


def _checked_voucher(upload: UploadedFile, *, field: str) -> Any:
    try:
        return check_upload(upload, kinds=VOUCHER_KINDS)
    except ValidationError as error:
        raise refusal(error.messages[0], error.code or "unsupported", field) from error


def _save_voucher(actor: Any, entry: Entry, checked: Any, original_name: str) -> Voucher:
    voucher = Voucher(
        entry=entry,
        content_type=checked.content_type,
        name=(original_name.rsplit("/", 1)[-1] or f"凭证.{checked.extension}")[:120],
        uploaded_by=actor,
    )
    voucher.file.save(f"voucher.{checked.extension}", checked.file, save=False)
    voucher.save()
    record_event(
        actor=actor,
        action="funding.voucher.add",
        target=entry,
        station=entry.station,
        data={"voucher": voucher.pk, "name": voucher.name, "type": voucher.content_type},
    )
    return voucher


def voucher_add(*, actor: Any, entry: Entry, upload: UploadedFile | None) -> Voucher:
    """Add a voucher (a PDF or an image) to an entry: vouchers are added, never replaced."""
    require_perm(actor, "funding.record", entry)
    if upload is None:
        raise refusal("请选择凭证文件", "required", "file")
    checked = _checked_voucher(upload, field="file")
    with transaction.atomic():
        return _save_voucher(actor, entry, checked, upload.name or "")


def check_year(year: Any, *, field: str = "year") -> int:
    try:
        number = int(year)
    except (TypeError, ValueError) as exc:
        raise refusal("请填写年度，如 2026", "invalid_year", field) from exc
    if not FIRST_YEAR <= number <= LAST_YEAR:
        raise refusal(f"年度应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间", "invalid_year", field)
    return number


def budget_set(
    *, actor: Any, station: Station, year: int, amounts: dict[tuple[str, str], Any]
) -> list[Budget]:
    """Set the budget lines of a station's year: `amounts` maps (kind, line) to an amount (zero is a
    budget of nothing; None or "" leaves the line as it is). Each changed line is audited with its old
    and new amount. Returns the lines that changed."""
    require_perm(actor, "funding.set_budget", station)
    year = check_year(year)
    wanted: dict[tuple[str, str], Decimal] = {}
    for (kind, line), value in amounts.items():
        if kind not in EntryKind.values or line not in dict(line_choices(kind)):
            raise refusal("预算项目不正确", "invalid_line")
        if value in (None, ""):
            continue
        wanted[(kind, line)] = parse_amount(value, field=f"{kind}_{line}", allow_zero=True)
    changed: list[Budget] = []
    with transaction.atomic():
        stored = {
            (b.kind, b.line): b
            for b in Budget.objects.select_for_update(of=("self",)).filter(station=station, year=year)
        }
        for (kind, line), amount in wanted.items():
            budget = stored.get((kind, line))
            before = None if budget is None else budget.amount
            if before == amount:
                continue
            if budget is None:
                budget = Budget(
                    station=station, year=year, kind=kind, line=line, amount=amount, updated_by=actor
                )
            budget.amount, budget.updated_by = amount, actor
            budget.save()
            record_event(
                actor=actor,
                action="funding.budget.set",
                target=budget,
                station=station,
                data={
                    "year": year,
                    "kind": kind,
                    "line": line,
                    "label": line_label(kind, line),
                    "amount": [None if before is None else str(before), str(amount)],
                },
            )
            changed.append(budget)
    return changed


def export_audit(*, actor: Any, what: str, station: Station | None, filters: dict[str, Any]) -> None:
    """Record that someone exported the ledger (`what="ledger"`) or a budget report (`"report"`)."""
    record_event(actor=actor, action=f"funding.{what}.export", target=station, station=station, data=filters)
