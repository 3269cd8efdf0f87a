"""Entries of the forum in the cross-station tables (tests/cross_bodies.py, tests/test_cross_station.py).

Boards are public (§6.3): anyone signed in, of any station, may post on A's board, reply to A's topics,
like and report them — that is the person's own post, like or report, not management of A. Moderation
of A's board (hide, lock, pin, approve, reports) stays A's and HQ's: B's roles meet it as missing."""

from __future__ import annotations

from typing import Any

OWN_POST = "anyone signed in posts, replies, likes and reports on every station's public board (their own)"

PERSONAL = {
    name: OWN_POST
    for name in (
        "forum:topic_new",
        "forum:reply",
        "forum:topic_like",
        "forum:reply_like",
        "forum:topic_report",
        "forum:reply_report",
        "api:forum_topics",
        "api:forum_topic_create",
        "api:forum_replies",
        "api:forum_reply_create",
        "api:forum_topic_like",
        "api:forum_reply_like",
    )
}
SAME_AS_MISSING_EXCEPTIONS = dict(PERSONAL)


def _reason(w: Any) -> dict[str, Any]:
    return {"reason": "与楼宇党建无关的广告"}


VALID_BODIES = {
    "forum:topic_moderate": _reason,
    "forum:reply_moderate": _reason,
    "forum:report_dismiss": _reason,
    "forum:mark_answer": lambda w: {},
}
