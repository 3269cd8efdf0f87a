"""Navigation shows only what the person may open: for every role, every link in the page header and
the management menu, followed from page to page, answers 200 (no 403 or 404 behind a menu item)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from dangjian.accounts.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

START_PAGES = ("/", "/accounts/profile/", "/work/", "/manage/")


class NavLinks(HTMLParser):
    """The hrefs of links inside <nav> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            parts = urlsplit(href)
            if href.startswith("/") and not parts.netloc:
                self.links.add(parts.path)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1


def nav_links(html: str) -> set[str]:
    parser = NavLinks()
    parser.feed(html)
    return parser.links


def people(world: Any) -> dict[str, Any]:
    """One person per role (the access-matrix world's, plus the roles it lacks)."""
    extra = {
        "instructor_a": (Role.INSTRUCTOR, {}),
        "guide_a": (Role.GUIDE, {}),
        "secretary_a": (Role.ORG_SECRETARY, {"organization": world.org_a}),
        "grid_leader_a": (Role.GRID_LEADER, {"grid": world.grid_a}),
        "instructor_hq": (Role.INSTRUCTOR, {}),
        "platform_admin": (Role.PLATFORM_ADMIN, {}),
    }
    found = {
        name: world.actor(name)
        for name in ("resident", "member", "other_admin", "own_admin", "hq_admin", "worker_a", "officer_a")
    }
    for name, (role, scope) in extra.items():
        person = f.UserFactory(username=name, home_station=world.a)
        station = world.hq if name in ("instructor_hq", "platform_admin") else world.a
        f.grant(person, role, station, **scope)
        found[name] = person
    return found


def unreachable_links(client: Client) -> list[str]:
    seen: set[str] = set()
    queue = list(START_PAGES)
    wrong = []
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(("/static/", "/media/", "/api/v1/docs", "/events/")):
            continue
        seen.add(path)
        response = client.get(path, follow=False)
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"]).path
            if target.startswith("/accounts/login"):
                wrong.append(f"{path} -> sign-in")
            queue.append(target)
            continue
        if response.status_code != 200:
            wrong.append(f"{path} -> {response.status_code}")
            continue
        if "text/html" in response.get("Content-Type", ""):
            queue.extend(nav_links(response.content.decode()) - seen)
    return wrong


@pytest.mark.parametrize(
    "role",
    [
        "resident",
        "member",
        "other_admin",
        "own_admin",
        "hq_admin",
        "worker_a",
        "officer_a",
        "instructor_a",
        "guide_a",
        "secretary_a",
        "grid_leader_a",
        "instructor_hq",
        "platform_admin",
    ],
)
def test_every_navigation_link_opens_for_the_role(matrix_world, role) -> None:
    client = Client()
    client.force_login(people(matrix_world)[role])
    wrong = unreachable_links(client)
    assert not wrong, f"{role}: " + "; ".join(sorted(wrong))


def test_the_walk_sees_the_management_menu(matrix_world) -> None:
    client = Client()
    client.force_login(matrix_world.own_admin)
    page = client.get("/manage/stations/").content.decode()
    assert {"/manage/stations/", "/manage/audit/"} <= nav_links(page)
