from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dangjian.accounts.models import PersonKind, Role
from tests import factories as f
from tests.venues.builders import make_venue


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def venues(world: Any) -> Any:
    """The `world` plus venues people: A's guide and B's guide and worker, an HQ guide; the member lives in
    A (home station), a member of B; A is a large branch open to its surroundings and the resident lives in
    its surrounding community (鼓楼社区); a resident of a place served by B (not open). A's book bar needs
    the guide's approval; A's hall is booked at once."""
    world.a.open_to_surroundings = True
    world.a.save()
    world.guide_a = f.UserFactory(username="guide_a", real_name="孙丽")
    f.grant(world.guide_a, Role.GUIDE, world.a)
    world.guide_b = f.UserFactory(username="guide_b", real_name="钱峰")
    f.grant(world.guide_b, Role.GUIDE, world.b)
    world.hq_guide = f.UserFactory(username="hq_guide", real_name="周洁")
    f.grant(world.hq_guide, Role.GUIDE, world.hq)
    world.worker_b = f.UserFactory(username="worker_b", real_name="吴刚")
    f.grant(world.worker_b, Role.WORKER, world.b, building=world.building_b)
    world.member.home_station = world.a
    world.member.save()
    world.member_b = f.UserFactory(username="member_b", person_kind=PersonKind.MEMBER, home_station=world.b)
    world.resident.place = world.place_a
    world.resident.save()
    world.place_b = f.PlaceFactory(station=world.b, name="凤凰社区")
    world.resident_b = f.UserFactory(
        username="resident_b", person_kind=PersonKind.RESIDENT, place=world.place_b
    )
    world.book_bar = make_venue(world.a, name="万达书吧", building=world.building_a, audience="surroundings")
    world.hall = make_venue(world.a, name="万达党群综合馆", kind="hall", capacity=80, needs_approval=False)
    world.salon_b = make_venue(
        world.b, name="金融沙龙", kind="salon", building=world.building_b, audience="surroundings"
    )
    return world
