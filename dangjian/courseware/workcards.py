"""Cards of the courseware library on the work page (工作台): the instructor's items waiting for review,
and the sharer's own uploads (with how many came back for changes)."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.permissions import is_any_instructor
from dangjian.core.workcards import KEEP, register_card
from dangjian.courseware.selectors import awaiting_review_by, own_uploads, returned_to


def awaiting_count(user: Any) -> int:
    return awaiting_review_by(user).count()


def own_count(user: Any) -> int | None:
    return own_uploads(user).count() or None  # a sharer who has uploaded nothing sees no card


def returned_note(user: Any) -> str:
    returned = returned_to(user).count()
    return f"{returned} 份退回待修改" if returned else ""


register_card(
    key="courseware.review_queue",
    title="待我审核的课件",
    icon="file-earmark-check",
    url="courseware:manage_list",
    roles=is_any_instructor,
    count=awaiting_count,
    order=25,
    unit="份",
    hint="本站点共享或全平台共享前须经党建指导员审核",
)
register_card(
    key="courseware.mine",
    title="我上传的课件",
    icon="collection-play",
    url="courseware:manage_list",
    roles="courseware.manage",
    count=own_count,
    order=65,
    section=KEEP,
    unit="份",
    note=returned_note,
)
