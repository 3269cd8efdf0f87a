"""Helpers of the activities tests: people with roles, activities made through the services, clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import PersonKind, Role, User
from dangjian.activities.life_rules import SHANGHAI
from dangjian.activities.models import Activity, Registration
from dangjian.activities.services import activity_publish, activity_save
from dangjian.core.models import AuditEvent, Notification
from dangjian.organizations.models import PartyOrganization
from tests import factories as f


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An aware moment of Asia/Shanghai wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def member_of(organization: PartyOrganization, username: str, **fields: Any) -> User:
    return f.UserFactory(
        username=username,
        person_kind=PersonKind.MEMBER,
        organization=organization,
        home_station=organization.station,
        **fields,
    )


def secretary_of(organization: PartyOrganization, username: str) -> User:
    user = member_of(organization, username)
    f.grant(user, Role.ORG_SECRETARY, organization.station, organization=organization)
    return user


def a_week_ahead_at_ten() -> datetime:
    """Seven days ahead at 10:00 local time: far from midnight, so a two-hour activity stays on one day
    whenever the suite runs."""
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


def new_activity(
    actor: Any,
    organizations: list[PartyOrganization],
    *,
    publish: bool = True,
    starts_at: datetime | None = None,
    hours: float = 2,
    **fields: Any,
) -> Activity:
    starts_at = starts_at or a_week_ahead_at_ten()
    station = organizations[0].station if organizations else fields.pop("station")
    values: dict[str, Any] = {
        "station": station,
        "activity_type": "theme_day",
        "title": "学习贯彻主题党日",
        "description": "<p>集中学习</p><script>alert(1)</script>",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "audience": "organization",
        **fields,
    }
    activity = activity_save(actor=actor, activity=Activity(**values), organizations=organizations)
    if publish:
        activity = activity_publish(actor=actor, activity=activity)
    return Activity.objects.prefetch_related("organizers").get(pk=activity.pk)


def fresh(registration: Registration) -> Registration:
    return Registration.objects.get(pk=registration.pk)


def statuses(activity: Activity) -> list[str]:
    return list(
        Registration.objects.filter(activity=activity).order_by("id").values_list("status", flat=True)
    )


def audit_actions() -> list[str]:
    with scopes_disabled():
        return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def inbox(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True))


@dataclass
class Life:
    world: Any
    secretary_a: User
    secretary_b: User
    members: list[User]
    member_b: User
