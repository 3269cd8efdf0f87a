"""An article body is stored and shown without any executable part (DESIGN.md: nh3 on save)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.richtext import sanitize_html
from dangjian.news import services
from dangjian.news.models import Article
from tests.news.conftest import content

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x OnErRoR=alert(1)>",
    '<img src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<a href="&#106;avascript:alert(1)">点我</a>',
    '<a href=" javascript:alert(1)">点我</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点我</a>',
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<p onclick=alert(1)>点我</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>提交</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<!--<img src=--><img src=x onerror=alert(1)//-->",
    "<table background=javascript:alert(1)>",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<img src="/media/news/body/a.png" onerror=alert(1)>',
    '<img src="/media/news/body/a.png" alt="x" onload="alert(1)" style="x:expression(alert(1))">',
    '<a href="/media/x.png" onmouseover=alert(1)>图</a>',
]
FORBIDDEN = re.compile(
    r"<script|<iframe|<object|<embed|<svg|<style|<meta|<base|<form|<input|\bon\w+\s*=|javascript:|vbscript:|data:text",
    re.I,
)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.django_db
def test_payload_is_neutralised_in_storage_and_page(news, client, payload) -> None:
    body = f"<p>正文</p>{payload}"
    assert not FORBIDDEN.search(sanitize_html(body)), sanitize_html(body)  # nh3, whatever comes before it
    try:
        article = services.article_create(
            actor=news.worker_a, station=news.a, content=content(news.news_column, body=body)
        )
    except ValidationError as refused:
        # A picture from another site (src=x, javascript:…) is refused before nh3 runs: nothing stored.
        assert refused.code == "external_image"
        assert not Article.objects.exists()
        return
    services.article_submit(actor=news.worker_a, article=article)
    services.article_approve(actor=news.instructor_a, article=article)
    article.refresh_from_db()
    assert not FORBIDDEN.search(article.body), article.body
    assert not FORBIDDEN.search(article.latest_revision.body)
    page = client.get(article.get_absolute_url()).content.decode()
    body = page.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    assert not FORBIDDEN.search(body), body
    assert "正文" in body


def test_there_are_at_least_twenty_payloads() -> None:
    assert len(PAYLOADS) >= 20
