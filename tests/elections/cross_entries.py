"""Cross-station entries of committee elections (merged by tests/cross_bodies.py and
tests/test_cross_station.py): a valid body for every write, aimed at branch A's elections and
organisations (the objects of tests/elections/access_rows.py)."""

from __future__ import annotations

from typing import Any

from tests.elections.access_rows import (
    api_approve_body,
    api_meeting_body,
    api_result_body,
    approve_body,
    candidates_body,
    meeting_body,
    request_body,
    result_body,
)

MISSING = 2**31 - 1  # as tests/test_cross_station.py

VALID_BODIES = {
    "elections:create": request_body,
    "elections:decide": approve_body,
    "elections:candidates": candidates_body,
    "elections:meeting": meeting_body,
    "elections:result": result_body,
    "elections:result_decide": approve_body,
    "api:elections_list": request_body,
    "api:elections_request": request_body,
    "api:elections_decide": api_approve_body,
    "api:elections_candidates": candidates_body,
    "api:elections_meeting": api_meeting_body,
    "api:elections_result": api_result_body,
    "api:elections_result_decide": api_approve_body,
}


def _missing_organization(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "organization": MISSING}


# the request names its organisation in the body: A's and a missing one answer alike (404)
MISSING_BODIES = {
    "api:elections_list": _missing_organization,
    "api:elections_request": _missing_organization,
}
