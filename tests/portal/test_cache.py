"""Anonymous portal pages come from the cache (dangjian/core/cache.py) and never show anything stale:
every change made through the services shows at the next request, a scheduled article appears when it
is due, signed-in people never get a cached page, a cached page is the page the view renders (with each
visitor's own CSRF token and the reader count), and a hit runs no SQL."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.core import cache as page_cache
from dangjian.disclosures import services as disclosure_services
from dangjian.news import services
from dangjian.news.models import Article, Column
from dangjian.news.views import VIEWS_WRITTEN_EVERY
from dangjian.stations import services as station_services
from dangjian.stations.models import ResidentUnit
from tests import factories as f
from tests.disclosures.builders import make_instructor
from tests.disclosures.builders import published as published_disclosure
from tests.news.conftest import content, published

CSRF_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


@pytest.fixture(autouse=True)
def page_caching(settings) -> Iterator[None]:
    """Caching on, in this process's own memory (never a Redis shared with another test process)."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        }
    }
    cache.clear()
    page_cache._local_pages.clear()
    page_cache._tallies.clear()
    yield
    cache.clear()
    page_cache._tallies.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run services as if their transaction committed: the on-commit version bumps happen."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def body(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def hq_synced(news: Any, **overrides: Any) -> Article:
    return published(
        news,
        station=news.hq,
        author=news.worker_hq,
        reviewer=news.instructor_hq,
        sync_to_all=True,
        **overrides,
    )


def assert_cached(client: Client, url: str, django_assert_max_num_queries: Any, queries: int = 0) -> str:
    body(client, url)  # fills the cache, if it was not already
    with django_assert_max_num_queries(queries):
        return body(client, url)


# ---------------------------------------------------------------- publishing shows at once


@pytest.mark.django_db
def test_publishing_and_withdrawing_show_at_once_on_every_page(
    news, client, commit, django_assert_max_num_queries
) -> None:
    title = "总站同步：学习贯彻全会精神专题"
    pages = [
        "/",
        reverse("portal:station", args=[news.a.code]),
        reverse("news:list"),
        reverse("news:station_list", args=[news.b.code]),
        reverse("news:screen", args=[news.a.code]),
        reverse("news:screen_items", args=[news.b.code]),
    ]
    for url in pages:
        assert title not in assert_cached(client, url, django_assert_max_num_queries)
    with commit():
        article = hq_synced(news, title=title)
    for url in pages:
        assert title in body(client, url), url
    for url in pages:
        assert title in assert_cached(client, url, django_assert_max_num_queries)
    with commit():
        services.article_withdraw(actor=news.instructor_hq, article=article, reason="内容需要更新")
    for url in pages:
        assert title not in body(client, url), url


@pytest.mark.django_db
def test_a_branch_article_shows_at_its_station_and_on_the_platform_only(news, client, commit) -> None:
    own, other = reverse("portal:station", args=[news.a.code]), reverse("portal:station", args=[news.b.code])
    for url in ("/", own, other):
        body(client, url)
    with commit():
        published(news, title="万达分站：主题党日活动掠影")
    assert "万达分站：主题党日活动掠影" in body(client, "/")
    assert "万达分站：主题党日活动掠影" in body(client, own)
    assert "万达分站：主题党日活动掠影" not in body(client, other)


@pytest.mark.django_db
def test_hiding_a_synced_article_at_a_branch_shows_at_once_there_only(news, client, commit) -> None:
    title = "总站同步：楼宇党建工作要点"
    with commit():
        article = hq_synced(news, title=title)
    at_a = [reverse("portal:station", args=[news.a.code]), reverse("news:station_list", args=[news.a.code])]
    at_b = reverse("portal:station", args=[news.b.code])
    for url in [*at_a, at_b]:
        assert title in body(client, url)
    with commit():
        services.article_hide(actor=news.worker_a, article=article, station=news.a)
    for url in at_a:
        assert title not in body(client, url), url
    assert title in body(client, at_b)
    with commit():
        services.article_unhide(actor=news.worker_a, article=article, station=news.a)
    for url in at_a:
        assert title in body(client, url), url


