"""Access-matrix rows of member management (§6.3 党员管理). The objects belong to branch A: a member
profile in world.org_a (of a person who is none of the matrix roles) and a pending correction of it.
Personal data is isolated: every page of one member is a 404 outside A and HQ (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_scopes import scope

from dangjian.members.models import CorrectableField, ProfileCorrection
from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    LOGGED_IN_PAGE,
    MANAGE_OBJECT_GET,
    Row,
    everyone,
    statuses,
)
from tests.members.builders import make_profile

GET_ONLY_FOR_SIGNED_IN = statuses(302, 405, 405, 405, 405, 405)
POST_ONLY_FOR_SIGNED_IN = GET_ONLY_FOR_SIGNED_IN
OWN_OBJECT_POST = statuses(302, 404, 404, 404, 302, 302)
NO_PROFILE_OF_ONES_OWN = statuses(302, 404, 404, 404, 404, 404)  # none of the matrix roles is a member


def prepare(world: Any) -> None:
    world.member_profile_a = make_profile(world.org_a, job_title="软件工程师")
    with scope(station=[world.a.pk]):
        world.member_correction_a = ProfileCorrection.objects.create(
            profile=world.member_profile_a,
            station=world.a,
            field=CorrectableField.JOB_TITLE,
            old_value="软件工程师",
            new_value="党务专员",
            reason="岗位调整",
            requested_by=world.member_profile_a.user,
        )


def _profile(name: str = "pk") -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: w.member_profile_a.pk}


def _correction(w: Any) -> dict[str, Any]:
    return {"pk": w.member_correction_a.pk}


ROWS: dict[str, Row] = {
    "members:roster": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "members:create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "members:stats": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "members:export": Row(get=ADMIN_PAGE, post=ADMIN_PAGE, post_data=lambda w: {"unmasked": "1"}),
    "members:import": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "members:import_template": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "members:corrections": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "members:correction_accept": Row(get=GET_ONLY_FOR_SIGNED_IN, post=OWN_OBJECT_POST, kwargs=_correction),
    "members:correction_reject": Row(
        get=GET_ONLY_FOR_SIGNED_IN,
        post=OWN_OBJECT_POST,
        kwargs=_correction,
        post_data=lambda w: {"note": "与档案不符"},
    ),
    "members:detail": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY_FOR_SIGNED_IN, kwargs=_profile()),
    "members:edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_profile()),
    "members:reveal": Row(get=POST_ONLY_FOR_SIGNED_IN, post=MANAGE_OBJECT_GET, kwargs=_profile()),
    "members:me": Row(get=LOGGED_IN_PAGE, post=NO_PROFILE_OF_ONES_OWN),
    "members:me_reveal": Row(get=POST_ONLY_FOR_SIGNED_IN, post=NO_PROFILE_OF_ONES_OWN),
    "api:my_member_profile": Row(get=statuses(401, 404, 404, 404, 404, 404), post=everyone(405)),
    "api:organization_members": Row(
        get=statuses(401, 404, 404, 404, 200, 200),
        post=everyone(405),
        kwargs=lambda w: {"organization_id": w.org_a.pk},
    ),
}
