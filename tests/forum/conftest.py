from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dangjian.accounts.models import PersonKind, Role
from tests import factories as f


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def forum(world: Any) -> Any:
    """The `world` plus forum people: A's worker (`worker_a`, of world), B's worker, A's and B's
    instructors, an HQ worker and instructor; the member lives in A, `member_b` in B; boards of A, B and
    the platform."""
    from dangjian.forum import services

    world.member.home_station = world.a
    world.member.real_name = "王建华"
    world.member.save()
    world.member2 = f.UserFactory(
        username="lixiuying", real_name="李秀英", home_station=world.a, person_kind=PersonKind.MEMBER
    )
    world.member_b = f.UserFactory(
        username="member_b", real_name="赵敏", home_station=world.b, person_kind=PersonKind.MEMBER
    )
    world.worker_b = f.UserFactory(username="worker_b", real_name="吴刚")
    f.grant(world.worker_b, Role.WORKER, world.b, building=world.building_b)
    world.instructor_a = f.UserFactory(username="instructor_a", real_name="陈立群")
    f.grant(world.instructor_a, Role.INSTRUCTOR, world.a)
    world.instructor_b = f.UserFactory(username="instructor_b", real_name="黄卫东")
    f.grant(world.instructor_b, Role.INSTRUCTOR, world.b)
    world.hq_worker = f.UserFactory(username="hq_worker", real_name="周洁")
    f.grant(world.hq_worker, Role.WORKER, world.hq)
    world.board_a = services.station_board(world.a)
    world.board_b = services.station_board(world.b)
    world.platform = services.platform_board()
    return world
