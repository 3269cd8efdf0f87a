"""定时发布: an approved article with a future time stays hidden until then, then is announced once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.core.search import ANONYMOUS, search
from dangjian.news import selectors
from dangjian.news.models import Article
from dangjian.news.tasks import announce_due_articles_task
from tests.news.conftest import published


@pytest.mark.django_db
def test_future_article_waits_then_is_announced_once(news, django_capture_on_commit_callbacks) -> None:
    article = published(news, title="元旦慰问活动预告", publish_at=timezone.now() + timedelta(hours=2))
    assert article.status == "published" and not article.is_live()
    assert article not in selectors.station_articles(None, news.a)
    assert search("元旦慰问", viewer=ANONYMOUS).total == 0
    assert announce_due_articles_task() == 0
    Article.objects.filter(pk=article.pk).update(visible_from=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_due_articles_task() == 1
        assert announce_due_articles_task() == 0
    assert article in selectors.station_articles(None, news.a)
    assert search("元旦慰问", viewer=ANONYMOUS).total == 1
