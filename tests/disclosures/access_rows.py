"""Access-matrix rows of party-affairs disclosure (§6.3 党务公开). Objects belong to org_a in branch A:
a draft, a submitted item and a published public item, all written by A's party-affairs worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    API_PUBLIC_READ,
    MANAGE_OBJECT_GET,
    PUBLIC,
    Row,
    everyone,
    statuses,
)
from tests.disclosures.builders import make_instructor, published, submitted, write_draft

GET_ONLY_FOR_SIGNED_IN = statuses(302, 405, 405, 405, 405, 405)
OWN_OBJECT_POST = statuses(302, 404, 404, 404, 302, 302)
# A's and HQ's admins reach the item but are not instructors: the API refuses with 400.
API_REVIEW_REFUSED = statuses(401, 404, 404, 404, 400, 400)
API_OWN_OBJECT_OK = statuses(401, 404, 404, 404, 200, 200)


def prepare(world: Any) -> None:
    instructor = make_instructor(world.a, "matrix_disclosure_instructor")
    world.disclosure_draft = write_draft(world.worker_a, world.org_a)
    world.disclosure_submitted = submitted(world.worker_a, world.org_a)
    world.disclosure_published = published(world.worker_a, world.org_a, reviewer=instructor)


def _item(attr: str, name: str = "pk") -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, f"disclosure_{attr}").pk}


def _reason(w: Any) -> dict[str, Any]:
    return {"comment": "内容需更正"}


def _page_action(item: str) -> Row:
    return Row(get=GET_ONLY_FOR_SIGNED_IN, post=OWN_OBJECT_POST, kwargs=_item(item), post_data=_reason)


def _api_action(item: str, post: dict[str, int]) -> Row:
    return Row(
        get=everyone(405), post=post, kwargs=_item(item, "disclosure_id"), post_data=_reason, json=True
    )


ROWS: dict[str, Row] = {
    "disclosures:organization_index": Row(
        get=PUBLIC, post=everyone(405), kwargs=lambda w: {"pk": w.org_a.pk}
    ),
    "disclosures:detail": Row(get=PUBLIC, post=everyone(405), kwargs=_item("published")),
    "disclosures:disclosure_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "disclosures:disclosure_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "disclosures:disclosure_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_item("draft")),
    "disclosures:manage_detail": Row(
        get=MANAGE_OBJECT_GET, post=GET_ONLY_FOR_SIGNED_IN, kwargs=_item("draft")
    ),
    "disclosures:submit": _page_action("draft"),
    "disclosures:approve": _page_action("submitted"),
    "disclosures:return": _page_action("submitted"),
    "disclosures:withdraw": _page_action("published"),
    "disclosures:archive": _page_action("published"),
    "api:disclosure_list": API_PUBLIC_READ,
    "api:disclosure_detail": Row(get=PUBLIC, post=everyone(405), kwargs=_item("published", "disclosure_id")),
    "api:disclosure_submit": _api_action("draft", API_OWN_OBJECT_OK),
    "api:disclosure_approve": _api_action("submitted", API_REVIEW_REFUSED),
    "api:disclosure_return": _api_action("submitted", API_REVIEW_REFUSED),
    "api:disclosure_withdraw": _api_action("published", API_OWN_OBJECT_OK),
}
