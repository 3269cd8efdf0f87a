"""Cards of information publishing on the work page (§5.5: workers publish, instructors review)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    is_any_instructor,
    is_any_station_admin,
    is_any_worker,
    is_authenticated,
    stations_with_role,
)
from dangjian.core.workcards import SHORTCUT, register_card, remembered
from dangjian.core.workflow import ReviewStatus
from dangjian.news.models import Article
from dangjian.news.selectors import manageable_articles, review_queue
from dangjian.stations.selectors import restrict_to_stations

is_writer = is_any_station_admin | is_any_worker  # `news.add_article` somewhere


def writable_articles(user: Any) -> QuerySet[Article]:
    """Articles of the stations where the user writes (admin or party-affairs worker): those they may
    edit and submit, not those they only review."""
    return restrict_to_stations(
        manageable_articles(user), stations_with_role(user, Role.STATION_ADMIN, Role.WORKER)
    )


def _in_progress(user: Any) -> dict[str, int]:
    """Drafts and returned articles the user may work on, counted in one query."""
    return remembered(  # type: ignore[no-any-return]
        user,
        "news.in_progress",
        lambda: writable_articles(user).aggregate(
            draft=Count("pk", filter=Q(status=ReviewStatus.DRAFT)),
            returned=Count("pk", filter=Q(status=ReviewStatus.RETURNED)),
        ),
    )


register_card(
    key="news.compose",
    title="撰写信息",
    icon="pencil-square",
    url="news:manage_create",
    roles=is_writer,
    order=10,
    section=SHORTCUT,
    hint="写好后提交本站党建指导员审核",
)
register_card(
    key="news.drafts",
    title="信息草稿",
    icon="file-earmark-text",
    url="news:manage_list",
    query="?status=draft",
    roles=is_writer,
    count=lambda user: _in_progress(user)["draft"],
    order=20,
    unit="篇",
    hint="尚未提交审核",
)
register_card(
    key="news.returned",
    title="被退回的信息",
    icon="arrow-return-left",
    url="news:manage_list",
    query="?status=returned",
    roles=is_writer,
    count=lambda user: _in_progress(user)["returned"],
    order=21,
    unit="篇",
    hint="按审核意见修改后重新提交",
)
register_card(
    key="news.review_queue",
    title="待我审核的信息",
    icon="clipboard-check",
    url="news:manage_list",
    query="?queue=1",
    roles=is_any_instructor,
    count=lambda user: review_queue(user).count(),
    order=10,
    unit="篇",
    hint="本站党务工作者提交的信息",
)
register_card(
    key="news.browse",
    title="信息浏览",
    icon="newspaper",
    url="news:list",
    roles=is_authenticated,
    order=90,
    section=SHORTCUT,
    hint="各站点的要闻、通知公告与学习资料",
)
