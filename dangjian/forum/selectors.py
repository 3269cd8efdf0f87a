"""Reads of the forum (互动交流). Every queryset is narrowed to what the person may see, with the filters built
in `accounts.permissions` (the one visibility authority); `access_<thing>` fetches and authorises in one
step, the same 404 for missing and forbidden, for pages and the API alike.

- Boards: every active board is public; the station's moderators also see an inactive one.
- Topics and replies: published and not hidden ones for everyone; a person also sees their own held,
  rejected or hidden posts (with a note why); the board station's workers and admin (HQ: every station,
  and the platform board) see every post of the board.
- Reports and held posts: the moderators' queue of their stations.
- 问指导员: the questions of the stations where the person is an instructor (exactly there: an HQ grant
  reaches the platform board's questions, not the branches').
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role
from dangjian.core.access import fetch_or_404
from dangjian.forum.models import (
    Board,
    Like,
    ModerationLog,
    PostImage,
    PostStatus,
    Reply,
    Report,
    ReportStatus,
    Topic,
    TopicKind,
)

MODERATOR_ROLES = (Role.WORKER, Role.STATION_ADMIN)


def any_of(*conditions: Q) -> Q:
    """OR of row filters where an empty `Q()` means every row (an HQ holder)."""
    if any(not condition for condition in conditions):
        return Q()
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


def moderated_q(user: Any, *, station_field: str = "station_id") -> Q:
    """Rows of the stations the person moderates; the platform board's (no station) for HQ holders."""
    return visibility.station_rows_q(user, MODERATOR_ROLES, station_field=station_field)


def _second_check(user: Any, permission: str, found: Any) -> Any:
    if not user.has_perm(permission, found):
        raise Http404
    return found


# ---------------------------------------------------------------- boards


def boards_for(*, user: Any) -> QuerySet[Board]:
    """Active boards (and the inactive ones the person moderates): the platform board first, then the
    stations in their order."""
    condition = any_of(Q(is_active=True), moderated_q(user))
    return (
        Board.objects.select_related("station")
        .filter(condition)
        .order_by("-is_platform", "station__sort_order", "sort_order", "id")
    )


def access_board(*, user: Any, pk: Any, manage: bool = False) -> Board:
    boards = (
        Board.objects.select_related("station").filter(moderated_q(user)) if manage else boards_for(user=user)
    )
    found = fetch_or_404(boards, pk)
    return _second_check(user, "forum.moderate" if manage else "forum.view_board", found)


def platform_board() -> Board | None:
    return Board.objects.filter(is_platform=True, is_active=True).first()


def board_of_station(station_id: int) -> Board | None:
    return Board.objects.filter(station_id=station_id, is_active=True).first()


# ---------------------------------------------------------------- topics and replies


def visible_posts_q(user: Any) -> Q:
    """Posts the person may read: everyone's published and not hidden, their own, the moderated ones."""
    public = Q(status=PostStatus.PUBLISHED, is_hidden=False)
    if not getattr(user, "is_authenticated", False):
        return public
    return any_of(public, Q(author_id=user.pk), moderated_q(user))


def _images() -> Prefetch:
    return Prefetch("images", queryset=PostImage.objects.order_by("position", "id"))


def topics_for(*, user: Any, board: Board | None = None) -> QuerySet[Topic]:
    """Topics the person may read, pinned first, then by latest activity."""
    topics = (
        Topic.objects.select_related("author", "board", "answered_by")
        .filter(visible_posts_q(user))
        .filter(board__in=boards_for(user=user))
    )
    if board is not None:
        topics = topics.filter(board=board)
    return with_liked(topics, user=user).order_by("-is_pinned", "-last_activity_at", "-id")


def filter_questions(topics: QuerySet[Topic], *, answered: str = "") -> QuerySet[Topic]:
    """`answered` "1": answered questions; "0": open questions; anything else: every question."""
    questions = topics.filter(kind=TopicKind.QUESTION)
    if answered == "1":
        return questions.filter(answered_at__isnull=False)
    if answered == "0":
        return questions.filter(answered_at__isnull=True)
    return questions


def with_liked(queryset: QuerySet[Any], *, user: Any) -> QuerySet[Any]:
    """Annotate `liked`: whether the person liked each topic or reply (one subquery, no extra query)."""
    if not getattr(user, "is_authenticated", False):
        return queryset
    field = "topic" if queryset.model is Topic else "reply"
    likes = Like.objects.filter(user_id=user.pk, **{field: OuterRef("pk")})
    if field == "topic":
        likes = likes.filter(reply__isnull=True)
    return queryset.annotate(liked=Exists(likes))


