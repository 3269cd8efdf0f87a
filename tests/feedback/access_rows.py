"""Access-matrix rows of feedback (pages and `/api/v1/feedback/…`), on objects of branch A that `prepare`
makes: a complaint the matrix member submitted (received), a replied suggestion and a closed complaint.

Anyone may submit and anyone holding a tracking code follows that item (rate, confirm, reopen): those rows
answer everyone alike. The member's own item is the member's and A's staff's; the staff pages answer 403
to people with no station role, and 404 to another station's staff on A's items (HQ governs every branch).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.access import LOGGED_IN_PAGE, NOT_ALLOWED, PUBLIC, Row, everyone, statuses

SIGNED_IN_ONLY_METHOD = statuses(302, 405, 405, 405, 405, 405)
STAFF_LIST = statuses(302, 403, 403, 200, 200, 200)  # any station's staff (each sees their own)
STAFF_OBJECT = statuses(302, 403, 403, 404, 200, 200)  # A's item: A's and HQ's staff
STAFF_MOVE = statuses(302, 403, 403, 404, 302, 302)
MEMBERS_OWN_MOVE = statuses(302, 404, 302, 404, 302, 302)  # the member to the tracking page, staff to theirs
API_SIGNED_IN = statuses(401, 200, 200, 200, 200, 200)
API_STAFF_OBJECT = statuses(401, 404, 404, 404, 200, 200)


def prepare(world: Any) -> None:
    from dangjian.feedback import services
    from tests.feedback.builders import REPLY, submission

    def submit(**fields: Any) -> Any:
        return services.submit(actor=world.member, submission=submission(world.a, **fields), ip="203.0.113.5")

    world.fb_received = submit(title="A座电梯早高峰排队太久")
    world.fb_replied = submit(kind="suggestion", title="建议书吧增加少儿读物")
    services.reply(actor=world.worker_a, feedback=world.fb_replied, text=REPLY)
    world.fb_closed = submit(title="党群服务中心空调不制冷")
    services.reply(actor=world.worker_a, feedback=world.fb_closed, text=REPLY)
    services.decide(actor=world.worker_a, feedback=world.fb_closed, validity="valid")
    services.close(actor=world.worker_a, feedback=world.fb_closed, resolution="resolved")


def _pk(attr: str, name: str = "pk") -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, attr).pk}


def _code(attr: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"code": getattr(w, attr).tracking_code}


def submit_body(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "channel": "surroundings",
        "kind": "consultation",
        "title": "周末能否预约党群服务中心会议室",
        "content": "鼓楼社区居民想在周六下午开一次楼道议事会，请问怎么预约？",
        "contact_phone": "13952691234",
    }


def _api_post(kwargs: Callable[[Any], dict[str, Any]], post: dict[str, int], body: Any = lambda w: {}) -> Row:
    return Row(get=everyone(405), post=post, kwargs=kwargs, post_data=body, json=True)


RECEIVED = _pk("fb_received")
API_RECEIVED = _pk("fb_received", "feedback_id")

PAGE_ROWS: dict[str, Row] = {
    "feedback:submit": Row(get=PUBLIC, post=everyone(200)),  # empty: the form again, with its errors
    "feedback:lookup": Row(get=PUBLIC, post=NOT_ALLOWED),
    "feedback:track": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=_code("fb_closed")),
    "feedback:track_rate": Row(get=NOT_ALLOWED, post=everyone(200), kwargs=_code("fb_closed")),
    "feedback:track_confirm": Row(get=NOT_ALLOWED, post=everyone(302), kwargs=_code("fb_closed")),
    "feedback:track_reopen": Row(get=NOT_ALLOWED, post=everyone(200), kwargs=_code("fb_closed")),
    "feedback:mine": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_ONLY_METHOD),
    "feedback:mine_detail": Row(get=MEMBERS_OWN_MOVE, post=SIGNED_IN_ONLY_METHOD, kwargs=RECEIVED),
    "feedback:manage_list": Row(get=STAFF_LIST, post=statuses(302, 405, 405, 405, 405, 405)),
    "feedback:paper": Row(get=STAFF_LIST, post=STAFF_LIST),  # empty: the form again
    "feedback:manage_detail": Row(
        get=STAFF_OBJECT, post=statuses(302, 405, 405, 405, 405, 405), kwargs=RECEIVED
    ),
    "feedback:assign": Row(get=statuses(302, 405, 405, 405, 405, 405), post=STAFF_OBJECT, kwargs=RECEIVED),
    "feedback:start": Row(get=statuses(302, 405, 405, 405, 405, 405), post=STAFF_MOVE, kwargs=RECEIVED),
    "feedback:reply": Row(get=statuses(302, 405, 405, 405, 405, 405), post=STAFF_OBJECT, kwargs=RECEIVED),
    "feedback:decide": Row(get=statuses(302, 405, 405, 405, 405, 405), post=STAFF_OBJECT, kwargs=RECEIVED),
    "feedback:close": Row(
        get=statuses(302, 405, 405, 405, 405, 405), post=STAFF_OBJECT, kwargs=_pk("fb_replied")
    ),
}

API_ROWS: dict[str, Row] = {
    "api:feedback_submit": _api_post(lambda w: {}, everyone(201), submit_body),
    "api:feedback_track": Row(get=PUBLIC, post=everyone(405), kwargs=_code("fb_closed")),
    "api:feedback_track_rate": _api_post(_code("fb_closed"), everyone(200), lambda w: {"rating": 5}),
    "api:feedback_track_confirm": _api_post(_code("fb_closed"), everyone(200)),
    "api:feedback_track_reopen": _api_post(
        _code("fb_closed"), everyone(200), lambda w: {"reason": "周日仍不开放"}
    ),
    "api:feedback_mine": Row(get=API_SIGNED_IN, post=everyone(405)),
    "api:feedback_items": Row(get=API_SIGNED_IN, post=everyone(405)),
    "api:feedback_item": Row(get=API_STAFF_OBJECT, post=everyone(405), kwargs=API_RECEIVED),
    "api:feedback_assign": _api_post(API_RECEIVED, API_STAFF_OBJECT, lambda w: {"assignee": w.worker_a.pk}),
    "api:feedback_start": _api_post(API_RECEIVED, API_STAFF_OBJECT),
    "api:feedback_reply": _api_post(
        API_RECEIVED, API_STAFF_OBJECT, lambda w: {"text": "已协调物业增开一部电梯"}
    ),
    "api:feedback_decide": _api_post(API_RECEIVED, API_STAFF_OBJECT, lambda w: {"validity": "valid"}),
    "api:feedback_close": _api_post(
        _pk("fb_replied", "feedback_id"), API_STAFF_OBJECT, lambda w: {"resolution": "resolved"}
    ),
}

ROWS = {**PAGE_ROWS, **API_ROWS}
