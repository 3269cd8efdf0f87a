"""Access-matrix rows of the people pages (dangjian/people): role grants, the audit trail, registration
and people management; the person edited belongs to branch A.

The "[…]" rows are the role-holder-elsewhere cases: a person whose home station is A but who holds a
role at HQ, at branch B, or as platform admin. A's admin may not edit or reset them (that would hand A's
admin those roles); only those who govern every station where the person holds a role may."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.models import Role
from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    MANAGE_OBJECT_GET,
    Row,
    statuses,
)

# Governed only by HQ (and platform) admins: A's own admin gets the same 404 as a stranger.
HQ_GOVERNS_ONLY = statuses(302, 404, 404, 404, 404, 200)
HQ_GOVERNS_ONLY_POST = statuses(302, 404, 404, 404, 404, 302)
NOBODY_BUT_PLATFORM = statuses(302, 404, 404, 404, 404, 404)


def prepare(world: Any) -> None:
    from tests.factories import UserFactory, grant

    world.member.home_station = world.a
    world.member.save(update_fields=["home_station"])
    world.holder_at_hq = UserFactory(username="holder_hq", home_station=world.a)
    grant(world.holder_at_hq, Role.STATION_ADMIN, world.hq)
    world.holder_at_b = UserFactory(username="holder_b", home_station=world.a)
    grant(world.holder_at_b, Role.GUIDE, world.b)
    world.holder_platform = UserFactory(username="holder_platform", home_station=world.a)
    grant(world.holder_platform, Role.PLATFORM_ADMIN, world.hq)


def _person_body(person_attr: str) -> Any:
    def body(w: Any) -> dict[str, Any]:
        person = getattr(w, person_attr)
        return {
            "real_name": person.real_name,
            "mobile": person.mobile or "",
            "email": "",
            "person_kind": person.person_kind,
            "home_station": w.a.pk,
            "is_active": "on",
        }

    return body


def _elsewhere_rows(person_attr: str, label: str, get: dict[str, int], post: dict[str, int]) -> dict:
    kwargs = lambda w: {"pk": getattr(w, person_attr).pk}  # noqa: E731
    return {
        f"people:person_edit [{label}]": Row(
            get=get, post=post, kwargs=kwargs, post_data=_person_body(person_attr)
        ),
        f"people:person_reset_password [{label}]": Row(get=get, post=get, kwargs=kwargs),
    }


ROWS: dict[str, Row] = {
    "people:role_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "people:role_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "people:role_revoke": Row(
        get=statuses(302, 405, 405, 405, 405, 405),
        post=statuses(302, 404, 404, 404, 302, 302),
        kwargs=lambda w: {"pk": w.worker_a.roles.get().pk},
    ),
    "people:audit": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    # signed-in people are sent home; anonymous visitors see the form (a bad POST re-shows it)
    "people:register": Row(
        get=statuses(200, 302, 302, 302, 302, 302), post=statuses(200, 302, 302, 302, 302, 302)
    ),
    "people:person_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "people:person_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "people:person_edit": Row(
        get=MANAGE_OBJECT_GET,
        post=statuses(302, 404, 404, 404, 302, 302),
        kwargs=lambda w: {"pk": w.member.pk},
        post_data=_person_body("member"),
    ),
    "people:person_reset_password": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=lambda w: {"pk": w.member.pk}
    ),
    # a temporary password from the member's record: the member's officers (tests/accounts/test_recovery.py)
    # and whoever governs the person; a stranger gets the 404 of a missing person
    "people:member_temporary_password": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=lambda w: {"pk": w.member.pk}
    ),
    "people:member_temporary_password [HQ role holder]": Row(
        get=HQ_GOVERNS_ONLY, post=HQ_GOVERNS_ONLY, kwargs=lambda w: {"pk": w.holder_at_hq.pk}
    ),
    **_elsewhere_rows("holder_at_hq", "HQ role holder", HQ_GOVERNS_ONLY, HQ_GOVERNS_ONLY_POST),
    **_elsewhere_rows("holder_at_b", "role holder at B", HQ_GOVERNS_ONLY, HQ_GOVERNS_ONLY_POST),
    **_elsewhere_rows("holder_platform", "platform admin", NOBODY_BUT_PLATFORM, NOBODY_BUT_PLATFORM),
}
