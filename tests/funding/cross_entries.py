"""Cross-station entries of funds (merged by tests/cross_bodies.py and tests/test_cross_station.py): a
valid body for every write, aimed at branch A's ledger (the objects of tests/funding/access_rows.py)."""

from __future__ import annotations

from typing import Any

from tests.funding.access_rows import (
    api_entry_body,
    budget_body,
    entry_body,
    expense_body,
    reverse_body,
    voucher_body,
)

MISSING = 2**31 - 1  # as tests/test_cross_station.py

VALID_BODIES = {
    "funding:income_create": entry_body,
    "funding:expense_create": expense_body,
    "funding:entry_reverse": reverse_body,
    "funding:voucher_add": voucher_body,
    "funding:budgets": budget_body,
    "api:funding_entries": api_entry_body,
    "api:funding_entry_create": api_entry_body,
    "api:funding_entry_reverse": reverse_body,
}


def _missing_station(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "station": MISSING, "building": MISSING}


# the entry forms name their station (and building) in the body: A's and a missing one answer alike
MISSING_BODIES = {
    "funding:income_create": _missing_station,
    "funding:expense_create": _missing_station,
    "api:funding_entries": _missing_station,
    "api:funding_entry_create": _missing_station,
}
