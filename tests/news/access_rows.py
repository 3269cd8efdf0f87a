"""Access-matrix rows of information publishing. Objects belong to branch A: a published public
article (with an attachment) and a draft (with an attachment) written by A's party-affairs worker."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.accounts.models import Role
from dangjian.news import services
from dangjian.news.models import Column
from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    HQ_ONLY_PAGE,
    MANAGE_OBJECT_GET,
    PUBLIC,
    Row,
    everyone,
    statuses,
)
from tests.factories import UserFactory, grant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GET_ONLY_FOR_SIGNED_IN = statuses(302, 405, 405, 405, 405, 405)
OWN_OBJECT_POST = statuses(302, 404, 404, 404, 302, 302)


def prepare(world: Any) -> None:
    instructor = UserFactory(username="matrix_instructor_a")
    grant(instructor, Role.INSTRUCTOR, world.a)
    column = Column.objects.get(slug="yaowen")
    content = {
        "column": column,
        "title": "万达广场分站开展主题党日活动",
        "body": "<p>正文</p>",
        "audience": "public",
    }
    world.article_live = services.article_create(actor=world.worker_a, station=world.a, content=content)
    services.article_submit(actor=world.worker_a, article=world.article_live)
    services.article_approve(actor=instructor, article=world.article_live)
    world.article_live_file = services.attachment_add(
        actor=world.worker_a, article=world.article_live, upload=SimpleUploadedFile("活动方案.pdf", PDF)
    )
    world.article_draft = services.article_create(actor=world.worker_a, station=world.a, content=content)
    world.article_draft_file = services.attachment_add(
        actor=world.worker_a, article=world.article_draft, upload=SimpleUploadedFile("草稿附件.pdf", PDF)
    )
    world.column = column


def _draft(w: Any) -> dict[str, Any]:
    return {"pk": w.article_draft.pk}


ROWS: dict[str, Row] = {
    "news:list": Row(get=PUBLIC, post=everyone(405)),
    "news:station_list": Row(get=PUBLIC, post=everyone(405), kwargs=lambda w: {"code": w.a.code}),
    "news:detail": Row(get=PUBLIC, post=everyone(405), kwargs=lambda w: {"pk": w.article_live.pk}),
    "news:attachment": Row(
        get=PUBLIC,
        post=everyone(405),
        kwargs=lambda w: {"pk": w.article_live.pk, "attachment_pk": w.article_live_file.pk},
    ),
    "news:screen": Row(get=PUBLIC, post=everyone(405), kwargs=lambda w: {"code": w.a.code}),
    "news:screen_items": Row(get=PUBLIC, post=everyone(405), kwargs=lambda w: {"code": w.a.code}),
    "news:manage_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "news:manage_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "news:manage_detail": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY_FOR_SIGNED_IN, kwargs=_draft),
    "news:manage_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_draft),
    "news:manage_action": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=OWN_OBJECT_POST,
        kwargs=lambda w: {"pk": w.article_draft.pk, "action": "submit"},
    ),
    "news:attachment_upload": Row(get=GET_ONLY_FOR_SIGNED_IN, post=OWN_OBJECT_POST, kwargs=_draft),
    # The editor's picture upload for A's draft, posted without a picture: A's and HQ's admins reach the
    # picture check (400), B's admin does not find the draft (404), people without a news role get 403.
    "news:body_image": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=statuses(302, 403, 403, 404, 400, 400),
        post_data=lambda w: {"article": w.article_draft.pk},
    ),
    "news:attachment_delete": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=OWN_OBJECT_POST,
        kwargs=lambda w: {"pk": w.article_draft.pk, "attachment_pk": w.article_draft_file.pk},
    ),
    "news:synced": Row(get=ADMIN_PAGE, post=statuses(302, 403, 403, 404, 404, 404)),
    "news:column_list": Row(get=HQ_ONLY_PAGE, post=ADMIN_LIST_POST),
    "news:column_create": Row(get=HQ_ONLY_PAGE, post=HQ_ONLY_PAGE),
    "news:column_edit": Row(
        get=statuses(302, 404, 404, 404, 404, 200),
        post=statuses(302, 404, 404, 404, 404, 200),
        kwargs=lambda w: {"pk": w.column.pk},
    ),
}

API_WORKFLOW_GET = everyone(405)


def _draft_id(w: Any) -> dict[str, Any]:
    return {"article_id": w.article_draft.pk}


# submit on A's draft: A's and HQ's admins may; other signed-in people do not find the draft.
API_SUBMIT = statuses(401, 404, 404, 404, 200, 200)
# approve/return/withdraw on A's draft: found by A's and HQ's admins but refused (wrong role or state).
API_REVIEW = statuses(401, 404, 404, 404, 403, 403)

ROWS.update(
    {
        "api:article_list": Row(get=PUBLIC, post=everyone(405)),
        "api:article_detail": Row(
            get=PUBLIC, post=everyone(405), kwargs=lambda w: {"article_id": w.article_live.pk}
        ),
        "api:article_submit": Row(get=API_WORKFLOW_GET, post=API_SUBMIT, kwargs=_draft_id, json=True),
        "api:article_approve": Row(get=API_WORKFLOW_GET, post=API_REVIEW, kwargs=_draft_id, json=True),
        "api:article_return": Row(get=API_WORKFLOW_GET, post=API_REVIEW, kwargs=_draft_id, json=True),
        "api:article_withdraw": Row(
            get=API_WORKFLOW_GET, post=statuses(401, 404, 404, 404, 400, 400), kwargs=_draft_id, json=True
        ),
        "api:article_review_queue": Row(get=statuses(401, 200, 200, 200, 200, 200), post=everyone(405)),
    }
)

ROWS["core:search"] = Row(get=PUBLIC, post=everyone(405))
ROWS["api:search"] = Row(get=PUBLIC, post=everyone(405))