@pytest.mark.django_db
def test_an_approved_new_version_shows_at_once(news, client, commit, django_assert_max_num_queries) -> None:
    with commit():
        article = published(news, title="旧标题：季度联席会议")
    detail, listing = reverse("news:detail", args=[article.pk]), reverse("news:list")
    for url in (detail, listing):
        assert "旧标题：季度联席会议" in body(client, url)
    with commit():
        edited = {**content(news.news_column), "title": "新标题：季度联席会议纪要"}
        services.article_save_draft(actor=news.worker_a, article=article, content=edited)
        services.article_submit(actor=news.worker_a, article=article)
    for url in (detail, listing):  # in review: the published copy stays, still cached
        assert "旧标题：季度联席会议" in assert_cached(client, url, django_assert_max_num_queries)
    with commit():
        services.article_approve(actor=news.instructor_a, article=article)
    for url in (detail, listing):
        page = body(client, url)
        assert "新标题：季度联席会议纪要" in page and "旧标题" not in page
    with commit():
        services.article_archive(actor=news.worker_a, article=article)
    assert client.get(detail).status_code == 404
    assert "新标题" not in body(client, listing)


@pytest.mark.django_db
def test_a_column_rename_shows_at_once(news, client, commit) -> None:
    with commit():
        published(news, title="通知：党费收缴")
    listing = reverse("news:list")
    assert news.news_column.name in body(client, listing)
    column = Column.objects.get(pk=news.news_column.pk)
    with commit():
        column.name = "楼宇要闻"
        services.column_save(column=column, actor=news.hq_admin, before={"name": news.news_column.name})
    assert "楼宇要闻" in body(client, listing)


@pytest.mark.django_db
def test_the_platform_figures_and_the_station_follow_the_structure(news, client, commit) -> None:
    station = reverse("portal:station", args=[news.a.code])
    assert '<div class="stat-num">2</div><div class="stat-label">入驻单位' in body(client, "/")
    assert "1 家单位</span>" in body(client, station)
    with commit():
        unit = ResidentUnit(building=news.building_a, name="泰州凤城会计师事务所", uscc=f.valid_uscc(4242))
        station_services.unit_save(unit=unit, actor=news.own_admin)
    assert '<div class="stat-num">3</div><div class="stat-label">入驻单位' in body(client, "/")
    assert "2 家单位</span>" in body(client, station)


@pytest.mark.django_db
def test_disclosure_index_shows_approval_and_withdrawal_at_once(news, client, commit) -> None:
    instructor = make_instructor(news.a, "disclosure_instructor_a")
    index = reverse("disclosures:organization_index", args=[news.org_a.pk])
    assert "党费收缴与使用情况公示" not in body(client, index)
    with commit():
        item = published_disclosure(news.worker_a, news.org_a, reviewer=instructor)
    assert "2026年第三季度党费收缴与使用情况公示" in body(client, index)
    assert "2026年第三季度党费收缴与使用情况公示" in body(client, index + "?category=dues")
    with commit():
        disclosure_services.disclosure_withdraw(
            disclosure=item, actor=instructor, comment="数据有误，重新核对"
        )
    assert "已撤回" in body(client, index)
    with commit():
        disclosure_services.disclosure_archive(disclosure=item, actor=news.worker_a)
    assert "党费收缴与使用情况公示" not in body(client, index)


# ---------------------------------------------------------------- time


@pytest.mark.django_db
def test_a_scheduled_article_appears_when_due(
    news, client, commit, monkeypatch, django_assert_max_num_queries
) -> None:
    pages = [
        "/",
        reverse("portal:station", args=[news.a.code]),
        reverse("news:screen_items", args=[news.a.code]),
    ]
    with commit():
        article = published(
            news, title="定时发布：元旦慰问活动", publish_at=timezone.now() + timedelta(minutes=5)
        )
    for url in pages:
        assert "元旦慰问活动" not in assert_cached(client, url, django_assert_max_num_queries)
    # Five minutes on (sooner than PAGE_CACHE_SECONDS), for the pages' clock and the cache's alike.
    later = timedelta(minutes=5, seconds=1)
    real_now, real_time = timezone.now, time.time
    monkeypatch.setattr(timezone, "now", lambda: real_now() + later)
    monkeypatch.setattr(page_cache, "time", SimpleNamespace(time=lambda: real_time() + later.total_seconds(),
                                                            monotonic=time.monotonic))  # fmt: skip
    assert article.is_live()
    for url in pages:  # no task has run: the cached pages ended when the article came due
        assert "元旦慰问活动" in body(client, url), url


# ---------------------------------------------------------------- who gets a cached page