def access_topic(*, user: Any, pk: Any, manage: bool = False) -> Topic:
    """A topic the person may read; with `manage`, one of a board the person moderates."""
    topics = Topic.objects.select_related("author", "board", "board__station", "answered_by", "answer")
    topics = topics.filter(moderated_q(user)) if manage else topics.filter(visible_posts_q(user))
    topics = topics.filter(board__in=boards_for(user=user))
    found = fetch_or_404(with_liked(topics, user=user).prefetch_related(_images()), pk)
    return _second_check(user, "forum.moderate" if manage else "forum.view_board", found)


def replies_for(*, user: Any, topic: Topic) -> QuerySet[Reply]:
    """The replies of a topic the person may read, oldest first, with their pictures and authors."""
    replies = Reply.objects.select_related("author").filter(topic=topic).filter(visible_posts_q(user))
    return with_liked(replies, user=user).prefetch_related(_images()).order_by("created_at", "id")


def shown_reply(*, user: Any, topic: Topic, pk: int) -> Reply:
    """One reply of `topic` as `replies_for` shows it (with the person's like), e.g. the one just posted."""
    return replies_for(user=user, topic=topic).get(pk=pk)


def access_reply(*, user: Any, pk: Any, manage: bool = False) -> Reply:
    """A reply the person may read (of a topic they may read); with `manage`, one they moderate."""
    replies = Reply.objects.select_related("author", "topic", "topic__board")
    replies = replies.filter(moderated_q(user)) if manage else replies.filter(visible_posts_q(user))
    found = fetch_or_404(replies, pk)
    found.topic = access_topic(user=user, pk=found.topic_id, manage=manage)
    return found


# ---------------------------------------------------------------- 问指导员


def instructor_questions(*, user: Any) -> QuerySet[Topic]:
    """Published questions of the stations (exactly) where the person is an instructor; HQ instructors
    also the platform board's."""
    station_ids = sorted(visibility.instructor_station_ids(user))
    if not station_ids:
        return Topic.objects.none()
    condition = Q(station_id__in=station_ids)
    if visibility.is_hq_instructor(user):
        condition |= Q(board__is_platform=True)
    return (
        Topic.objects.select_related("author", "board", "answered_by")
        .filter(condition, kind=TopicKind.QUESTION, status=PostStatus.PUBLISHED, is_hidden=False)
        .order_by("answered_at", "-created_at", "-id")
    )


def unanswered_questions(*, user: Any) -> QuerySet[Topic]:
    return instructor_questions(user=user).filter(answered_at__isnull=True)


# ---------------------------------------------------------------- moderation queue


def open_reports(*, user: Any) -> QuerySet[Report]:
    return (
        Report.objects.select_related("topic", "reply", "reporter", "topic__board")
        .filter(moderated_q(user), status=ReportStatus.OPEN)
        .order_by("created_at", "id")
    )


def access_report(*, user: Any, pk: Any) -> Report:
    reports = Report.objects.select_related("topic", "reply").filter(moderated_q(user))
    return _second_check(user, "forum.moderate", fetch_or_404(reports, pk))


def held_topics(*, user: Any) -> QuerySet[Topic]:
    return (
        Topic.objects.select_related("author", "board")
        .filter(moderated_q(user), status=PostStatus.PENDING)
        .order_by("created_at", "id")
    )


def held_replies(*, user: Any) -> QuerySet[Reply]:
    return (
        Reply.objects.select_related("author", "topic")
        .filter(moderated_q(user), status=PostStatus.PENDING)
        .order_by("created_at", "id")
    )


def waiting_count(*, user: Any) -> int:
    """Reports and held posts waiting for the person (the workers' card), in one query."""
    parts = [rows.order_by().values_list("pk") for rows in (held_replies(user=user), open_reports(user=user))]
    return held_topics(user=user).order_by().values_list("pk").union(*parts, all=True).count()


def moderation_log(*, user: Any) -> QuerySet[ModerationLog]:
    return (
        ModerationLog.objects.select_related("actor", "topic", "reply")
        .filter(moderated_q(user))
        .order_by("-created_at", "-id")
    )


def topic_log(*, topic: Topic) -> QuerySet[ModerationLog]:
    return ModerationLog.objects.select_related("actor").filter(topic=topic).order_by("-created_at", "-id")
