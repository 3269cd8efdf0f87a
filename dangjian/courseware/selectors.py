"""Reads of the courseware library.

Readers see published items through `visible_coursewares`, which applies the audience rule shared with
search (core.search.visibility_q): an item shared with the platform is for everyone signed in, one shared
with its station for that station's people. Management reads (`manageable_coursewares`) are the items of
the stations where the person shares or reviews, and their own uploads; anything else is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.urls import Resolver404, resolve

from dangjian.accounts.permissions import instructor_station_ids, is_hq_instructor, station_rows_q
from dangjian.accounts.viewer import viewer_for
from dangjian.core.access import fetch_or_404
from dangjian.core.search import SearchHit, SearchResults, search, visibility_q
from dangjian.core.search_models import Audience
from dangjian.core.workflow import ReviewStatus, RevisionState
from dangjian.courseware.models import OPEN_VERSION_STATES, Courseware, CoursewareVersion, Sharing, Tag
from dangjian.courseware.permissions import SHARER_ROLES
from dangjian.stations.models import Station

SEARCH_KIND = "课件"  # the kind of courseware in the core search index

AUDIENCE_OF_SHARING = {Sharing.PLATFORM: Audience.LOGGED_IN, Sharing.STATION: Audience.STATION}


def _with_audience(items: QuerySet[Courseware]) -> QuerySet[Courseware]:
    audience = Case(
        *(
            When(sharing=sharing, then=Value(audience.value))
            for sharing, audience in AUDIENCE_OF_SHARING.items()
        ),
        output_field=CharField(),
    )
    return items.alias(
        audience=audience,
        shared=Value(False, output_field=BooleanField()),
        organization=Value(None, output_field=IntegerField()),
    )


def _listed(items: QuerySet[Courseware]) -> QuerySet[Courseware]:
    return items.select_related("station", "owner", "live_version").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def visible_coursewares(user: Any) -> QuerySet[Courseware]:
    """Published items with a live file that `user` may read, newest first."""
    items = Courseware.objects.filter(
        status=ReviewStatus.PUBLISHED, live_version__isnull=False, station__is_active=True
    )
    return _listed(_with_audience(items).filter(visibility_q(viewer_for(user)))).order_by(
        "-published_at", "-id"
    )


def library(user: Any, *, tag: str = "", kind: str = "") -> QuerySet[Courseware]:
    """The library list: visible items, optionally of one tag or one file kind."""
    items = visible_coursewares(user)
    if tag:
        items = items.filter(tags__name=tag)
    if kind:
        items = items.filter(live_version__kind=kind)
    return items


def search_library(user: Any, query: str, *, page: int = 1) -> tuple[SearchResults, list[Found]]:
    """One page of the core search index's courseware matches and the items they are, best first
    (the index and `visible_coursewares` share the audience rule; an item hidden since is left out)."""
    results = search(query, viewer=viewer_for(user), kinds=[SEARCH_KIND], page=page)
    pks = [_pk_of(hit.url) for hit in results.hits]
    items = visible_coursewares(user).in_bulk([pk for pk in pks if pk is not None])
    found = [Found(hit, items[pk]) for hit, pk in zip(results.hits, pks, strict=True) if pk in items]
    return results, found


@dataclass(frozen=True)
class Found:
    hit: SearchHit
    courseware: Courseware


def _pk_of(url: str) -> int | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return int(match.kwargs["pk"]) if match.view_name == "courseware:detail" else None


def manageable_coursewares(user: Any) -> QuerySet[Courseware]:
    """Items of the stations where the person shares or reviews (all for HQ holders), and their own."""
    scope = station_rows_q(user, SHARER_ROLES, owner_field="owner_id")
    return _listed(Courseware.objects.filter(scope)).order_by("-updated_at", "-id")


def awaiting_review_by(user: Any) -> QuerySet[Courseware]:
    """Submitted items this person reviews: station sharing at the stations where they are instructor,
    platform sharing if they are an HQ instructor; never what they uploaded or submitted (§5.5)."""
    reviewable = Q(sharing=Sharing.STATION, station_id__in=sorted(instructor_station_ids(user)))
    if is_hq_instructor(user):
        reviewable |= Q(sharing=Sharing.PLATFORM)
    pending = CoursewareVersion.objects.filter(state=RevisionState.SUBMITTED).exclude(
        Q(uploaded_by_id=user.pk) | Q(submitted_by_id=user.pk)
    )
    return _listed(
        Courseware.objects.filter(reviewable, pk__in=pending.values("courseware_id")).exclude(
            owner_id=user.pk
        )
    ).order_by("updated_at", "id")


def open_version(courseware: Courseware) -> CoursewareVersion | None:
    """The version being drafted, reviewed or returned, if any (at most one: a database constraint)."""
    return courseware.versions.filter(state__in=OPEN_VERSION_STATES).first()


def versions_of(courseware: Courseware) -> QuerySet[CoursewareVersion]:
    return courseware.versions.select_related("uploaded_by", "reviewed_by").order_by("-number")


def used_bytes(user: Any) -> int:
    """What the person's stored uploads take, every version counted (the quota)."""
    total = CoursewareVersion.objects.filter(uploaded_by_id=user.pk).aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def tag_names() -> list[str]:
    """Tags in use on published items (the library's filter)."""
    used = Tag.objects.filter(coursewares__status=ReviewStatus.PUBLISHED).distinct()
    return list(used.order_by("name").values_list("name", flat=True)[:50])


def sharing_stations(user: Any) -> QuerySet[Station]:
    """Active stations where the person may share courseware (choices of the upload form)."""
    return Station.objects.filter(
        station_rows_q(user, SHARER_ROLES, station_field="pk"), is_active=True
    ).order_by("-kind", "name")


def access_courseware(*, user: Any, pk: Any, manage: bool = False) -> Courseware:
    """A published item the person may read, or (`manage`) one they share, keep or review; else 404."""
    return fetch_or_404(manageable_coursewares(user) if manage else visible_coursewares(user), pk)


def access_version(*, user: Any, courseware: Any, pk: Any) -> CoursewareVersion:
    """Any version of an item the person manages (reviewers look at a file before approving it)."""
    item = access_courseware(user=user, pk=courseware, manage=True)
    return fetch_or_404(item.versions.all(), pk)


def own_uploads(user: Any) -> QuerySet[Courseware]:
    """What the person uploaded, whatever its state (the uploader's card)."""
    return Courseware.objects.filter(owner_id=user.pk)


def returned_to(user: Any) -> QuerySet[Courseware]:
    """The person's uploads whose open version the reviewer sent back for changes."""
    returned = CoursewareVersion.objects.filter(state=RevisionState.RETURNED)
    return own_uploads(user).filter(pk__in=returned.values("courseware_id"))
