"""Cross-station entries of feedback (tests/test_cross_station.py, tests/cross_bodies.py).

Feedback is open to everyone: anyone submits to any station, and whoever holds an item's tracking code
follows it up (rate, confirm, reopen) — those writes are the actor's own. Every handling move on A's items
is A's staff's (and HQ's): B's roles meet A's items as missing and write nothing.
"""

from __future__ import annotations

from typing import Any

from tests.feedback.access_rows import API_ROWS, submit_body

MISSING = 2**31 - 1


def _page_submit(w: Any) -> dict[str, Any]:
    return {**submit_body(w), "channel": "online", "contact_name": "周先生"}


def _paper(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "channel": "box",
        "kind": "complaint",
        "title": "一楼卫生间长期缺少洗手液",
        "content": "投诉箱纸条：一楼卫生间洗手液经常是空的，希望及时补充。",
    }


VALID_BODIES = {
    "feedback:submit": _page_submit,
    "feedback:paper": _paper,
    "feedback:track_rate": lambda w: {"rating": "5", "comment": "办理及时"},
    "feedback:track_reopen": lambda w: {"reason": "空调修好两天又不制冷了"},
    "feedback:assign": lambda w: {"person": w.worker_a.pk},
    "feedback:reply": lambda w: {"text": "已请物业检修电梯群控系统，早高峰增开一部电梯。"},
    "feedback:decide": lambda w: {"validity": "valid", "reason": ""},
    "feedback:close": lambda w: {"resolution": "resolved", "note": ""},
    # the API's staff moves: the bodies of their access-matrix rows
    **{
        name: API_ROWS[name].post_data
        for name in ("api:feedback_assign", "api:feedback_reply", "api:feedback_decide", "api:feedback_close")
    },
}
NO_BODY = {
    "feedback:start": "开始办理 takes nothing to type",
    "feedback:track_confirm": "确认已解决 takes nothing to type",
    "api:feedback_start": "开始办理 takes nothing to type",
    "api:feedback_track_confirm": "确认已解决 takes nothing to type",
}
_SUBMIT = "anyone may submit feedback to any station, without an account: the submission is the actor's own"
_FOLLOW_UP = "whoever holds the tracking code follows the item up (rate, confirm solved, reopen)"
PERSONAL = {
    "feedback:submit": _SUBMIT,
    "api:feedback_submit": _SUBMIT,
    "feedback:track_rate": _FOLLOW_UP,
    "feedback:track_confirm": _FOLLOW_UP,
    "feedback:track_reopen": _FOLLOW_UP,
    "api:feedback_track_rate": _FOLLOW_UP,
    "api:feedback_track_confirm": _FOLLOW_UP,
    "api:feedback_track_reopen": _FOLLOW_UP,
}
SAME_AS_MISSING_EXCEPTIONS = {
    **PERSONAL,
    "feedback:track": _FOLLOW_UP,
    "api:feedback_track": _FOLLOW_UP,
}
MISSING_BODIES = {
    "feedback:paper": lambda body: {**body, "station": MISSING},
}
