"""Cross-station entries of the HQ cockpit (merged by tests/cross_bodies.py and tests/test_cross_station.py):
a valid body for every write. Goals and screens are HQ's alone: another station's roles are refused before
anything is looked up."""

from __future__ import annotations

from typing import Any

from tests.dashboards.access_rows import goal_body, screen_body, screen_edit_body


def _nothing(world: Any) -> dict[str, Any]:
    return {}


VALID_BODIES = {
    "dashboards:goals": goal_body,
    "dashboards:refresh": _nothing,
    "dashboards:screen_create": screen_body,
    "dashboards:screen_edit": screen_edit_body,
    "dashboards:screen_delete": _nothing,
}
# HQ sets the goals and keeps the screens; it is the writer whose body must write.
WRITERS = dict.fromkeys(VALID_BODIES, "hq_admin")