@pytest.mark.django_db
def test_signed_in_people_never_get_a_cached_page(news, client) -> None:
    member = news.member
    for url in ("/", reverse("portal:station", args=[news.a.code]), reverse("news:list")):
        anonymous = body(client, url)
        assert "登录</a>" in anonymous and member.display_name not in anonymous
        client.force_login(member)
        signed_in = body(client, url)
        assert member.display_name in signed_in and "退出登录" in signed_in
        client.logout()
        assert member.display_name not in body(client, url)


@pytest.mark.django_db
def test_a_page_with_a_message_is_not_served_from_the_cache(news, client) -> None:
    body(client, "/")
    client.force_login(news.member)
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "您已安全退出" in response.content.decode()
    assert "您已安全退出" not in body(client, "/")


@pytest.mark.django_db
def test_the_station_an_anonymous_visitor_chose_is_in_their_header_only(news) -> None:
    chooser, other = Client(), Client()
    body(other, "/")
    chooser.post(reverse("portal:switch_station"), {"station": news.b.pk})
    header = body(chooser, "/").split("</header>")[0]
    assert f'class="nav-link nav-station" href="{news.b.get_absolute_url()}"' in header
    assert "nav-station" not in body(other, "/").split("</header>")[0]


@pytest.mark.django_db
def test_unknown_query_parameters_bypass_the_cache(news, client, django_assert_max_num_queries) -> None:
    url = reverse("news:list")
    assert_cached(client, url + "?column=tongzhi", django_assert_max_num_queries)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            body(client, url + "?utm_source=wechat")
        assert len(queries) > 0  # rendered each time


# ---------------------------------------------------------------- the page is the page


def _normalised(page: str) -> str:
    return CSRF_TOKEN.sub("TOKEN", page)


@pytest.mark.django_db
def test_a_cached_page_is_the_page_the_view_renders(news, settings, commit) -> None:
    with commit():
        article = hq_synced(news, title="总站同步：页面一致")
    urls = [
        "/",
        reverse("portal:stations"),
        reverse("portal:station", args=[news.a.code]),
        reverse("news:list") + "?column=yaowen",
        reverse("news:station_list", args=[news.a.code]),
        reverse("news:screen", args=[news.a.code]),
        reverse("news:screen_items", args=[news.a.code]),
        reverse("disclosures:organization_index", args=[news.org_a.pk]),
    ]
    for url in urls:
        settings.PAGE_CACHE_SECONDS = 0
        uncached = body(Client(), url)
        settings.PAGE_CACHE_SECONDS = 600
        filled, hit = body(Client(), url), body(Client(), url)
        assert _normalised(filled) == _normalised(uncached) == _normalised(hit), url
    detail = reverse("news:detail", args=[article.pk])
    pages = []
    for cached in (False, True, True):
        settings.PAGE_CACHE_SECONDS = 600 if cached else 0
        pages.append(body(Client(), detail))
    assert [int(re.findall(r"阅读 (\d+)", page)[0]) for page in pages] == [1, 2, 3]
    assert len({_normalised(re.sub(r"阅读 \d+", "阅读 N", page)) for page in pages}) == 1


@pytest.mark.django_db
def test_every_visitor_gets_their_own_csrf_token(news) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for visitor in (first, second):
        page = body(visitor, "/")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        assert 'name="csrfmiddlewaretoken" value="' + token + '"' in page
        assert visitor.cookies["csrftoken"].value
        tokens.append(token)
        switched = visitor.post(
            reverse("portal:switch_station"), {"station": news.a.pk, "csrfmiddlewaretoken": token}
        )
        assert switched.status_code == 302  # the token of the cached page is valid for this visitor
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_readers_are_counted_in_the_cache_and_written_back(
    news, client, django_assert_max_num_queries
) -> None:
    article = hq_synced(news, title="总站同步：阅读数")
    url = reverse("news:detail", args=[article.pk])
    assert "阅读 1<" in body(client, url)
    with django_assert_max_num_queries(0):
        assert "阅读 2<" in body(client, url)
    client.force_login(news.member)
    assert "阅读 3<" in body(client, url)  # rendered for the signed-in reader, counted alike
    client.logout()
    readers = 3
    while Article.objects.get(pk=article.pk).view_count == 0:
        body(client, url)
        readers += 1
    assert readers <= VIEWS_WRITTEN_EVERY + page_cache.COUNT_BATCH  # the article records as it goes
    assert Article.objects.get(pk=article.pk).view_count >= VIEWS_WRITTEN_EVERY
    page_cache._tallies.clear()  # a new process, and the count lost (evicted): from the article's
    cache.delete(page_cache.COUNTER_PREFIX + f"article-views:{article.pk}")
    recorded = Article.objects.get(pk=article.pk).view_count
    assert f"阅读 {recorded + 1}<" in body(client, url)


