"""Access-matrix rows of the forum (互动交流): the pages and the API (`/api/v1/forum/…`), on objects of branch
A that `prepare` makes: A's board, a 问指导员 question by the matrix member with an instructor's reply (not
yet the answer), and a report by the resident.

Boards and published topics are public to read; posting, replying, liking and reporting need an account
(anyone signed in, on any station's board). Moderation of A's board is A's and HQ's admins' (and workers'):
everyone else gets 404 on A's posts. Marking the answer: A's and HQ's admins, and the member who asked."""

from __future__ import annotations

from typing import Any

from tests.access import (
    LOGGED_IN_PAGE,
    LOGGED_IN_POST_REDIRECT,
    MANAGE_OBJECT_GET,
    NOT_ALLOWED,
    PUBLIC,
    Row,
    everyone,
    statuses,
)

SIGNED_IN_ONLY_METHOD = statuses(302, 405, 405, 405, 405, 405)
SIGNED_IN_FORM = statuses(302, 200, 200, 200, 200, 200)  # a form POSTed empty: shown again with errors
STAFF_LIST = statuses(302, 403, 403, 200, 200, 200)
NO_ROLE_HERE = statuses(302, 403, 403, 403, 403, 403)  # instructors only (none in the matrix)
ASKER_OR_STAFF_MOVE = statuses(302, 404, 302, 404, 302, 302)
STAFF_MOVE = statuses(302, 404, 404, 404, 302, 302)
API_SIGNED_IN_CREATE = statuses(401, 201, 201, 201, 201, 201)
API_SIGNED_IN = statuses(401, 200, 200, 200, 200, 200)


def prepare(world: Any) -> None:
    from dangjian.accounts.models import Role
    from dangjian.forum import services
    from dangjian.forum.models import TopicKind
    from tests import factories as f

    world.forum_instructor = f.UserFactory(username="matrix_forum_instructor", real_name="陈立群")
    f.grant(world.forum_instructor, Role.INSTRUCTOR, world.a)
    world.forum_board = services.station_board(world.a)
    world.forum_topic = services.topic_create(
        actor=world.member,
        board=world.forum_board,
        title="流动党员组织关系转接要带哪些材料？",
        body="我从外地调到万达广场的单位工作，组织关系还在老家。",
        kind=TopicKind.QUESTION,
    )
    world.forum_reply = services.reply_create(
        actor=world.forum_instructor, topic=world.forum_topic, body="请准备介绍信，到楼宇联合党支部报到。"
    )
    world.forum_report = services.report_create(
        actor=world.resident, topic=world.forum_topic, reason="标题不清楚"
    )


def _pk(attr: str, name: str = "pk") -> Any:
    return lambda w: {name: getattr(w, attr).pk}


BOARD = _pk("forum_board")
TOPIC = _pk("forum_topic")
REPLY = _pk("forum_reply")


def _post(post: dict[str, int], kwargs: Any = lambda w: {}) -> Row:
    return Row(get=SIGNED_IN_ONLY_METHOD, post=post, kwargs=kwargs)


def _action(attr: str, action: str) -> Any:
    return lambda w: {"pk": getattr(w, attr).pk, "action": action}


def _topic_body(w: Any) -> dict[str, Any]:
    return {"title": "万达广场书吧周末开放时间", "body": "建议周六延长到晚上七点。"}


PAGE_ROWS: dict[str, Row] = {
    "forum:home": Row(get=PUBLIC, post=NOT_ALLOWED),
    "forum:board": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=BOARD),
    "forum:topic": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=TOPIC),
    "forum:questions": Row(get=NO_ROLE_HERE, post=SIGNED_IN_ONLY_METHOD),
    "forum:topic_new": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_FORM, kwargs=BOARD),
    "forum:reply": _post(SIGNED_IN_FORM, TOPIC),
    "forum:topic_like": _post(LOGGED_IN_POST_REDIRECT, TOPIC),
    "forum:reply_like": _post(LOGGED_IN_POST_REDIRECT, REPLY),
    "forum:topic_report": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_FORM, kwargs=TOPIC),
    "forum:reply_report": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_FORM, kwargs=REPLY),
    "forum:mark_answer": _post(ASKER_OR_STAFF_MOVE, REPLY),
    "forum:queue": Row(get=STAFF_LIST, post=SIGNED_IN_ONLY_METHOD),
    # no reason given: the form again, with the error
    "forum:topic_moderate": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_action("forum_topic", "hide")
    ),
    "forum:reply_moderate": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_action("forum_reply", "hide")
    ),
    "forum:report_dismiss": _post(STAFF_MOVE, _pk("forum_report")),
}

API_ROWS: dict[str, Row] = {
    "api:forum_boards": Row(get=PUBLIC, post=everyone(405)),
    "api:forum_topics": Row(
        get=PUBLIC,
        post=API_SIGNED_IN_CREATE,
        kwargs=_pk("forum_board", "board_id"),
        post_data=_topic_body,
        json=True,
    ),
    "api:forum_topic_create": Row(
        get=PUBLIC,
        post=API_SIGNED_IN_CREATE,
        kwargs=_pk("forum_board", "board_id"),
        post_data=_topic_body,
        json=True,
    ),
    "api:forum_topic": Row(get=PUBLIC, post=everyone(405), kwargs=_pk("forum_topic", "topic_id")),
    "api:forum_replies": Row(
        get=PUBLIC,
        post=API_SIGNED_IN_CREATE,
        kwargs=_pk("forum_topic", "topic_id"),
        post_data=lambda w: {"body": "谢谢指导员的答复。"},
        json=True,
    ),
    "api:forum_reply_create": Row(
        get=PUBLIC,
        post=API_SIGNED_IN_CREATE,
        kwargs=_pk("forum_topic", "topic_id"),
        post_data=lambda w: {"body": "谢谢指导员的答复。"},
        json=True,
    ),
    "api:forum_topic_like": Row(
        get=everyone(405),
        post=API_SIGNED_IN,
        kwargs=_pk("forum_topic", "topic_id"),
        post_data=lambda w: {"liked": True},
        json=True,
    ),
    "api:forum_reply_like": Row(
        get=everyone(405),
        post=API_SIGNED_IN,
        kwargs=_pk("forum_reply", "reply_id"),
        post_data=lambda w: {"liked": True},
        json=True,
    ),
}

ROWS = {**PAGE_ROWS, **API_ROWS}
