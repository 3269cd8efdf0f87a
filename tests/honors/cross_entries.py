"""Cross-station entries of 示范引领 (merged by tests/cross_bodies.py and tests/test_cross_station.py): a
valid body for every write, aimed at branch A's organisations, nominations and station (the objects of
tests/honors/access_rows.py)."""

from __future__ import annotations

from typing import Any

from tests.honors.access_rows import (
    api_submit_body,
    edit_body,
    event_body,
    nomination_body,
    publicity_body,
    submit_body,
)

MISSING = 2**31 - 1  # as tests/test_cross_station.py

VALID_BODIES = {
    "honors:create": nomination_body,
    "honors:edit": edit_body,
    "honors:act": submit_body,
    "honors:publicity_create": publicity_body,
    "honors:event_create": event_body,
    "api:honors_nominations": nomination_body,
    "api:honors_nominate": nomination_body,
    "api:honors_nomination_act": api_submit_body,
    "api:honors_publicity": publicity_body,
    "api:honors_publicity_create": publicity_body,
}


def _missing(field: str) -> Any:
    return lambda body: {**body, field: MISSING}


# the writes that name their organisation or station in the body: A's and a missing one answer alike (404)
MISSING_BODIES = {
    "api:honors_nominations": _missing("organization"),
    "api:honors_nominate": _missing("organization"),
    "api:honors_publicity": _missing("station"),
    "api:honors_publicity_create": _missing("station"),
}