def test_a_process_tells_the_shared_count_in_batches(monkeypatch) -> None:
    monkeypatch.setattr(page_cache, "COUNT_BATCH", 10)
    told: list[tuple[int, int]] = []

    def add() -> int:
        return page_cache.count("test-batches", initial=lambda: 100, told=lambda *batch: told.append(batch))

    assert [add() for _ in range(12)] == list(range(101, 113))
    assert told == [(101, 1), (111, 10)]  # the first at once, then every COUNT_BATCH
    cache.incr(page_cache.COUNTER_PREFIX + "test-batches", 5)  # another process's readers
    monkeypatch.setattr(page_cache, "COUNT_BATCH_SECONDS", 0.0)
    assert add() == 118  # …heard when this process tells its own: 111 + 2 + 5
    assert told[-1] == (118, 2)


def test_versions_are_renewed_on_commit_only(transactional_db) -> None:
    before = page_cache.versions([page_cache.PLATFORM_NEWS])
    with transaction.atomic():
        page_cache.bump(page_cache.PLATFORM_NEWS)
        assert page_cache.versions([page_cache.PLATFORM_NEWS]) == before
    assert page_cache.versions([page_cache.PLATFORM_NEWS]) != before
    renewed = page_cache.versions([page_cache.PLATFORM_NEWS])
    with pytest.raises(RuntimeError), transaction.atomic():
        page_cache.bump(page_cache.PLATFORM_NEWS)
        raise RuntimeError
    assert page_cache.versions([page_cache.PLATFORM_NEWS]) == renewed


def test_an_evicted_version_never_comes_back() -> None:
    seen = set()
    for _ in range(50):
        cache.delete(page_cache.VERSION_PREFIX + page_cache.SYNCED_NEWS)
        seen.add(page_cache.versions([page_cache.SYNCED_NEWS]))
    assert len(seen) == 50


@pytest.fixture
def on_redis(settings) -> Iterator[str]:
    """Django's cache on Redis under a key prefix of this test only (its keys removed afterwards)."""
    prefix = f"test-page-cache-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "dangjian.core.cache_backends.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    for key, watcher in list(page_cache._watchers.items()):
        if prefix in key:
            watcher._lose(retry_in=0)
            del page_cache._watchers[key]
    redis_client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    for key in redis_client.scan_iter(match=f"{prefix}:*"):
        redis_client.delete(key)


needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


@needs_redis
@pytest.mark.django_db
def test_the_same_on_redis(news, client, commit, on_redis, django_assert_max_num_queries) -> None:
    """Versions (integers), pages (pickled), renewals on commit and their messages, through Redis."""
    url = reverse("portal:station", args=[news.a.code])
    assert "总站同步：在 Redis 中" not in assert_cached(client, url, django_assert_max_num_queries)
    with commit():
        hq_synced(news, title="总站同步：在 Redis 中")
    assert "总站同步：在 Redis 中" in assert_cached(client, url, django_assert_max_num_queries)


@needs_redis
def test_versions_live_in_memory_until_another_process_renews_them(on_redis, monkeypatch) -> None:
    scope = page_cache.SYNCED_NEWS
    (first,) = page_cache.versions([scope])
    key = cache.make_key(page_cache.VERSION_PREFIX + scope)
    redis_client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    redis_client.set(key, 42)  # changed behind the process's back, and not announced
    assert page_cache.versions([scope]) == (first,)  # from memory: no round trip
    cache.publish(page_cache.RENEWALS_CHANNEL, json.dumps([scope]))  # type: ignore[attr-defined]
    assert page_cache.versions([scope]) == (42,)  # another process's renewal, heard at once
    monkeypatch.setattr(page_cache, "LOCAL_VERSION_SECONDS", 0.0)
    cache.publish(page_cache.RENEWALS_CHANNEL, json.dumps([scope]))  # type: ignore[attr-defined]
    assert page_cache.versions([scope]) == (42,)  # read again, now kept 0 s
    redis_client.set(key, 43)
    assert page_cache.versions([scope]) == (43,)  # an unheard change costs at most that life
