"""The articles API: visible lists and details, and the review workflow with JSON errors."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.services import token_create
from dangjian.news import services
from tests.news.conftest import content, published

API = "/api/v1"


def bearer(user):
    _, secret = token_create(user=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_lists_show_only_what_the_caller_may_see(news, client) -> None:
    public = published(news, title="公开文章")
    station_only = published(news, title="本站文章", audience="station")
    titles = [item["title"] for item in client.get(f"{API}/articles").json()["items"]]
    assert public.title in titles and station_only.title not in titles
    news.member.home_station = news.a
    news.member.save()
    titles = [item["title"] for item in client.get(f"{API}/articles", **bearer(news.member)).json()["items"]]
    assert station_only.title in titles
    assert client.get(f"{API}/articles/{station_only.pk}").status_code == 404
    detail = client.get(f"{API}/articles/{public.pk}").json()
    assert detail["title"] == "公开文章" and "body" in detail


@pytest.mark.django_db
def test_station_filter_includes_synced_hq_items(news, client) -> None:
    hq = published(
        news,
        station=news.hq,
        author=news.worker_hq,
        reviewer=news.instructor_hq,
        sync_to_all=True,
        title="总站同步",
    )
    own_b = published(
        news, station=news.b, author=news.worker_b, reviewer=news.instructor_b, title="金融大厦分站动态"
    )
    titles = [i["title"] for i in client.get(f"{API}/articles", {"station": news.a.pk}).json()["items"]]
    assert hq.title in titles and own_b.title not in titles
    assert client.get(f"{API}/articles", {"station": 999999}).status_code == 404


@pytest.mark.django_db
def test_workflow_through_the_api(news, client) -> None:
    article = services.article_create(actor=news.worker_a, station=news.a, content=content(news.news_column))
    submitted = client.post(f"{API}/articles/{article.pk}/submit", **bearer(news.worker_a))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    again = client.post(f"{API}/articles/{article.pk}/submit", **bearer(news.worker_a))
    assert (
        again.status_code == 400
        and again.json()["code"] == "wrong_state"
        and "不能提交审核" in again.json()["message"]
    )
    no_comment = client.post(
        f"{API}/articles/{article.pk}/return",
        {"comment": ""},
        content_type="application/json",
        **bearer(news.instructor_a),
    )
    assert no_comment.status_code == 400 and "退回意见" in no_comment.json()["message"]
    queue = client.get(f"{API}/articles-review-queue", **bearer(news.instructor_a)).json()
    assert [i["id"] for i in queue["items"]] == [article.pk]
    approved = client.post(f"{API}/articles/{article.pk}/approve", **bearer(news.instructor_a))
    assert approved.status_code == 200 and approved.json()["status"] == "published"


@pytest.mark.django_db
def test_other_station_gets_404_and_wrong_role_403(news, client) -> None:
    article = services.article_create(actor=news.worker_a, station=news.a, content=content(news.news_column))
    assert client.post(f"{API}/articles/{article.pk}/submit", **bearer(news.worker_b)).status_code == 404
    assert client.post(f"{API}/articles/{article.pk}/submit").status_code == 401
    services.article_submit(actor=news.worker_a, article=article)
    refused = client.post(f"{API}/articles/{article.pk}/approve", **bearer(news.worker_a))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


@pytest.mark.django_db
def test_article_list_queries_are_constant(news, client) -> None:
    published(news)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/articles").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(12):
        published(news, title=f"文章{n}")
    assert count() == few
