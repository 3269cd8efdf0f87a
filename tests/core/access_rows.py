"""Access-matrix rows of the shared kernel: the inbox pages and API (each person reaches only their own
notifications; another's is a 404 for everyone) and the public live-event stream."""

from __future__ import annotations

from typing import Any

from dangjian.core.models import Notification
from tests.access import (
    API_SIGNED_IN,
    HQ_ONLY_PAGE,
    LOGGED_IN_PAGE,
    LOGGED_IN_POST_REDIRECT,
    NOT_ALLOWED,
    PUBLIC,
    Row,
    everyone,
    statuses,
)

GET_ONLY_FOR_SIGNED_IN = statuses(302, 405, 405, 405, 405, 405)
NOBODY_ELSES = statuses(302, 404, 404, 404, 404, 404)


def _worker_notification(world: Any) -> Notification:
    """A notification of A's party-affairs worker, who is none of the matrix roles."""
    if not hasattr(world, "worker_notification"):
        world.worker_notification = Notification.objects.create(
            recipient=world.worker_a, title="请审核万达广场分站的稿件", url="/"
        )
    return world.worker_notification


def prepare(world: Any) -> None:
    """Made with the world, not by the first row that asks: the matrix world serves a whole module."""
    _worker_notification(world)


ROWS: dict[str, Row] = {
    "core:inbox": Row(get=LOGGED_IN_PAGE, post=GET_ONLY_FOR_SIGNED_IN),
    "core:inbox_read": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=NOBODY_ELSES,
        kwargs=lambda w: {"pk": _worker_notification(w).pk},
    ),
    "core:inbox_read_all": Row(get=GET_ONLY_FOR_SIGNED_IN, post=LOGGED_IN_POST_REDIRECT),
    "core:events": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=lambda w: {"channel": f"station-{w.a.pk}"}),
    "api:inbox_list": Row(get=API_SIGNED_IN, post=everyone(405)),
    "api:inbox_mark_read": Row(
        get=everyone(405),
        post=statuses(401, 404, 404, 404, 404, 404),
        kwargs=lambda w: {"notification_id": _worker_notification(w).pk},
    ),
    "api:inbox_mark_all_read": Row(get=everyone(405), post=API_SIGNED_IN),
    # the sensitive-word lists of the whole platform: HQ only (an empty POST shows the form again)
    "core:word_lists": Row(get=HQ_ONLY_PAGE, post=HQ_ONLY_PAGE),
}
