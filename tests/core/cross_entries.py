"""Cross-station entries of the shared kernel (merged by tests/cross_bodies.py)."""

from __future__ import annotations

VALID_BODIES = {
    "core:word_lists": lambda w: {"based_on": 0, "block": "赌球\n外围", "note": "增加赌博类词语"},
}
WRITERS = {"core:word_lists": "hq_admin"}
