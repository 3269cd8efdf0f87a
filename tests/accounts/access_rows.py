"""Access-matrix rows of registration and people management; the person edited belongs to branch A.

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
    NOT_ALLOWED,
    PUBLIC,
    Row,
    everyone,
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
        f"accounts:person_edit [{label}]": Row(
            get=get, post=post, kwargs=kwargs, post_data=_person_body(person_attr)
        ),
        f"accounts:person_reset_password [{label}]": Row(get=get, post=get, kwargs=kwargs),
    }


ROWS: dict[str, Row] = {
    # signed-in people are sent home; anonymous visitors see the form (a bad POST re-shows it)
    "accounts:register": Row(
        get=statuses(200, 302, 302, 302, 302, 302), post=statuses(200, 302, 302, 302, 302, 302)
    ),
    "accounts:person_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "accounts:person_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "accounts:person_edit": Row(
        get=MANAGE_OBJECT_GET,
        post=statuses(302, 404, 404, 404, 302, 302),
        kwargs=lambda w: {"pk": w.member.pk},
        post_data=_person_body("member"),
    ),
    "accounts:person_reset_password": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=lambda w: {"pk": w.member.pk}
    ),
    # a temporary password from the member's record: the member's officers (tests/accounts/test_recovery.py)
    # and whoever governs the person; a stranger gets the 404 of a missing person
    "accounts:member_temporary_password": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=lambda w: {"pk": w.member.pk}
    ),
    "accounts:member_temporary_password [HQ role holder]": Row(
        get=HQ_GOVERNS_ONLY, post=HQ_GOVERNS_ONLY, kwargs=lambda w: {"pk": w.holder_at_hq.pk}
    ),
    # 忘记密码: open to everyone; the answers never tell whether an address or a mobile is registered
    "accounts:password_reset": Row(
        get=PUBLIC, post=everyone(302), post_data=lambda w: {"email": "nobody@example.cn"}
    ),
    "accounts:password_reset_done": Row(get=PUBLIC, post=NOT_ALLOWED),
    "accounts:password_reset_confirm": Row(
        get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "wrong-token"}
    ),
    "accounts:password_reset_complete": Row(get=PUBLIC, post=NOT_ALLOWED),
    "accounts:sms_login": Row(get=PUBLIC, post=PUBLIC),
    "accounts:sms_reset": Row(get=PUBLIC, post=PUBLIC),
    **_elsewhere_rows("holder_at_hq", "HQ role holder", HQ_GOVERNS_ONLY, HQ_GOVERNS_ONLY_POST),
    **_elsewhere_rows("holder_at_b", "role holder at B", HQ_GOVERNS_ONLY, HQ_GOVERNS_ONLY_POST),
    **_elsewhere_rows("holder_platform", "platform admin", NOBODY_BUT_PLATFORM, NOBODY_BUT_PLATFORM),
}
