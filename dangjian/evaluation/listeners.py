"""Satisfaction surveys are sent on completion (DB3212/T 1124 §10.1.1 服务对象满意度): the evaluation
capability listens to the signals activities and venues emit (importing only their `signals` modules) and
invites each person served once per occasion (`services.invitations_create`, idempotent)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from dangjian.activities.signals import ActivitySummary, activity_attendees_final
from dangjian.evaluation.models import OccasionKind
from dangjian.evaluation.services import invitations_create
from dangjian.venues.signals import reservation_checked_in, tour_recorded


@receiver(activity_attendees_final, dispatch_uid="evaluation.activity_attendees")
def invite_attendees(
    sender: Any, summary: ActivitySummary, attendee_ids: tuple[int, ...], **kwargs: Any
) -> None:
    invitations_create(
        station_id=summary.station_id,
        kind=OccasionKind.ACTIVITY,
        occasion_id=summary.activity_id,
        title=summary.title,
        occurred_at=summary.ends_at,
        person_ids=attendee_ids,
        organization_id=summary.organization_ids[0] if summary.organization_ids else None,
    )


@receiver(reservation_checked_in, dispatch_uid="evaluation.reservation_checked_in")
def invite_holder(sender: Any, reservation: Any, **kwargs: Any) -> None:
    invitations_create(
        station_id=reservation.station_id,
        kind=OccasionKind.BOOKING,
        occasion_id=reservation.pk,
        title=f"{reservation.venue.name}：{reservation.purpose}",
        occurred_at=reservation.ends_at,
        person_ids=[reservation.holder_id],
    )


@receiver(tour_recorded, dispatch_uid="evaluation.tour_recorded")
def invite_requester(sender: Any, tour: Any, **kwargs: Any) -> None:
    invitations_create(
        station_id=tour.station_id,
        kind=OccasionKind.TOUR,
        occasion_id=tour.pk,
        title=f"参观{tour.station.name}（{tour.group_name}）",
        occurred_at=tour.ends_at,
        person_ids=[tour.requested_by_id],
    )
