"""Builders of the 示范引领 tests: nominations walked along the workflow by the services, and publicity
records and events of a given year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from dangjian.honors import services
from dangjian.honors.models import HonorKind, Nomination

# the step that leads to each state, and who takes it (attributes of the test world)
PATH = (("submit", "nominator"), ("approve", "instructor"), ("award", "decider"))


def this_year() -> int:
    return timezone.localdate().year


def nominate(
    *,
    actor: Any,
    organization: Any,
    kind: str = HonorKind.ORGANIZATION,
    nominee: Any = None,
    year: int | None = None,
    deeds: str = "带领楼宇党员开展“红色物业”共建，服务驻楼企业 40 余家。",
) -> Nomination:
    return services.nomination_create(
        actor=actor,
        organization=organization,
        data=services.NominationInput(kind=kind, year=year or this_year(), deeds=deeds, nominee=nominee),
    )


def walk(nomination: Nomination, people: Any, steps: int) -> Nomination:
    """Take the first `steps` moves of submit → approve → award, each by its proper person."""
    for action, who in PATH[:steps]:
        nomination = services.nomination_act(actor=getattr(people, who), nomination=nomination, action=action)
    return nomination


def publicity(actor: Any, station: Any, *, level: str, on: date, title: str = "楼宇党建新观察") -> Any:
    return services.publicity_create(
        actor=actor,
        station=station,
        data=services.PublicityInput(outlet="泰州日报", level=level, published_on=on, title=title),
    )
