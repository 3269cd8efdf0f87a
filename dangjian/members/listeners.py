"""Reactions to other capabilities' signals (DESIGN.md: a listener imports only the emitter's signals)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django_scopes import scopes_disabled

from dangjian.activities.signals import entitled_voters_wanted
from dangjian.members.models import ACTIVE_STATUSES, Category, MemberProfile


def entitled_voters(sender: Any, organization_id: int, on: date, **kwargs: Any) -> int | None:
    """Members entitled to vote at a 支部党员大会 on `on`: the organisation's full members (正式党员) in good
    standing, full since that day or earlier; 预备党员 have no vote (党章第七条). None when the organisation
    keeps no roster here (no member at all), so the secretary's typed number is used instead."""
    entitled = Q(category=Category.FORMAL, status__in=ACTIVE_STATUSES, full_member_on__lte=on)
    with scopes_disabled():  # two counts, no personal data leaves this function
        counts = MemberProfile.objects.filter(organization_id=organization_id).aggregate(
            roster=Count("pk"), entitled=Count("pk", filter=entitled)
        )
    return counts["entitled"] if counts["roster"] else None


def connect() -> None:
    entitled_voters_wanted.connect(entitled_voters, dispatch_uid="members.entitled_voters")
