"""Builders of venues, bookings and times for the venues tests. Times are local (Asia/Shanghai) days from
today at a given hour, so every booking is in the future and inside the default 30-day advance window."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dangjian.accounts.models import User
from dangjian.venues import services
from dangjian.venues.models import OpeningHours, Reservation, ReservationStatus, Venue

EVERY_DAY = range(7)


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def at(offset: int, hour: int, minute: int = 0) -> datetime:
    """Today + `offset` days at hour:minute, local time, aware."""
    return timezone.make_aware(datetime.combine(day(offset), time(hour, minute)))


def make_venue(station: Any, *, hours: tuple[int, int] = (8, 21), **fields: Any) -> Venue:
    """A venue open every day from 8:00 to 21:00 (unless told otherwise), needing approval."""
    defaults: dict[str, Any] = {
        "name": f"书吧{Venue.objects.count() + 1}",
        "kind": "book_bar",
        "capacity": 20,
        "audience": "station",
    }
    defaults.update(fields)
    venue = Venue.objects.create(station=station, **defaults)
    OpeningHours.objects.bulk_create(
        [OpeningHours(venue=venue, weekday=d, opens=time(hours[0]), closes=time(hours[1])) for d in EVERY_DAY]
    )
    return venue


def request(
    user: User, venue: Venue, offset: int = 3, start: int = 10, end: int = 12, **options: Any
) -> list[Reservation]:
    options.setdefault("purpose", "支部主题党日")
    options.setdefault("head_count", 10)
    return services.reservation_request(
        actor=user, venue=venue, starts_at=at(offset, start), ends_at=at(offset, end), **options
    )


def booked(
    user: User,
    venue: Venue,
    offset: int = 3,
    start: int = 10,
    end: int = 12,
    status: str = ReservationStatus.APPROVED,
) -> Reservation:
    """A booking written straight to the database (the state under test comes from elsewhere)."""
    return Reservation.objects.create(
        station=venue.station,
        venue=venue,
        holder=user,
        purpose="读书分享会",
        head_count=8,
        starts_at=at(offset, start),
        ends_at=at(offset, end),
        status=status,
    )


def png(name: str = "photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def status_of(reservation: Reservation) -> str:
    return Reservation.objects.values_list("status", flat=True).get(pk=reservation.pk)
