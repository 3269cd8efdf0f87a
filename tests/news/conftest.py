from __future__ import annotations

from typing import Any

import pytest

from dangjian.accounts.models import Role
from dangjian.news import services
from dangjian.news.models import Article, Column
from tests import factories as f


@pytest.fixture
def news(world):
    """The `world` plus the people of the publishing workflow and the default columns."""
    world.instructor_a = f.UserFactory(username="instructor_a", real_name="李文华")
    f.grant(world.instructor_a, Role.INSTRUCTOR, world.a)
    world.instructor_b = f.UserFactory(username="instructor_b", real_name="钱国梁")
    f.grant(world.instructor_b, Role.INSTRUCTOR, world.b)
    world.instructor_hq = f.UserFactory(username="instructor_hq", real_name="孙立新")
    f.grant(world.instructor_hq, Role.INSTRUCTOR, world.hq)
    world.worker_b = f.UserFactory(username="worker_b", real_name="周晓梅")
    f.grant(world.worker_b, Role.WORKER, world.b, building=world.building_b)
    world.worker_hq = f.UserFactory(username="worker_hq", real_name="吴婷")
    f.grant(world.worker_hq, Role.WORKER, world.hq, building=f.BuildingFactory(station=world.hq))
    world.news_column = Column.objects.get(slug="yaowen")
    world.notice_column = Column.objects.get(slug="tongzhi")
    return world


def content(column: Column, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "column": column,
        "title": "海陵区楼宇党建联盟召开季度联席会议",
        "summary": "会议通报了一季度共建项目进展，部署下一阶段重点工作。",
        "body": "<p>3月28日，万达广场分站组织召开楼宇党建联盟季度联席会议。</p>",
        "audience": "public",
        "pinned": False,
        "publish_at": None,
        "sync_to_all": False,
    }
    data.update(overrides)
    return data


def published(
    world: Any, *, station: Any = None, author: Any = None, reviewer: Any = None, **overrides: Any
) -> Article:
    """An article written, submitted and approved through the real services."""
    station = station or world.a
    author = author or world.worker_a
    reviewer = reviewer or world.instructor_a
    column = overrides.pop("column", world.news_column)
    article = services.article_create(actor=author, station=station, content=content(column, **overrides))
    services.article_submit(actor=author, article=article)
    services.article_approve(actor=reviewer, article=article)
    article.refresh_from_db()
    return article
