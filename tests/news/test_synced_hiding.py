"""总站同步 隐藏/恢复 (§4.4): the article is looked up only among the synced, published articles the
person may see and hide at their station; anything else is the same 404, and no title leaks."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.news import services
from dangjian.news.models import Article, StationHiddenArticle
from tests import factories as f
from tests.news.conftest import content, published

SYNCED = reverse("news:synced")


def _hq_synced(news, **overrides) -> Article:
    return published(
        news,
        station=news.hq,
        author=news.worker_hq,
        reviewer=news.instructor_hq,
        sync_to_all=True,
        **overrides,
    )


@pytest.fixture
def secrets(news) -> dict[str, Article]:
    """Articles a worker of branch A must not find through 本站隐藏/恢复显示."""
    b_draft = services.article_create(
        actor=news.worker_b,
        station=news.b,
        content=content(news.news_column, title="金融分站草稿：干部调整方案"),
    )
    hq_draft = services.article_create(
        actor=news.worker_hq,
        station=news.hq,
        content=content(news.news_column, title="总站草稿：尚未审核的同步稿", sync_to_all=True),
    )
    not_synced = published(
        news,
        station=news.hq,
        author=news.worker_hq,
        reviewer=news.instructor_hq,
        title="总站内部：不同步的站内通报",
        audience="station",
    )
    hq_org = f.PartyOrganizationFactory(station=news.hq, name="总站机关党支部")
    unseen = _hq_synced(
        news, title="总站同步：仅机关党支部可见", audience="organization", organization=hq_org
    )
    return {"b_draft": b_draft, "hq_draft": hq_draft, "not_synced": not_synced, "unseen": unseen}


def _without_tokens(body: bytes) -> str:
    """The page with its per-render CSRF tokens blanked, to compare two 404 pages."""
    return re.sub(r"[A-Za-z0-9]{64}", "", body.decode())


def _post(client, news, article_pk: int, hide: str):
    return client.post(SYNCED, {"station": news.a.pk, "article": article_pk, "hide": hide})


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["b_draft", "hq_draft", "not_synced", "unseen"])
@pytest.mark.parametrize("hide", ["1", "0"])
def test_hiding_someone_elses_article_is_404_and_leaks_no_title(news, secrets, client, which, hide) -> None:
    article = secrets[which]
    client.force_login(news.worker_a)
    missing = _post(client, news, 999_999, hide)
    response = _post(client, news, article.pk, hide)
    assert response.status_code == missing.status_code == 404
    assert _without_tokens(response.content) == _without_tokens(missing.content)
    assert article.title not in response.content.decode()
    assert not [str(m) for m in get_messages(response.wsgi_request)]
    page = client.get(SYNCED, {"station": news.a.pk}).content.decode()
    assert article.title not in page
    assert not StationHiddenArticle.objects.filter(article=article).exists()


@pytest.mark.django_db
def test_branch_hides_and_restores_a_synced_hq_article(news, secrets, client) -> None:
    article = _hq_synced(news, title="总站同步：学习贯彻全会精神")
    client.force_login(news.worker_a)
    hidden = _post(client, news, article.pk, "1")
    assert hidden.status_code == 302
    assert StationHiddenArticle.objects.filter(article=article, station=news.a).exists()
    assert any(article.title in str(m) for m in get_messages(hidden.wsgi_request))
    restored = _post(client, news, article.pk, "0")
    assert restored.status_code == 302
    assert not StationHiddenArticle.objects.filter(article=article, station=news.a).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["b_draft", "hq_draft", "not_synced"])
def test_services_refuse_articles_that_are_not_synced_and_published(news, secrets, which) -> None:
    article = secrets[which]
    for service in (services.article_hide, services.article_unhide):
        with pytest.raises(ValidationError) as refused:
            service(actor=news.worker_a, article=article, station=news.a)
        assert refused.value.code == "not_synced" and article.title not in str(refused.value)
    assert not StationHiddenArticle.objects.filter(article=article).exists()


@pytest.mark.django_db
def test_services_refuse_a_synced_article_the_person_may_not_see(news, secrets) -> None:
    for service in (services.article_hide, services.article_unhide):
        with pytest.raises(PermissionDenied):
            service(actor=news.worker_a, article=secrets["unseen"], station=news.a)
    assert not StationHiddenArticle.objects.exists()
