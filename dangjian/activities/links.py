"""Site paths of activities for notifications and work cards. The pages come in a later slice: a URL name
that does not exist yet gives "" (a notification without a link) instead of an error."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def path_or_blank(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def path_or(name: str, fallback: str, **kwargs: Any) -> str:
    """The path of `name`, or of `fallback` (a URL name that exists) until `name` does."""
    return path_or_blank(name, **kwargs) or path_or_blank(fallback) or "/"


def activity_url(activity: Any) -> str:
    return path_or_blank("activities:detail", pk=activity.pk)


def registration_url(registration: Any) -> str:
    return path_or_blank("activities:registration", pk=registration.pk) or activity_url(registration.activity)
