"""Notifications: the inbox and its emails (DB3212/T 1124 §7.1: easy contact, timely updates).

A capability tells people something with `notify(...)` from inside its service; nothing is written or
sent until that service's transaction commits, so a rolled-back change never notifies anyone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.core.access import fetch_or_404
from dangjian.core.models import Notification, is_relative_path
from dangjian.core.tasks import send_notification_emails

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length or 120


def notify(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    station: Any = None,
    email: bool = True,
) -> None:
    """Put one notification per distinct recipient in their inbox once the current transaction commits,
    then email those who have an address (when `email`).

    `url` must be a site-relative path ("/news/12/") or ""; anything else is a programming error."""
    if url and not is_relative_path(url):
        raise ValueError(f"notification url must be a site-relative path, got {url!r}")
    people = _distinct(recipients)
    if not people:
        return
    title = _short(title)
    rows = [
        Notification(recipient=person, title=title, body=body, url=url, station=station) for person in people
    ]
    transaction.on_commit(lambda: _create_and_mail(rows, email=email), robust=True)


def _distinct(recipients: Iterable[Any]) -> list[Any]:
    """Saved users, each once, in the order given."""
    by_pk = {person.pk: person for person in recipients if person is not None and person.pk is not None}
    return list(by_pk.values())


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX_LENGTH else title[: TITLE_MAX_LENGTH - 1] + "…"


def _create_and_mail(rows: list[Notification], *, email: bool) -> None:
    created = Notification.objects.bulk_create(rows)
    if not email:
        return
    ids = [row.pk for row in created if row.pk is not None and row.recipient.email]
    if ids:
        send_notification_emails.delay(ids)


def mark_read(*, user: Any, notification: Notification) -> None:
    """Mark one of the user's own notifications read; reading it again changes nothing."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied("只能标记自己的消息")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now


def mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return unread_for(user).update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    """Unread notifications of `user`; 0 for an anonymous visitor (no query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread_for(user).count()


def unread_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def inbox_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (served by the `notification_inbox` index)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def access_notification(*, user: Any, pk: Any) -> Notification:
    """One of the person's own notifications; anyone else's is the same 404 as a missing one."""
    return fetch_or_404(inbox_for(user), pk)
