"""The access matrix: for every URL pattern of the project, the status each kind of visitor gets
for GET and POST on an object that belongs to branch A (DESIGN.md "The 1+N model").

The rows of the platform foundation are below; each capability adds its own in
`tests/<app>/access_rows.py` (a dict named `ROWS`), merged here. A new URL pattern without a row
fails `test_every_url_pattern_has_a_row`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    API_PUBLIC_READ,
    API_SIGNED_IN,
    API_TOKEN_CREATE,
    API_UNIT_WRITE,
    HQ_ONLY_PAGE,
    LOGGED_IN_PAGE,
    LOGGED_IN_POST_REDIRECT,
    MANAGE_OBJECT_GET,
    NOT_ALLOWED,
    PUBLIC,
    ROLES,
    Row,
    _new_unit_in_a,
    _pk,
    everyone,
    statuses,
)

MATRIX: dict[str, Row] = {
    # public portal
    "portal:home": Row(get=PUBLIC, post=NOT_ALLOWED),
    "portal:station": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=lambda w: {"code": w.a.code}),
    "portal:stations": Row(get=PUBLIC, post=NOT_ALLOWED),
    "portal:building": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=_pk("building_a")),
    "portal:switch_station": Row(
        get=NOT_ALLOWED, post=everyone(302), post_data=lambda w: {"station": w.a.pk}
    ),
    "orgs:detail": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=_pk("org_a")),
    "healthz": Row(get=PUBLIC, post=PUBLIC),
    "readyz": Row(get=PUBLIC, post=NOT_ALLOWED),
    "favicon": Row(get=everyone(302), post=NOT_ALLOWED),
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
    # station management
    # the management overview is the work page now: everyone signed in is sent there
    "portal:manage_home": Row(get=LOGGED_IN_POST_REDIRECT, post=ADMIN_LIST_POST),
    "portal:workpage": Row(get=LOGGED_IN_PAGE, post=ADMIN_LIST_POST),
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


def _capability_modules() -> list[Any]:
    paths = sorted(Path(__file__).parent.glob("*/access_rows.py"))
    return [importlib.import_module(f"tests.{path.parent.name}.access_rows") for path in paths]


def _capability_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for module in _capability_modules():
        overlap = set(rows) & set(module.ROWS)
        assert not overlap, f"access rows defined twice: {overlap}"
        rows.update(module.ROWS)
    return rows


def prepare_world(world: Any) -> None:
    """Let each capability add the objects its rows point at (an access_rows module's `prepare(world)`)."""
    for module in _capability_modules():
        prepare = getattr(module, "prepare", None)
        if prepare is not None:
            prepare(world)


MATRIX.update(_capability_rows())
__all__ = ["MATRIX", "ROLES", "Row", "prepare_world"]


def url_name_of(row_name: str) -> str:
    """A row is named by its URL name, plus " [case]" for a further case of the same URL."""
    return row_name.split(" [", 1)[0]
