"""Reads of articles: portal lists (1+N sharing by reference), management lists and review queues."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import instructor_station_ids, stations_with_role
from dangjian.accounts.viewer import viewer_for
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped
from dangjian.core.parsing import positive_int_or_none
from dangjian.core.search import visibility_q
from dangjian.core.workflow import ReviewStatus
from dangjian.news.models import Article, ArticleAttachment, Column, RevisionState
from dangjian.stations.models import Station
from dangjian.stations.selectors import restrict_to_stations


def live_articles(user: Any) -> QuerySet[Article]:
    """Published, due, and visible to `user` — the one rule shared with search (core.search.visibility_q)."""
    return (
        Article.objects.filter(status=ReviewStatus.PUBLISHED, visible_from__lte=timezone.now())
        .alias(shared=F("sync_to_all"))
        .filter(visibility_q(viewer_for(user)))
        .select_related("column", "station")
        .order_by("-pinned", "-visible_from", "-id")
    )


def station_articles(user: Any, station: Any, *, column: Column | None = None) -> QuerySet[Article]:
    """A station's portal: its own articles plus synced ones (one row each, whatever N is), minus the
    synced ones this station hid. The query does not depend on the number of branches."""
    articles = live_articles(user).filter(Q(station=station) | Q(sync_to_all=True))
    articles = articles.exclude(hidden_at__station=station)
    return articles.filter(column=column) if column else articles


def platform_articles(user: Any, *, column: Column | None = None) -> QuerySet[Article]:
    articles = live_articles(user)
    return articles.filter(column=column) if column else articles


def synced_articles(user: Any, station: Any) -> QuerySet[Article]:
    """Synced articles shown at `station` (HQ's, and branch articles HQ accepted for every branch) that
    `user` may read: published and due, never a draft, never an unsynced article, never the station's own."""
    return live_articles(user).filter(sync_to_all=True).exclude(station=station)


def access_synced_article(*, user: Any, pk: Any, station: Any) -> Article:
    """A synced article that `user` may hide or restore at `station`; the same 404 for missing and
    forbidden, so that nothing about another station's articles (not even a title) can be learnt."""
    if not isinstance(pk, int) or pk <= 0 or not user.has_perm("news.hide_synced", station):
        raise Http404
    article = synced_articles(user, station).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def screen_articles(station: Any, *, limit: int = 12) -> list[Article]:
    """Public items for a station's display screen (§6.2): no login, so public audience only."""
    return list(
        Article.objects.filter(
            status=ReviewStatus.PUBLISHED, visible_from__lte=timezone.now(), audience="public"
        )
        .filter(Q(station=station) | Q(sync_to_all=True))
        .exclude(hidden_at__station=station)
        .select_related("column", "station")
        .order_by("-pinned", "-visible_from", "-id")[:limit]
    )


def workable_station_ids(user: Any) -> set[int] | None:
    return stations_with_role(user, Role.STATION_ADMIN, Role.WORKER, Role.INSTRUCTOR)


def workable_stations(user: Any) -> QuerySet[Station]:
    """Stations whose articles the user writes or reviews (the services still check each action)."""
    return restrict_to_stations(Station.objects.all(), workable_station_ids(user), field="id")


def manageable_articles(user: Any) -> QuerySet[Article]:
    """Articles of the stations where the user writes or reviews; other stations' drafts are invisible."""
    return restrict_to_stations(
        Article.objects.select_related("station", "column", "author", "latest_revision"),
        workable_station_ids(user),
    ).order_by("-updated_at", "-id")


def review_queue(user: Any) -> QuerySet[Article]:
    """Submitted revisions this user may review: instructors at exactly the article's station (§5.5)."""
    return (
        manageable_articles(user)
        .filter(
            station_id__in=sorted(instructor_station_ids(user)),
            latest_revision__state=RevisionState.SUBMITTED,
        )
        .exclude(latest_revision__created_by=user)
        .exclude(latest_revision__submitted_by=user)
    )


def hidden_article_ids(station: Any, article_ids: list[int]) -> set[int]:
    return set(
        station.hidden_articles.filter(article_id__in=article_ids).values_list("article_id", flat=True)
    )


def active_columns() -> QuerySet[Column]:
    return Column.objects.filter(is_active=True).order_by("sort_order", "id")


def access_article(*, user: Any, pk: Any, manage: bool = False) -> Article:
    """An article the person may read on the portal, or (`manage`) one of the stations where they
    write or review; anything else is the same 404."""
    if manage:
        return fetch_or_404(manageable_articles(user), pk)
    return fetch_or_404(live_articles(user).prefetch_related("attachments"), pk)


def article_state(article: Article) -> Article:
    """The article as stored, with its latest revision (what the workflow API answers after an action)."""
    return Article.objects.select_related("latest_revision").get(pk=article.pk)


def access_attachment(*, user: Any, article: Any, pk: Any, manage: bool = False) -> ArticleAttachment:
    """An attachment of an article the person may read — or, before publication, write or review
    (`manage`: only the latter); anything else is the same 404."""
    if manage:
        found = access_article(user=user, pk=article, manage=True)
        return fetch_or_404(ArticleAttachment.objects.filter(article=found).select_related("article"), pk)
    number = positive_int_or_none(article)
    if number is None or not (
        live_articles(user).filter(pk=number).exists()
        or (getattr(user, "is_authenticated", False) and manageable_articles(user).filter(pk=number).exists())
    ):
        raise Http404
    return fetch_or_404(ArticleAttachment.objects.filter(article_id=number), pk)


def access_column(*, user: Any, pk: Any, manage: bool = False) -> Column:
    """A column (columns are shared by every station); `manage`: for those who keep the columns."""
    if manage and not user.has_perm("news.manage_columns"):
        raise Http404
    return fetch_or_404(Column.objects.all(), pk)


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def article_figures(*, year: int) -> Figures:
    """Per station: `articles_published` this year (信息发布, §6.3), one query."""
    published = Article.objects.filter(status=ReviewStatus.PUBLISHED, published_at__year=year)
    return grouped(published, articles_published=Count("pk"))
