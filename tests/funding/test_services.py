"""Funds services: recording (amounts, lines, buildings, dates, vouchers), reversal rules, immutability
in the model and in the database, the balance, budgets and budget against actual, who may write."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.core.models import AuditEvent
from dangjian.funding import selectors, services
from dangjian.funding.models import Budget, Entry, ImmutableEntryError, Voucher
from tests.funding.builders import YEAR, html_upload, on, pdf_upload, png_upload, record

pytestmark = pytest.mark.django_db


def code_of(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return next(e.code for errors in error.error_dict.values() for e in errors)
    return str(error.code)


def audit_actions() -> list[str]:
    with scopes_disabled():
        return list(AuditEvent.objects.order_by("at", "id").values_list("action", flat=True))


# ---------------------------------------------------------------- recording


def test_an_expense_with_its_voucher_is_recorded_and_audited(fu) -> None:
    entry = record(
        fu.worker_a, fu.a, "expense", "equipment", "12,800.50", building=fu.tower_a, voucher=pdf_upload()
    )
    assert entry.amount == Decimal("12800.50") and entry.building == fu.tower_a
    assert entry.recorded_by == fu.worker_a
    voucher = Voucher.objects.get(entry=entry)
    assert voucher.content_type == "application/pdf" and voucher.name == "发票.pdf"
    assert voucher.file.read().startswith(b"%PDF")
    assert audit_actions() == ["funding.entry.record", "funding.voucher.add"]


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0", "amount_not_positive"),
        ("-5", "amount_not_positive"),
        ("12.345", "amount_invalid"),
        ("abc", "amount_invalid"),
        ("1e400", "amount_too_large"),
        ("NaN", "amount_invalid"),
        ("99999999999", "amount_too_large"),
    ],
)
def test_bad_amounts_are_refused_in_chinese(fu, amount: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        record(fu.admin_a, fu.a, "income", "dues", amount)
    assert code_of(refused.value) == code
    assert "amount" in refused.value.message_dict
    assert not Entry.objects.exists()


def test_a_line_of_the_other_kind_a_foreign_building_and_a_future_date_are_refused(fu) -> None:
    with pytest.raises(ValidationError) as wrong_line:
        record(fu.admin_a, fu.a, "income", "equipment", "10")
    assert code_of(wrong_line.value) == "invalid_line"
    with pytest.raises(ValidationError) as foreign:
        record(fu.hq_admin, fu.a, "expense", "equipment", "10", building=fu.tower_b)
    assert code_of(foreign.value) == "wrong_building"
    with pytest.raises(ValidationError) as future:
        record(fu.admin_a, fu.a, "income", "dues", "10", when=timezone.localdate() + timedelta(days=1))
    assert code_of(future.value) == "future_date"
    assert not Entry.objects.exists()


def test_a_voucher_is_judged_by_its_bytes(fu) -> None:
    with pytest.raises(ValidationError) as refused:
        record(fu.admin_a, fu.a, "expense", "publicity", "300", voucher=html_upload())
    assert "voucher" in refused.value.message_dict
    assert not Entry.objects.exists()
    entry = record(fu.admin_a, fu.a, "expense", "publicity", "300")
    added = services.voucher_add(actor=fu.worker_a, entry=entry, upload=png_upload())
    assert added.content_type == "image/png"


@pytest.mark.parametrize("who", ["admin_b", "worker_b", "instructor_a", "member"])
def test_only_the_stations_keepers_and_hq_record(fu, who: str) -> None:
    with pytest.raises(PermissionDenied):
        record(getattr(fu, who), fu.a, "income", "dues", "100")
    assert not Entry.objects.exists()
    assert record(fu.hq_admin, fu.a, "income", "dues", "100").station == fu.a


# ---------------------------------------------------------------- reversal


def test_a_reversal_mirrors_the_original_and_is_linked(fu) -> None:
    original = record(fu.admin_a, fu.a, "expense", "activities", "860.00", building=fu.tower_c, when=on(5))
    reversal = services.entry_reverse(actor=fu.worker_a, entry=original, reason="金额登记错误")
    assert reversal.amount == Decimal("-860.00")
    assert (reversal.station, reversal.building, reversal.kind, reversal.line) == (
        fu.a,
        fu.tower_c,
        "expense",
        "activities",
    )
    assert reversal.reverses == original and reversal.occurred_on == original.occurred_on
    assert Entry.objects.get(pk=original.pk).reversal == reversal
    assert audit_actions()[-1] == "funding.entry.reverse"


def test_an_entry_is_reversed_once_and_a_reversal_never(fu) -> None:
    original = record(fu.admin_a, fu.a, "income", "sponsorship", "5000")
    reversal = services.entry_reverse(actor=fu.admin_a, entry=original, reason="赞助未到账")
    with pytest.raises(ValidationError) as twice:
        services.entry_reverse(actor=fu.hq_admin, entry=original, reason="再次冲销")
    assert code_of(twice.value) == "already_reversed"
    with pytest.raises(ValidationError) as of_reversal:
        services.entry_reverse(actor=fu.admin_a, entry=reversal, reason="冲销冲销")
    assert code_of(of_reversal.value) == "is_reversal"
    assert Entry.objects.count() == 2


def test_a_reversal_needs_a_reason_and_the_right(fu) -> None:
    original = record(fu.admin_a, fu.a, "income", "dues", "100")
    with pytest.raises(ValidationError) as no_reason:
        services.entry_reverse(actor=fu.admin_a, entry=original, reason="  ")
    assert code_of(no_reason.value) == "required"
    for who in (fu.admin_b, fu.instructor_a):
        with pytest.raises(PermissionDenied):
            services.entry_reverse(actor=who, entry=original, reason="无权冲销")
    assert Entry.objects.count() == 1


def test_the_database_allows_one_reversal_per_entry(fu) -> None:
    original = record(fu.admin_a, fu.a, "income", "dues", "100")
    services.entry_reverse(actor=fu.admin_a, entry=original, reason="错误")
    second = Entry(
        station=fu.a, kind="income", line="dues", amount=Decimal("-100"), occurred_on=on(3),
        summary="绕过服务的第二次冲销", reverses=original, reason="x", recorded_by=fu.admin_a,
    )  # fmt: skip
    with pytest.raises(DatabaseError), transaction.atomic():
        second.save()


def test_the_balance_counts_entries_and_reversals(fu) -> None:
    record(fu.admin_a, fu.a, "income", "dues", "20000.00")
    record(fu.admin_a, fu.a, "income", "administrative", "15000.00")
    wrong = record(fu.admin_a, fu.a, "income", "sponsorship", "8000.00")
    record(fu.admin_a, fu.a, "expense", "construction", "9800.00")
    typo = record(fu.admin_a, fu.a, "expense", "equipment", "3600.00")
    record(fu.admin_a, fu.a, "expense", "equipment", "360.00")
    services.entry_reverse(actor=fu.admin_a, entry=wrong, reason="赞助协议未签")
    services.entry_reverse(actor=fu.admin_a, entry=typo, reason="多写一个零")
    record(fu.admin_b, fu.b, "income", "dues", "999.00")  # another station's
    totals = selectors.ledger_totals(Entry.objects.filter(station=fu.a))
    assert totals.income == Decimal("35000.00")
    assert totals.expense == Decimal("10160.00")
    assert totals.balance == Decimal("24840.00")


# ---------------------------------------------------------------- immutability


def test_the_model_refuses_edits_and_deletes(fu) -> None:
    entry = record(fu.admin_a, fu.a, "income", "dues", "100")
    entry.amount = Decimal("1000")
    with pytest.raises(ImmutableEntryError):
        entry.save()
    with pytest.raises(ImmutableEntryError):
        entry.delete()
    with pytest.raises(ImmutableEntryError):
        Entry.objects.filter(pk=entry.pk).update(amount=Decimal("1000"))
    with pytest.raises(ImmutableEntryError):
        Entry.objects.filter(pk=entry.pk).delete()
    assert Entry.objects.get(pk=entry.pk).amount == Decimal("100.00")


def test_the_database_refuses_a_raw_update(fu) -> None:
    entry = record(fu.admin_a, fu.a, "income", "dues", "100")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funding_entry SET amount = 1000 WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        QuerySet.update(Entry.objects.all(), summary="改过的摘要")  # Django's own update, past ours
    assert Entry.objects.get(pk=entry.pk).amount == Decimal("100.00")


def test_the_database_refuses_a_raw_delete_on_postgresql(fu) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE possible so that test databases can be flushed")
    entry = record(fu.admin_a, fu.a, "income", "dues", "100")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM funding_entry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        QuerySet.delete(Entry.objects.filter(pk=entry.pk))  # Django's own delete, past ours
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_truncate_still_empties_the_table_on_postgresql(fu) -> None:
    """PostgreSQL flushes test databases with TRUNCATE, which fires no row trigger."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    record(fu.admin_a, fu.a, "expense", "other", "100", voucher=pdf_upload())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the inserts' deferred checks, done now
        cursor.execute("TRUNCATE funding_voucher, funding_entry")
        assert not Entry.objects.exists()
        transaction.set_rollback(True)
    assert Entry.objects.count() == 1


