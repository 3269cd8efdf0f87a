from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage

from dangjian.accounts.models import Role
from dangjian.courseware import services
from dangjian.courseware.models import Courseware, CoursewareVersion
from tests import factories as f
from tests.courseware import samples


@pytest.fixture(autouse=True)
def _courseware_files(tmp_path, monkeypatch):
    """Stored files go to a folder of the test's own (the field's storage is resolved when models load)."""
    folder = tmp_path / "courseware"
    monkeypatch.setattr(
        CoursewareVersion._meta.get_field("file"), "storage", FileSystemStorage(location=folder)
    )
    return folder


@pytest.fixture
def cw(world):
    """The `world` plus the reviewers of courseware: instructors of A, B and HQ."""
    world.instructor_a = f.UserFactory(username="cw_instructor_a", real_name="李文华")
    f.grant(world.instructor_a, Role.INSTRUCTOR, world.a)
    world.instructor_b = f.UserFactory(username="cw_instructor_b", real_name="钱国梁")
    f.grant(world.instructor_b, Role.INSTRUCTOR, world.b)
    world.instructor_hq = f.UserFactory(username="cw_instructor_hq", real_name="孙立新")
    f.grant(world.instructor_hq, Role.INSTRUCTOR, world.hq)
    return world


def upload_draft(
    world: Any, *, name: str = "党课讲义.pdf", data: bytes = samples.PDF, **details: Any
) -> Courseware:
    fields = {"title": "学习贯彻党的二十大精神专题党课", "description": "专题党课讲义", "tags": "党课 二十大"}
    fields.update(details)
    return services.courseware_create(
        actor=world.worker_a,
        station=world.a,
        details=services.Details(**fields),
        upload=samples.upload(name, data),
    )


def publish(world: Any, courseware: Courseware, reviewer: Any = None) -> Courseware:
    services.courseware_transition(actor=world.worker_a, courseware=courseware, action="submit")
    reviewer = reviewer or (world.instructor_hq if courseware.sharing == "platform" else world.instructor_a)
    return services.courseware_transition(actor=reviewer, courseware=courseware, action="approve")
