"""1+N sync (§4.4, §4.5): HQ articles appear at every branch by reference, edits show everywhere,
a branch may hide an HQ item locally, and a branch may recommend its article to HQ."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.workflow import TransitionError
from dangjian.news import selectors, services
from dangjian.news.models import Article, ArticleRevision
from dangjian.stations.models import Station
from tests.news.conftest import published


def hq_synced(news, **overrides):
    return published(
        news,
        station=news.hq,
        author=news.worker_hq,
        reviewer=news.instructor_hq,
        sync_to_all=True,
        **overrides,
    )


@pytest.mark.django_db
def test_synced_hq_article_shows_at_every_branch(news) -> None:
    article = hq_synced(news, title="总站：学习贯彻党的二十届三中全会精神")
    for station in (news.a, news.b, news.hq):
        assert article in selectors.station_articles(news.anonymous, station)
    own = published(news, title="万达分站：青年党员志愿服务")
    assert own in selectors.station_articles(None, news.a)
    assert own not in selectors.station_articles(None, news.b)


@pytest.mark.django_db
def test_hq_edit_shows_everywhere_at_once(news) -> None:
    article = hq_synced(news, title="旧标题")
    services.article_save_draft(actor=news.worker_hq, article=article, content={"title": "新标题"})
    services.article_submit(actor=news.worker_hq, article=article)
    services.article_approve(actor=news.instructor_hq, article=article)
    for station in (news.a, news.b):
        titles = list(selectors.station_articles(None, station).values_list("title", flat=True))
        assert "新标题" in titles and "旧标题" not in titles


@pytest.mark.django_db
def test_branch_hides_hq_item_only_for_itself(news) -> None:
    article = hq_synced(news)
    services.article_hide(actor=news.worker_a, article=article, station=news.a)
    services.article_hide(actor=news.worker_a, article=article, station=news.a)  # twice changes nothing
    assert article not in selectors.station_articles(None, news.a)
    assert article in selectors.station_articles(None, news.b)
    services.article_unhide(actor=news.worker_a, article=article, station=news.a)
    assert article in selectors.station_articles(None, news.a)


@pytest.mark.django_db
def test_hiding_is_for_synced_items_of_own_station_only(news) -> None:
    from django.core.exceptions import PermissionDenied

    article = hq_synced(news)
    with pytest.raises(PermissionDenied):
        services.article_hide(actor=news.worker_b, article=article, station=news.a)
    own = published(news)
    with pytest.raises(TransitionError):
        services.article_hide(actor=news.worker_a, article=own, station=news.a)


@pytest.mark.django_db
def test_branch_cannot_sync_by_itself_but_recommends_to_hq(news) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:  # refused with a reason, not silently dropped
        published(news, sync_to_all=True, title="万达分站：楼宇红色驿站揭牌")
    assert refused.value.code == "sync_not_hq" and "推荐到总站" in refused.value.messages[0]
    assert not Article.objects.filter(station=news.a).exists()
    article = published(news, title="万达分站：楼宇红色驿站揭牌")
    assert not article.sync_to_all
    assert article not in selectors.station_articles(None, news.b)
    services.article_recommend(actor=news.worker_a, article=article)
    with pytest.raises(TransitionError):
        services.article_recommend(actor=news.worker_a, article=article)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.recommendation_decide(actor=news.instructor_a, article=article, accept=True)
    services.recommendation_decide(actor=news.instructor_hq, article=article, accept=True)
    article.refresh_from_db()
    assert article.sync_to_all and article in selectors.station_articles(None, news.b)


@pytest.mark.django_db
def test_declining_a_recommendation_needs_a_reason(news) -> None:
    article = published(news)
    services.article_recommend(actor=news.worker_a, article=article)
    with pytest.raises(TransitionError):
        services.recommendation_decide(actor=news.instructor_hq, article=article, accept=False, comment="")
    services.recommendation_decide(
        actor=news.instructor_hq, article=article, accept=False, comment="内容与全区关联不大"
    )
    article.refresh_from_db()
    assert article.recommendation == "declined" and not article.sync_to_all


@pytest.mark.django_db
def test_one_row_and_constant_queries_with_1000_branches(news, client) -> None:
    """Publishing a synced HQ article writes one article row; a branch portal's query count does not
    depend on how many branches there are."""
    article = hq_synced(news)

    def branch_page_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("news:station_list", kwargs={"code": news.b.code}))
        assert response.status_code == 200 and article.title in response.content.decode()
        return len(ctx.captured_queries)

    few = branch_page_queries()
    Station.objects.bulk_create(
        [Station(kind="branch", code=f"bulk-{n}", name=f"批量分站{n}", address="泰州市") for n in range(1000)]
    )
    rows_before = (Article.objects.count(), ArticleRevision.objects.count())
    second = hq_synced(news, title="总站：第二篇同步文章")
    assert (Article.objects.count(), ArticleRevision.objects.count()) == (
        rows_before[0] + 1,
        rows_before[1] + 1,
    )
    assert second in selectors.station_articles(None, Station.objects.get(code="bulk-999"))
    assert branch_page_queries() == few