# ---------------------------------------------------------------- budgets


def test_budgets_are_set_changed_and_every_change_audited(fu) -> None:
    changed = services.budget_set(
        actor=fu.admin_a,
        station=fu.a,
        year=YEAR,
        amounts={
            ("expense", "construction"): "30000",
            ("expense", "activities"): "8,000.00",
            ("income", "dues"): "",
        },
    )
    assert len(changed) == 2
    again = services.budget_set(
        actor=fu.worker_a,
        station=fu.a,
        year=YEAR,
        amounts={("expense", "construction"): "30000.00", ("expense", "activities"): "6000"},
    )
    assert [b.line for b in again] == ["activities"]
    assert Budget.objects.get(station=fu.a, year=YEAR, line="activities").amount == Decimal("6000.00")
    assert Budget.objects.get(station=fu.a, year=YEAR, line="activities").updated_by == fu.worker_a
    with scopes_disabled():
        events = list(AuditEvent.objects.filter(action="funding.budget.set").order_by("id"))
    assert len(events) == 3
    assert events[-1].data["amount"] == ["8000.00", "6000.00"]


def test_bad_budgets_change_nothing(fu) -> None:
    with pytest.raises(ValidationError) as negative:
        services.budget_set(
            actor=fu.admin_a, station=fu.a, year=YEAR, amounts={("expense", "training"): "-1"}
        )
    assert "expense_training" in negative.value.message_dict
    with pytest.raises(ValidationError):
        services.budget_set(actor=fu.admin_a, station=fu.a, year=99999, amounts={})
    with pytest.raises(PermissionDenied):
        services.budget_set(
            actor=fu.admin_b, station=fu.a, year=YEAR, amounts={("expense", "training"): "100"}
        )
    with pytest.raises(PermissionDenied):
        services.budget_set(
            actor=fu.instructor_a, station=fu.a, year=YEAR, amounts={("expense", "training"): "100"}
        )
    assert not Budget.objects.exists()


