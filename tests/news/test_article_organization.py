"""可见党组织 belongs to the article's station: a branch cannot aim an article at another station's
organisation, whose reviewers would never see it (neither through the form nor the service)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.news import services
from dangjian.news.forms import ArticleForm
from dangjian.news.models import Article, ArticleRevision
from tests.news.conftest import content, published


def _body(news, organization, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "station": news.a.pk,
        "column": news.news_column.pk,
        "title": "万达分站：支部党员学习安排",
        "summary": "本月学习安排",
        "body": "<p>请各位党员按时参加。</p>",
        "audience": "organization",
        "organization": organization.pk,
        "publish_at": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_form_offers_only_the_articles_station_organisations(news) -> None:
    choices = ArticleForm(station=news.a).fields["organization"].queryset  # type: ignore[attr-defined]
    assert news.org_a in choices and news.org_b not in choices


@pytest.mark.django_db
def test_create_page_refuses_another_stations_organisation(news, client) -> None:
    client.force_login(news.worker_a)
    url = reverse("news:manage_create")
    refused = client.post(url, _body(news, news.org_b))
    assert refused.status_code == 200
    assert "organization" in refused.context["form"].errors
    assert not Article.objects.filter(title="万达分站：支部党员学习安排").exists()
    created = client.post(url, _body(news, news.org_a))  # positive control
    assert created.status_code == 302
    assert Article.objects.get(title="万达分站：支部党员学习安排").organization == news.org_a


@pytest.mark.django_db
def test_edit_page_refuses_another_stations_organisation(news, client) -> None:
    article = services.article_create(
        actor=news.worker_a, station=news.a, content=content(news.news_column, title="万达分站：草稿")
    )
    client.force_login(news.worker_a)
    url = reverse("news:manage_edit", kwargs={"pk": article.pk})
    response = client.post(url, _body(news, news.org_b, title="万达分站：草稿"))
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    article.refresh_from_db()
    assert article.organization_id is None and article.latest_revision.organization_id is None


@pytest.mark.django_db
def test_services_refuse_another_stations_organisation(news) -> None:
    aimed = content(news.news_column, audience="organization", organization=news.org_b)
    with pytest.raises(ValidationError) as refused:
        services.article_create(actor=news.worker_a, station=news.a, content=aimed)
    assert refused.value.code == "organization_station" and "党组织" in refused.value.messages[0]
    assert not Article.objects.exists()

    article = published(news)
    revisions = ArticleRevision.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.article_save_draft(actor=news.worker_a, article=article, content=aimed)
    assert refused.value.code == "organization_station"
    assert ArticleRevision.objects.count() == revisions

    own = content(news.news_column, audience="organization", organization=news.org_a)
    services.article_save_draft(actor=news.worker_a, article=article, content=own)  # positive control
    article.refresh_from_db()
    assert article.latest_revision.organization == news.org_a
