"""Access-matrix rows of the courseware library. Objects belong to branch A: an item shared with the
whole platform (published; every signed-in person may use it) and a draft, both uploaded by A's worker."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.models import Role
from dangjian.courseware import services
from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    API_SIGNED_IN,
    LOGGED_IN_PAGE,
    MANAGE_OBJECT_GET,
    Row,
    everyone,
    statuses,
)
from tests.courseware import samples
from tests.factories import UserFactory, grant

SIGNED_IN_GET_ONLY = statuses(302, 405, 405, 405, 405, 405)
READ_FILE = statuses(302, 200, 200, 200, 200, 200)
OWN_OBJECT_POST = statuses(302, 404, 404, 404, 302, 302)


def prepare(world: Any) -> None:
    reviewer = UserFactory(username="matrix_cw_instructor_hq")
    grant(reviewer, Role.INSTRUCTOR, world.hq)

    def upload(title: str, sharing: str) -> Any:
        return services.courseware_create(
            actor=world.worker_a,
            station=world.a,
            details=services.Details(title, sharing=sharing),
            upload=samples.upload("讲义.pdf", samples.PDF),
        )

    world.courseware_live = upload("党史学习教育专题课件", "platform")
    services.courseware_transition(actor=world.worker_a, courseware=world.courseware_live, action="submit")
    services.courseware_transition(actor=reviewer, courseware=world.courseware_live, action="approve")
    world.courseware_draft = upload("草稿课件", "station")
    world.courseware_draft_version = world.courseware_draft.versions.get()


def _live(w: Any) -> dict[str, Any]:
    return {"pk": w.courseware_live.pk}


def _draft(w: Any) -> dict[str, Any]:
    return {"pk": w.courseware_draft.pk}


ROWS: dict[str, Row] = {
    "courseware:library": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_GET_ONLY),
    "courseware:detail": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_GET_ONLY, kwargs=_live),
    "courseware:preview": Row(get=READ_FILE, post=SIGNED_IN_GET_ONLY, kwargs=_live),
    "courseware:download": Row(get=READ_FILE, post=SIGNED_IN_GET_ONLY, kwargs=_live),
    "courseware:reader": Row(get=LOGGED_IN_PAGE, post=SIGNED_IN_GET_ONLY, kwargs=_live),
    # a draft is not in the library: 404 for everyone, its keepers included
    "courseware:detail [draft]": Row(
        get=statuses(302, 404, 404, 404, 404, 404), post=SIGNED_IN_GET_ONLY, kwargs=_draft
    ),
    "courseware:manage_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "courseware:upload": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "courseware:manage_detail": Row(get=MANAGE_OBJECT_GET, post=SIGNED_IN_GET_ONLY, kwargs=_draft),
    "courseware:edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_draft),
    "courseware:version_add": Row(
        get=SIGNED_IN_GET_ONLY, post=statuses(302, 404, 404, 404, 400, 400), kwargs=_draft
    ),
    "courseware:version_file": Row(
        get=MANAGE_OBJECT_GET,
        post=SIGNED_IN_GET_ONLY,
        kwargs=lambda w: {"pk": w.courseware_draft.pk, "version_pk": w.courseware_draft_version.pk},
    ),
    "courseware:delete": Row(get=SIGNED_IN_GET_ONLY, post=OWN_OBJECT_POST, kwargs=_draft),
    "courseware:transition": Row(
        get=SIGNED_IN_GET_ONLY, post=OWN_OBJECT_POST, kwargs=lambda w: {**_draft(w), "action": "submit"}
    ),
}


def _api_live(w: Any) -> dict[str, Any]:
    return {"courseware_id": w.courseware_live.pk}


def _api_read(kwargs: Any = lambda w: {}, get: dict[str, int] = API_SIGNED_IN) -> Row:
    return Row(get=get, post=everyone(405), kwargs=kwargs)


ROWS.update(
    {
        "api:courseware_list": _api_read(),
        "api:courseware_search": _api_read(),
        "api:courseware_detail": _api_read(_api_live),
        "api:courseware_preview": _api_read(_api_live),
        "api:courseware_download": _api_read(_api_live),
        # a draft is nobody's to read through the API either
        "api:courseware_detail [draft]": _api_read(
            lambda w: {"courseware_id": w.courseware_draft.pk}, statuses(401, 404, 404, 404, 404, 404)
        ),
    }
)