def test_budget_against_actual_flags_the_lines_over_budget(fu) -> None:
    services.budget_set(
        actor=fu.admin_a,
        station=fu.a,
        year=YEAR,
        amounts={("expense", "construction"): "10000", ("expense", "activities"): "2000"},
    )
    record(fu.admin_a, fu.a, "expense", "construction", "7500")
    record(fu.admin_a, fu.a, "expense", "activities", "1800")
    record(fu.admin_a, fu.a, "expense", "activities", "600")
    mistaken = record(fu.admin_a, fu.a, "expense", "construction", "5000")
    services.entry_reverse(actor=fu.admin_a, entry=mistaken, reason="重复登记")
    record(fu.admin_a, fu.a, "expense", "publicity", "300")  # no budget for it
    record(fu.admin_a, fu.a, "expense", "construction", "999", when=on(3, year=YEAR - 1))  # another year
    rows = {row.line: row for row in selectors.budget_rows(fu.a, YEAR, "expense")}
    assert (rows["construction"].actual, rows["construction"].rate, rows["construction"].over) == (
        Decimal("7500.00"),
        Decimal("75.0"),
        False,
    )
    assert (rows["activities"].actual, rows["activities"].rate, rows["activities"].over) == (
        Decimal("2400.00"),
        Decimal("120.0"),
        True,
    )
    assert rows["publicity"].budget is None and rows["publicity"].over
    assert rows["training"].actual == 0 and not rows["training"].over
    total = selectors.total_row(list(rows.values()))
    assert (total.budget, total.actual) == (Decimal("12000.00"), Decimal("10200.00"))
