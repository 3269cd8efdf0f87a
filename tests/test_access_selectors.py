"""Fetch and authorise in one step (DESIGN.md "One visibility authority"): every page and API handler
fetches a station-owned object by id through its app's `selectors.access_<thing>`, which gives the same
404 for a missing row and for one the person may not see or change.

The first part is a lint: a view or API module that calls `get_object_or_404` or `.get(pk=…)` itself
(and so could forget a filter or a permission) fails here. The second part checks each access function."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from dangjian.core import notifications
from dangjian.core.manage_views import ManagedResource
from dangjian.core.models import Notification
from dangjian.news import selectors as news
from dangjian.organizations import selectors as orgs
from dangjian.organizations.models import CommitteeMember
from dangjian.stations import selectors as stations
from tests import factories as f

ROOT = Path(__file__).resolve().parents[1] / "dangjian"
FORBIDDEN_CALLS = {"get_object_or_404", "get_list_or_404"}
ID_KEYWORDS = {"pk", "id"}

# (module path under dangjian/, function or "*") → why it may still fetch by id itself.
ALLOWED: dict[tuple[str, str], str] = {}
# ManagedResources whose edit page still looks up in `manageable` (no `access=`), with the reason.
RESOURCES_WITHOUT_ACCESS: dict[str, str] = {}


def _view_modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if "migrations" not in p.parts
        and (p.name in {"views.py", "api.py"} or p.stem.endswith(("_views", "_api")))
    )


def _fetches_by_id(path: Path) -> list[tuple[str, int, str]]:
    """(function, line, what) of every by-id fetch that bypasses an access_ function."""
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call):
            callee = node.func
            name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
            if name in FORBIDDEN_CALLS:
                found.append((function, node.lineno, name))
            elif name == "get" and isinstance(callee, ast.Attribute):
                keys = {k.arg for k in node.keywords if k.arg}
                if keys & ID_KEYWORDS or any(k.startswith(("pk__", "id__")) for k in keys):
                    found.append((function, node.lineno, ".get(pk=…)"))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(path.read_text()), "<module>")
    return found


def _violations(path: Path, where: str) -> list[str]:
    return [
        f"{where}:{line} {function}() calls {what}; fetch through selectors.access_<thing>"
        for function, line, what in _fetches_by_id(path)
        if (where, function) not in ALLOWED and (where, "*") not in ALLOWED
    ]


def test_views_and_api_fetch_by_id_only_through_access_functions() -> None:
    violations = [v for path in _view_modules() for v in _violations(path, path.relative_to(ROOT).as_posix())]
    assert not violations, "\n".join(violations)


def test_every_allowed_lookup_is_still_there() -> None:
    """An allow-list entry whose fetch is gone is removed too (files not there yet, or moved, are skipped)."""
    stale = []
    for (where, function), _reason in ALLOWED.items():
        path = ROOT / where
        found = {name for name, _, _ in _fetches_by_id(path)} if path.exists() else set()
        if path.exists() and function != "*" and function not in found:
            stale.append(f"{where} {function}")
    assert not stale, stale


@pytest.mark.parametrize(
    "source",
    [
        "from django.shortcuts import get_object_or_404\ndef v(r, pk):\n    return get_object_or_404(X, pk=pk)\n",
        "def v(r, pk):\n    return Article.objects.get(pk=pk)\n",
        "def v(r, pk):\n    return qs.select_related('a').get(id=pk)\n",
        "def v(r, pk):\n    return shortcuts.get_object_or_404(qs, code=pk)\n",
    ],
)
def test_the_lint_catches_each_kind_of_fetch(tmp_path: Path, source: str) -> None:
    probe = tmp_path / "views.py"
    probe.write_text(source)
    assert _violations(probe, "probe/views.py")


def test_the_lint_leaves_other_gets_alone(tmp_path: Path) -> None:
    probe = tmp_path / "views.py"
    probe.write_text("def v(request):\n    return request.GET.get('page', '1'), data.get('x')\n")
    assert not _violations(probe, "probe/views.py")


def _managed_resources() -> list[ManagedResource]:
    resources = []
    for path in _view_modules():
        module = importlib.import_module("dangjian." + ".".join(path.relative_to(ROOT).with_suffix("").parts))
        resources += [value for value in vars(module).values() if isinstance(value, ManagedResource)]
    return resources


def test_every_managed_edit_page_fetches_through_its_access_function() -> None:
    resources = _managed_resources()
    assert len(resources) >= 10
    missing = [
        f"{r.namespace}:{r.name}"
        for r in resources
        if r.access is None and f"{r.namespace}:{r.name}" not in RESOURCES_WITHOUT_ACCESS
    ]
    assert not missing, missing


# ---------------------------------------------------------------- each access function


MISSING = 2_000_000_000


def _refusal(call: Callable[[], Any]) -> Http404:
    with pytest.raises(Http404) as refused:
        call()
    return refused.value


def assert_same_404(
    access: Callable[..., Any], *, forbidden: dict[str, Any], missing: dict[str, Any]
) -> None:
    """The object of another station and a row that does not exist are refused alike."""
    first, second = _refusal(lambda: access(**forbidden)), _refusal(lambda: access(**missing))
    assert type(first) is type(second) is Http404
    assert first.args == second.args


# (access function, pk attribute of the world, who may, who may not: another station's role, manage)
STRUCTURE_CASES = [
    (stations.access_station, "a", "own_admin", "other_admin", True),
    (stations.access_building, "building_a", "own_admin", "other_admin", True),
    (stations.access_unit, "unit_a", "worker_a", "other_admin", True),
    (stations.access_grid, "grid_a", "own_admin", "other_admin", True),
    (stations.access_grid, "grid_a", "own_admin", "other_admin", False),
    (stations.access_place, "place_a", "own_admin", "other_admin", True),
    (stations.access_place, "place_a", "own_admin", "other_admin", False),
    (orgs.access_organization, "org_a", "own_admin", "other_admin", True),
    (orgs.access_alliance, "alliance_a", "own_admin", "other_admin", True),
    (orgs.access_alliance, "alliance_a", "own_admin", "other_admin", False),
    (orgs.access_agreement, "agreement_a", "own_admin", "other_admin", True),
    (orgs.access_agreement, "agreement_a", "own_admin", "other_admin", False),
]


@pytest.mark.parametrize(
    ("access", "target", "allowed", "refused", "manage"),
    STRUCTURE_CASES,
    ids=[f"{c[0].__name__}-{'manage' if c[4] else 'read'}" for c in STRUCTURE_CASES],
)
def test_structure_access(world, access, target: str, allowed: str, refused: str, manage: bool) -> None:
    obj = getattr(world, target)
    assert access(user=world.actor(allowed), pk=obj.pk, manage=manage) == obj
    assert access(user=world.hq_admin, pk=obj.pk, manage=manage) == obj  # HQ governs every branch
    assert_same_404(
        access,
        forbidden={"user": world.actor(refused), "pk": obj.pk, "manage": manage},
        missing={"user": world.actor(allowed), "pk": MISSING, "manage": manage},
    )


@pytest.mark.parametrize("pk", ["", "abc", "0", "-1", None, 2**70])
def test_a_pk_that_is_no_id_is_the_same_404(world, pk: Any) -> None:
    _refusal(lambda: stations.access_building(user=world.own_admin, pk=pk, manage=True))
    _refusal(lambda: orgs.access_organization(user=world.own_admin, pk=pk))


def test_a_worker_manages_units_but_not_buildings(world) -> None:
    assert stations.access_unit(user=world.worker_a, pk=world.unit_a.pk, manage=True) == world.unit_a
    assert stations.access_unit_building(user=world.worker_a, pk=world.building_a.pk) == world.building_a
    assert_same_404(
        stations.access_building,
        forbidden={"user": world.worker_a, "pk": world.building_a.pk, "manage": True},
        missing={"user": world.own_admin, "pk": MISSING, "manage": True},
    )
    assert_same_404(
        stations.access_unit_building,
        forbidden={"user": world.worker_a, "pk": world.building_b.pk},
        missing={"user": world.worker_a, "pk": MISSING},
    )


def test_public_reads_hide_inactive_things_like_missing_ones(world) -> None:
    for access, obj in [
        (stations.access_station, world.a),
        (stations.access_building, world.building_a),
        (stations.access_unit, world.unit_a),
        (orgs.access_organization, world.org_a),
    ]:
        assert access(user=world.anonymous, pk=obj.pk) == obj
    world.unit_a.is_active = False
    world.unit_a.save()
    world.org_a.is_active = False
    world.org_a.save()
    # a moved-out unit stays visible to those who keep its station, to nobody else
    assert stations.access_unit(user=world.worker_a, pk=world.unit_a.pk) == world.unit_a
    assert_same_404(
        stations.access_unit,
        forbidden={"user": world.other_admin, "pk": world.unit_a.pk},
        missing={"user": world.worker_a, "pk": MISSING},
    )
    assert_same_404(
        orgs.access_organization,
        forbidden={"user": world.anonymous, "pk": world.org_a.pk},
        missing={"user": world.anonymous, "pk": MISSING},
    )
    world.a.is_active = False
    world.a.save()
    assert_same_404(
        stations.access_building,
        forbidden={"user": world.anonymous, "pk": world.building_a.pk},
        missing={"user": world.anonymous, "pk": MISSING},
    )
    with pytest.raises(Http404):
        stations.station_by_code(world.a.code)
    assert stations.station_by_code(world.b.code) == world.b


def test_committee_access_is_for_the_station_admin_and_the_organisations_officers(world) -> None:
    member_a = CommitteeMember.objects.create(organization=world.org_a, user=world.member, position="member")
    member_b = CommitteeMember.objects.create(
        organization=world.org_b, user=world.resident, position="member"
    )
    for keeper in (world.officer_a, world.own_admin):
        organization = orgs.access_committee_organization(user=keeper, pk=world.org_a.pk)
        assert organization == world.org_a
        assert (
            orgs.access_committee_member(user=keeper, organization=organization, pk=member_a.pk) == member_a
        )
    assert_same_404(
        orgs.access_committee_organization,
        forbidden={"user": world.officer_a, "pk": world.org_b.pk},
        missing={"user": world.officer_a, "pk": MISSING},
    )
    assert_same_404(
        orgs.access_committee_organization,
        forbidden={"user": world.other_admin, "pk": world.org_a.pk},
        missing={"user": world.other_admin, "pk": MISSING},
    )
    assert_same_404(  # another organisation's committee member, through one's own organisation
        orgs.access_committee_member,
        forbidden={"user": world.officer_a, "organization": world.org_a, "pk": member_b.pk},
        missing={"user": world.officer_a, "organization": world.org_a, "pk": MISSING},
    )


def test_news_columns_and_attachments(world) -> None:
    from dangjian.news.models import Column

    column = Column.objects.order_by("id").first()
    assert column is not None
    assert news.access_column(user=world.hq_admin, pk=column.pk, manage=True) == column
    assert_same_404(
        news.access_column,
        forbidden={"user": world.worker_a, "pk": column.pk, "manage": True},
        missing={"user": world.hq_admin, "pk": MISSING, "manage": True},
    )
    assert_same_404(
        news.access_attachment,
        forbidden={"user": AnonymousUser(), "article": MISSING, "pk": 1},
        missing={"user": world.worker_a, "article": MISSING, "pk": MISSING, "manage": True},
    )


def test_a_notification_is_only_its_recipients(world) -> None:
    own = Notification.objects.create(recipient=world.member, title="党费缴纳提醒", url="/me/dues/")
    assert notifications.access_notification(user=world.member, pk=own.pk) == own
    assert_same_404(
        notifications.access_notification,
        forbidden={"user": world.resident, "pk": own.pk},
        missing={"user": world.member, "pk": MISSING},
    )


def test_people_of_another_station_get_no_station_admin_reads(world) -> None:
    """A user with a role of branch B only, and a plain resident: nothing of A to manage."""
    outsider = f.UserFactory(username="grid_b")
    f.grant(outsider, "grid_leader", world.b)
    for user in (outsider, world.resident, world.member):
        for access, obj in [
            (stations.access_building, world.building_a),
            (stations.access_unit, world.unit_a),
            (stations.access_grid, world.grid_a),
            (stations.access_place, world.place_a),
            (orgs.access_organization, world.org_a),
            (orgs.access_alliance, world.alliance_a),
        ]:
            _refusal(lambda access=access, obj=obj, user=user: access(user=user, pk=obj.pk, manage=True))


# ---------------------------------------------------------------- accounts and people


def test_an_api_token_is_only_its_owners(world) -> None:
    from dangjian.accounts import selectors as accounts
    from dangjian.accounts.services import token_create

    own, _ = token_create(user=world.worker_a, name="考勤一体机")
    assert accounts.access_token(user=world.worker_a, pk=own.pk) == own
    for stranger in (world.own_admin, world.hq_admin, AnonymousUser()):  # not even the station's admins
        assert_same_404(
            accounts.access_token,
            forbidden={"user": stranger, "pk": own.pk},
            missing={"user": world.worker_a, "pk": MISSING},
        )


def test_a_role_assignment_is_for_the_admins_of_its_station(world) -> None:
    from dangjian.accounts import selectors as accounts
    from dangjian.accounts.models import RoleAssignment

    assignment = RoleAssignment.objects.get(user=world.worker_a)
    for admin in (world.own_admin, world.hq_admin):
        found = accounts.access_role_assignment(user=admin, pk=assignment.pk, manage=True)
        assert found == assignment and found.user == world.worker_a
    for refused in (world.other_admin, world.worker_a, world.officer_a, AnonymousUser()):
        assert_same_404(
            accounts.access_role_assignment,
            forbidden={"user": refused, "pk": assignment.pk, "manage": True},
            missing={"user": world.own_admin, "pk": MISSING, "manage": True},
        )


def test_a_person_is_for_the_admins_who_govern_them(world) -> None:
    from dangjian.people import selectors as people

    person = f.UserFactory(username="staff_a", home_station=world.a)
    for admin in (world.own_admin, world.hq_admin):
        for manage in (False, True):
            assert people.access_person(user=admin, pk=person.pk, manage=manage) == person
    for refused in (world.other_admin, world.worker_a, world.officer_a, AnonymousUser()):
        for manage in (False, True):
            assert_same_404(
                people.access_person,
                forbidden={"user": refused, "pk": person.pk, "manage": manage},
                missing={"user": world.own_admin, "pk": MISSING, "manage": manage},
            )
    # someone of A who also holds a role at B: A's admin sees them listed but may not change them
    f.grant(person, "guide", world.b)
    assert people.access_person(user=world.own_admin, pk=person.pk) == person
    assert_same_404(
        people.access_person,
        forbidden={"user": world.own_admin, "pk": person.pk, "manage": True},
        missing={"user": world.own_admin, "pk": MISSING, "manage": True},
    )
    assert people.access_person(user=world.hq_admin, pk=person.pk, manage=True) == person
    # a platform admin is changed by nobody but platform admins
    assert_same_404(
        people.access_person,
        forbidden={"user": world.hq_admin, "pk": f.UserFactory(is_superuser=True).pk, "manage": True},
        missing={"user": world.hq_admin, "pk": MISSING, "manage": True},
    )


def test_access_member_account_is_the_members_officer_or_governor_only(world) -> None:
    from dangjian.people import selectors as people
    from tests.accounts.test_recovery import imported_member

    person = imported_member(world.org_a)
    for allowed in (world.officer_a, world.own_admin, world.hq_admin):
        assert people.access_member_account(user=allowed, pk=person.pk) == person
    for refused in (world.other_admin, world.worker_a, world.member, AnonymousUser()):
        assert_same_404(
            people.access_member_account,
            forbidden={"user": refused, "pk": person.pk},
            missing={"user": world.officer_a, "pk": MISSING},
        )


# ---------------------------------------------------------------- venues


@pytest.fixture
def venue_world(world) -> Any:
    from dangjian.venues.models import ClosedDay, Equipment
    from tests.venues.builders import day, make_venue

    world.venue_a = make_venue(world.a, name="万达书吧", building=world.building_a, audience="public")
    world.venue_b = make_venue(world.b, name="金融沙龙", kind="salon", building=world.building_b)
    world.closed_a = ClosedDay.objects.create(station=world.a, date=day(5), reason="设备检修")
    world.equipment_a = Equipment.objects.create(venue=world.venue_a, kind="audio", name="音响")
    world.worker_b = f.UserFactory(username="worker_b")
    f.grant(world.worker_b, "worker", world.b, building=world.building_b)
    return world


def test_a_station_by_code_is_an_active_one(venue_world) -> None:
    from dangjian.venues import selectors as venues

    w = venue_world
    assert venues.access_station(user=AnonymousUser(), code=w.a.code) == w.a
    w.b.is_active = False
    w.b.save()
    first, second = (
        _refusal(lambda: venues.access_station(user=w.hq_admin, code=w.b.code)),
        _refusal(lambda: venues.access_station(user=w.hq_admin, code="no-such-station")),
    )
    assert type(first) is type(second) is Http404 and first.args == second.args
    _refusal(lambda: venues.access_station(user=AnonymousUser(), code=w.a.code + "x" * 40))  # longer than any


def test_a_venue_to_manage_is_one_of_the_persons_station(venue_world) -> None:
    from dangjian.venues import selectors as venues

    w = venue_world
    for keeper in (w.own_admin, w.worker_a, w.hq_admin):
        assert venues.access_venue(user=keeper, pk=w.venue_a.pk, manage=True) == w.venue_a
    assert venues.access_venue(user=AnonymousUser(), pk=w.venue_a.pk) == w.venue_a  # a public venue
    for refused in (w.other_admin, w.worker_b, w.member):
        assert_same_404(
            venues.access_venue,
            forbidden={"user": refused, "pk": w.venue_a.pk, "manage": True},
            missing={"user": w.own_admin, "pk": MISSING, "manage": True},
        )
    assert_same_404(  # a station-only venue is not shown to anonymous visitors
        venues.access_venue,
        forbidden={"user": AnonymousUser(), "pk": w.venue_b.pk},
        missing={"user": AnonymousUser(), "pk": MISSING},
    )


def test_a_closed_day_is_for_its_stations_admin(venue_world) -> None:
    from dangjian.venues import selectors as venues

    w = venue_world
    for admin in (w.own_admin, w.hq_admin):
        assert venues.access_closed_day(user=admin, pk=w.closed_a.pk) == w.closed_a
    for refused in (w.other_admin, w.worker_a, AnonymousUser()):  # the worker keeps equipment, not hours
        assert_same_404(
            venues.access_closed_day,
            forbidden={"user": refused, "pk": w.closed_a.pk},
            missing={"user": w.own_admin, "pk": MISSING},
        )


def test_equipment_is_for_those_who_maintain_its_venue(venue_world) -> None:
    from dangjian.venues import selectors as venues

    w = venue_world
    for keeper in (w.worker_a, w.own_admin, w.hq_admin):
        assert venues.access_equipment(user=keeper, pk=w.equipment_a.pk) == w.equipment_a
    for refused in (w.worker_b, w.other_admin, w.member, AnonymousUser()):
        assert_same_404(
            venues.access_equipment,
            forbidden={"user": refused, "pk": w.equipment_a.pk},
            missing={"user": w.worker_a, "pk": MISSING},
        )


def test_bookings_faults_and_tours_after_a_write_are_read_back_through_access(venue_world) -> None:
    """What the API answers after a write: the row through its access function, for the one who wrote it;
    another station's staff get the same 404 as for a missing row."""
    from dangjian.venues import selectors as venues
    from dangjian.venues import services
    from tests.venues.builders import at, request

    w = venue_world
    booking = request(w.member, w.venue_a)[0]
    assert venues.access_reservation(user=w.member, pk=booking.pk) == booking
    fault = services.fault_report(actor=w.member, venue=w.venue_a, description="话筒没有声音")
    assert venues.access_fault(user=w.member, pk=fault.pk) == fault
    assert venues.access_fault(user=w.worker_a, pk=fault.pk, manage=True) == fault
    tour = services.tour_request(
        actor=w.member,
        station=w.a,
        group_name="凤城河社区",
        group_kind="community",
        contact_name="王建华",
        contact_phone="13900000000",
        visitor_count=12,
        starts_at=at(4, 9),
        ends_at=at(4, 10),
    )
    assert venues.access_tour(user=w.member, pk=tour.pk) == tour
    assert venues.access_tour(user=w.own_admin, pk=tour.pk, manage=True) == tour
    for access, obj in [
        (venues.access_reservation, booking),
        (venues.access_fault, fault),
        (venues.access_tour, tour),
    ]:
        for manage in (False, True):
            assert_same_404(
                access,
                forbidden={"user": w.other_admin, "pk": obj.pk, "manage": manage},
                missing={"user": w.own_admin, "pk": MISSING, "manage": manage},
            )
        assert_same_404(
            access,
            forbidden={"user": w.resident, "pk": obj.pk},
            missing={"user": w.member, "pk": MISSING},
        )
