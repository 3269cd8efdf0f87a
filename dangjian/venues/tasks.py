from celery import shared_task

from dangjian.venues.services import release_no_shows


@shared_task(name="venues.release_no_shows")
def release_no_shows_task(now: str | None = None) -> int:
    """Every 5 minutes: approved bookings not checked in 30 minutes after their start become 未到场, the
    slot is released and the booking counts against the holder's monthly quota. `now` (ISO 8601, for
    tests and catching up) defaults to the current time."""
    from django.utils.dateparse import parse_datetime

    return release_no_shows(now=parse_datetime(now) if now else None)
