"""Chinese full-text search over articles, never showing what the visitor may not see (§6.3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.news.conftest import published

SEARCH = "core:search"


def titles(client, query: str, **params: str) -> str:
    response = client.get(reverse(SEARCH), {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_search_finds_chinese_words_without_spaces(news, client) -> None:
    published(news, title="楼宇党建联盟签约仪式在万达广场举行", body="<p>八家企业党组织签订共建协议。</p>")
    published(news, title="新任党建指导员培训班开班", body="<p>培训围绕指导员职责展开。</p>")
    published(news, title="快递收发点启用", body="<p>方便职工收取快递。</p>")
    body = titles(client, "党建")
    assert "签约仪式" in body and "培训班开班" in body and "快递收发点" not in body
    body = titles(client, "指导员")
    assert "培训班开班" in body and "签约仪式" not in body
    assert "<mark>" in body


@pytest.mark.django_db
def test_search_hides_what_the_visitor_may_not_see(news, client) -> None:
    published(news, title="党建工作内部通报", audience="station")
    published(news, title="党建工作公开报道")
    body = titles(client, "党建工作")
    assert "公开报道" in body and "内部通报" not in body
    client.force_login(news.other_admin)
    assert "内部通报" not in titles(client, "党建工作")
    client.force_login(news.own_admin)
    assert "内部通报" in titles(client, "党建工作")


@pytest.mark.django_db
def test_withdrawn_article_leaves_the_index(news, client, django_capture_on_commit_callbacks) -> None:
    from dangjian.news import services

    article = published(news, title="党建品牌发布会")
    assert "发布会" in titles(client, "品牌")
    services.article_withdraw(actor=news.worker_a, article=article, reason="信息有误")
    assert "发布会" not in titles(client, "品牌")


@pytest.mark.django_db
def test_hostile_queries_never_fail(news, client) -> None:
    published(news, title="党建")
    for query in [
        '"',
        "*",
        "NEAR(党建)",
        "党建 OR 1=1",
        "'; DROP TABLE x;--",
        "(((",
        "a" * 300,
        "党建:*",
        "-党建",
    ]:
        assert client.get(reverse(SEARCH), {"q": query, "page": "abc", "kind": "<x>"}).status_code == 200


@pytest.mark.django_db
def test_search_api(news, client) -> None:
    published(news, title="楼宇党建联盟签约仪式", body="<p>共建</p>")
    published(news, title="党建内部材料", audience="station")
    data = client.get("/api/v1/search", {"q": "党建"}).json()
    assert data["total"] == 1 and data["hits"][0]["title"] == "楼宇党建联盟签约仪式"
    assert "<mark>党建</mark>" in data["hits"][0]["title_html"]
    assert client.get("/api/v1/search", {"q": "党建", "page": "x"}).status_code == 422
