"""Vocabulary of the access matrix (tests/access_matrix.py): roles, expected-status presets and `Row`.

Roles: anonymous; resident (周边居民, no role); member (党员, no role); other_admin (admin of branch B);
own_admin (admin of branch A); hq_admin (admin of the HQ station, who governs every branch).
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
