"""Access-matrix rows of registration and people management; the person edited belongs to branch A."""

from __future__ import annotations

from typing import Any

from tests.access import ADMIN_LIST_POST, ADMIN_PAGE, MANAGE_OBJECT_GET, Row, statuses


def prepare(world: Any) -> None:
    world.member.home_station = world.a
    world.member.save(update_fields=["home_station"])


ROWS: dict[str, Row] = {
    # signed-in people are sent home; anonymous visitors see the form (a bad POST re-shows it)
    "accounts:register": Row(
        get=statuses(200, 302, 302, 302, 302, 302), post=statuses(200, 302, 302, 302, 302, 302)
    ),
    "accounts:person_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "accounts:person_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "accounts:person_edit": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=lambda w: {"pk": w.member.pk}
    ),
    "accounts:person_reset_password": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=lambda w: {"pk": w.member.pk}
    ),
}
