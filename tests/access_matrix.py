"""The access matrix: for every URL pattern of the project, the status each kind of visitor gets
for GET and POST on an object that belongs to branch A (DESIGN.md "The 1+N model").

Roles: anonymous; resident (周边居民, no role); member (党员, no role); other_admin (admin of branch B);
own_admin (admin of branch A); hq_admin (admin of the HQ station, who governs every branch).
A new URL pattern without a row here fails `test_every_url_pattern_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "resident", "member", "other_admin", "own_admin", "hq_admin")


def statuses(
    anonymous: int, resident: int, member: int, other_admin: int, own_admin: int, hq_admin: int
) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, resident, member, other_admin, own_admin, hq_admin), strict=True))


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


PUBLIC = everyone(200)
NOT_ALLOWED = everyone(405)
# Pages of one object of branch A that only A's and HQ's admins manage: others get 404, not 403.
MANAGE_OBJECT_GET = statuses(302, 404, 404, 404, 200, 200)
# Lists and create forms: any station admin (each sees only their own stations' rows or choices).
ADMIN_PAGE = statuses(302, 403, 403, 200, 200, 200)
ADMIN_LIST_POST = statuses(302, 405, 405, 405, 405, 405)
HQ_ONLY_PAGE = statuses(302, 403, 403, 403, 403, 200)
LOGGED_IN_PAGE = statuses(302, 200, 200, 200, 200, 200)
LOGGED_IN_POST_REDIRECT = statuses(302, 302, 302, 302, 302, 302)


@dataclass
class Row:
    get: dict[str, int]
    post: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda w: {})
    query: str = ""
    post_data: Callable[[Any], dict[str, Any]] = field(default=lambda w: {})
    json: bool = False  # POST the data as a JSON body (API rows)


def _pk(attr: str, name: str = "pk") -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, attr).pk}


def _new_unit_in_a(w: Any) -> dict[str, Any]:
    from tests.factories import valid_uscc

    return {
        "name": "泰州凤城云数据有限公司",
        "uscc": valid_uscc(9090),
        "building": w.building_a.pk,
        "headcount": 20,
    }


API_PUBLIC_READ = Row(get=PUBLIC, post=everyone(405))
API_SIGNED_IN = statuses(401, 200, 200, 200, 200, 200)
# Creating a unit in branch A's building: A's and HQ's admins may; anyone else signed in gets 404.
API_UNIT_WRITE = statuses(401, 404, 404, 404, 201, 201)
API_TOKEN_CREATE = statuses(401, 201, 201, 201, 201, 201)


MATRIX: dict[str, Row] = {
    # public portal
    "portal:home": Row(get=PUBLIC, post=NOT_ALLOWED),
    "portal:station": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=lambda w: {"code": w.a.code}),
    "portal:building": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=_pk("building_a")),
    "portal:switch_station": Row(
        get=NOT_ALLOWED, post=everyone(302), post_data=lambda w: {"station": w.a.pk}
    ),
    "orgs:detail": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=_pk("org_a")),
    "healthz": Row(get=PUBLIC, post=PUBLIC),
    "media": Row(get=everyone(404), post=NOT_ALLOWED, kwargs=lambda w: {"path": "stations/none.png"}),
    # accounts
    "accounts:login": Row(get=PUBLIC, post=PUBLIC),
    "accounts:logout": Row(get=NOT_ALLOWED, post=LOGGED_IN_POST_REDIRECT),
    "accounts:profile": Row(get=LOGGED_IN_PAGE, post=LOGGED_IN_PAGE),
    "accounts:password_change": Row(get=LOGGED_IN_PAGE, post=LOGGED_IN_PAGE),
    "accounts:tokens": Row(get=LOGGED_IN_PAGE, post=LOGGED_IN_PAGE),
    # worker_a's token: 404 for everyone else (each person revokes only their own)
    "accounts:token_revoke": Row(
        get=statuses(302, 405, 405, 405, 405, 405),
        post=statuses(302, 404, 404, 404, 404, 404),
        kwargs=lambda w: {"pk": w.worker_token.pk},
    ),
    "accounts:role_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "accounts:role_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "accounts:role_revoke": Row(
        get=statuses(302, 405, 405, 405, 405, 405),
        post=statuses(302, 404, 404, 404, 302, 302),
        kwargs=lambda w: {"pk": w.worker_a.roles.get().pk},
    ),
    "accounts:audit": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    # station management
    "stations:manage_home": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "stations:station_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "stations:station_create": Row(get=HQ_ONLY_PAGE, post=HQ_ONLY_PAGE),
    "stations:station_edit": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=lambda w: {"pk": w.a.pk}
    ),
    "stations:building_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "stations:building_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "stations:building_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("building_a")),
    "stations:unit_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "stations:unit_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "stations:unit_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("unit_a")),
    "stations:unit_building_options": Row(
        get=MANAGE_OBJECT_GET, post=statuses(302, 405, 405, 405, 405, 405), query="?building={building}"
    ),
    "stations:grid_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "stations:grid_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "stations:grid_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("grid_a")),
    "stations:place_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "stations:place_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "stations:place_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("place_a")),
    # organisations
    "orgs:organization_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "orgs:organization_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "orgs:organization_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("org_a")),
    "orgs:committee": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("org_a")),
    "orgs:committee_remove": Row(
        get=statuses(302, 405, 405, 405, 405, 405),
        post=statuses(302, 404, 404, 404, 302, 302),
        kwargs=lambda w: {"pk": w.org_a.pk, "member_pk": w.committee_member_a.pk},
    ),
    "orgs:alliance_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "orgs:alliance_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "orgs:alliance_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("alliance_a")),
    "orgs:agreement_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "orgs:agreement_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "orgs:agreement_edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("agreement_a")),
    # JSON API (/api/v1/); PATCH and DELETE are covered in tests/api
    "api:api-root": Row(get=everyone(404), post=everyone(404)),
    "api:unknown_endpoint": Row(get=everyone(404), post=everyone(404)),
    "api:openapi-json": Row(get=PUBLIC, post=PUBLIC),
    "api:openapi-view": Row(get=PUBLIC, post=PUBLIC),
    "api:station_list": API_PUBLIC_READ,
    "api:station_detail": Row(get=PUBLIC, post=everyone(405), kwargs=lambda w: {"station_id": w.a.pk}),
    "api:building_list": API_PUBLIC_READ,
    "api:building_detail": Row(get=PUBLIC, post=everyone(405), kwargs=_pk("building_a", "building_id")),
    "api:unit_list": Row(get=PUBLIC, post=API_UNIT_WRITE, post_data=_new_unit_in_a, json=True),
    "api:unit_create": Row(get=PUBLIC, post=API_UNIT_WRITE, post_data=_new_unit_in_a, json=True),
    "api:unit_detail": Row(get=PUBLIC, post=everyone(405), kwargs=_pk("unit_a", "unit_id")),
    "api:unit_update": Row(get=PUBLIC, post=everyone(405), kwargs=_pk("unit_a", "unit_id")),
    "api:organization_list": API_PUBLIC_READ,
    "api:organization_detail": Row(get=PUBLIC, post=everyone(405), kwargs=_pk("org_a", "organization_id")),
    "api:me": Row(get=API_SIGNED_IN, post=everyone(405)),
    "api:token_list": Row(
        get=API_SIGNED_IN, post=API_TOKEN_CREATE, post_data=lambda w: {"name": "手机"}, json=True
    ),
    "api:token_create": Row(
        get=API_SIGNED_IN, post=API_TOKEN_CREATE, post_data=lambda w: {"name": "手机"}, json=True
    ),
    "api:token_revoke": Row(get=everyone(405), post=everyone(405), kwargs=_pk("worker_token", "token_id")),
}
