"""Cards of party-affairs disclosure (党务公开, §6.3) on the work page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from dangjian.accounts.permissions import is_any_instructor
from dangjian.core.workcards import SHORTCUT, register_card, remembered
from dangjian.core.workflow import ReviewStatus
from dangjian.disclosures.models import Disclosure
from dangjian.disclosures.permissions import is_any_writer
from dangjian.disclosures.selectors import awaiting_review_by, manageable_disclosures, writer_organizations


def writable_disclosures(user: Any) -> QuerySet[Disclosure]:
    """Items of the organisations the user writes for (not those they only review)."""
    return manageable_disclosures(user).filter(organization__in=writer_organizations(user).values("pk"))


def _in_progress(user: Any) -> dict[str, int]:
    """Drafts and returned items the user may work on, counted in one query."""
    return remembered(  # type: ignore[no-any-return]
        user,
        "disclosures.in_progress",
        lambda: writable_disclosures(user).aggregate(
            draft=Count("pk", filter=Q(status=ReviewStatus.DRAFT)),
            returned=Count("pk", filter=Q(status=ReviewStatus.RETURNED)),
        ),
    )


register_card(
    key="disclosures.compose",
    title="发布党务公开",
    icon="megaphone",
    url="disclosures:disclosure_create",
    roles=is_any_writer,
    order=20,
    section=SHORTCUT,
    hint="按季度公开组织建设、党费收缴等事项",
)
register_card(
    key="disclosures.returned",
    title="被退回的党务公开",
    icon="arrow-return-left",
    url="disclosures:disclosure_list",
    query="?status=returned",
    roles=is_any_writer,
    count=lambda user: _in_progress(user)["returned"],
    order=31,
    unit="项",
    hint="按审核意见修改后重新提交",
)
register_card(
    key="disclosures.drafts",
    title="党务公开草稿",
    icon="file-earmark-ruled",
    url="disclosures:disclosure_list",
    query="?status=draft",
    roles=is_any_writer,
    count=lambda user: _in_progress(user)["draft"],
    order=30,
    unit="项",
    hint="尚未提交审核",
)
register_card(
    key="disclosures.review_queue",
    title="待我审核的党务公开",
    icon="clipboard2-check",
    url="disclosures:disclosure_list",
    query="?mine=on",
    roles=is_any_instructor,
    count=lambda user: manageable_disclosures(user).filter(awaiting_review_by(user)).count(),
    order=11,
    unit="项",
)


def own_organization_index(user: Any) -> str:
    return reverse("disclosures:organization_index", kwargs={"pk": user.organization_id})


register_card(
    key="disclosures.own_organization",
    title="本组织党务公开",
    icon="journal-check",
    url=own_organization_index,
    roles=lambda user: bool(getattr(user, "organization_id", None)),
    order=91,
    section=SHORTCUT,
    hint="所在党组织公开的党务事项",
)
