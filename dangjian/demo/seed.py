"""The demo data set of `manage.py seed_demo`: one HQ and four branches of 海陵区 with their buildings,
floors, grids, surrounding places, resident units, party organisations, committees, alliances,
agreements, about 300 people and one login per role.

Seed data is written directly, not through the audited services (it is not a user's action); only
`sync_floors` is reused. The same random seed gives the same data on every run.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from math import ceil
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from dangjian.accounts.models import ROLE_SCOPE, PersonKind, Role, RoleAssignment, User
from dangjian.activities.models import Activity, ActivityRecord
from dangjian.demo.activities_seed import create_activities
from dangjian.demo.courseware_seed import create_courseware
from dangjian.demo.dashboards_seed import create_dashboards
from dangjian.demo.data import (
    AGREEMENTS,
    ALLIANCES,
    BRANCHES,
    BUILDINGS,
    DEMO_COMPANY,
    DEMO_LOGINS,
    DEMO_ORGANIZATION,
    DEMO_PASSWORD,
    HQ,
    ORGANIZATIONS,
    STREETS,
    SURROUNDING_BUILDINGS,
    BuildingSpec,
    Company,
    DemoLogin,
    OrganizationSpec,
    StationSpec,
)
from dangjian.demo.development_seed import create_development
from dangjian.demo.disclosures_seed import create_disclosures
from dangjian.demo.dues_seed import create_dues
from dangjian.demo.elections_seed import create_elections
from dangjian.demo.evaluation_seed import create_evaluation
from dangjian.demo.feedback_seed import create_feedback
from dangjian.demo.forum_seed import create_forum
from dangjian.demo.funding_seed import seed_funding
from dangjian.demo.generators import RANDOM_SEED, CreditCodes, MobileNumbers, PersonNames
from dangjian.demo.honors_seed import create_honors
from dangjian.demo.learning_seed import create_learning
from dangjian.demo.members_seed import create_member_profiles
from dangjian.demo.news_seed import create_articles
from dangjian.demo.venues_seed import create_venues
from dangjian.news.models import Article
from dangjian.organizations.models import (
    Alliance,
    CommitteeMember,
    CommitteePosition,
    JointBuildingAgreement,
    OrgKind,
    PartyOrganization,
)
from dangjian.stations.models import (
    Building,
    Floor,
    GridArea,
    Place,
    PlaceKind,
    ResidentUnit,
    Station,
    StationKind,
)
from dangjian.stations.services import sync_floors
from dangjian.venues.models import Reservation, Venue

TARGET_PEOPLE = 300
RESIDENTS_PER_COMMUNITY = 3
GUARANTEED_PEOPLE_PER_UNIT = 2  # and, where the unit has an organisation, that many party members
LATER_MEMBER_SHARE = 0.4  # of the further people in a unit with an organisation
BRANCH_STAFF_ROLES = (Role.STATION_ADMIN, Role.INSTRUCTOR, Role.GUIDE)
FLOORS_PER_GRID = 12
GRID_NAMES = ("第一网格", "第二网格", "第三网格")
TERM_YEARS = {OrgKind.COMMITTEE: 5}  # 党委 five years; 党总支 and 党支部 three
DEFAULT_TERM_YEARS = 3
LARGE_COMMITTEE = (
    CommitteePosition.SECRETARY,
    CommitteePosition.DEPUTY,
    CommitteePosition.ORGANIZATION,
    CommitteePosition.PUBLICITY,
    CommitteePosition.DISCIPLINE,
)
SMALL_COMMITTEE = (CommitteePosition.SECRETARY, CommitteePosition.ORGANIZATION, CommitteePosition.PUBLICITY)
ORG_ROLES = (Role.ORG_SECRETARY, Role.ORG_OFFICER)
COUNTED_MODELS: tuple[type[models.Model], ...] = (
    Station,
    Building,
    Floor,
    GridArea,
    Place,
    ResidentUnit,
    PartyOrganization,
    CommitteeMember,
    Alliance,
    JointBuildingAgreement,
    User,
    RoleAssignment,
    Article,
    Venue,
    Reservation,
    Activity,
    ActivityRecord,
)


@dataclass
class DemoWorld:
    """What the seed has made so far, by the names the data module uses."""

    today: date
    rng: random.Random
    password_hash: str
    names: PersonNames
    mobiles: MobileNumbers
    credit_codes: CreditCodes
    stations: dict[str, Station] = field(default_factory=dict)
    buildings: dict[str, Building] = field(default_factory=dict)
    floors: dict[str, dict[int, Floor]] = field(default_factory=dict)
    grids: dict[str, list[GridArea]] = field(default_factory=dict)
    grid_of_floor: dict[int, GridArea] = field(default_factory=dict)
    communities: list[Place] = field(default_factory=list)
    rooms_taken: set[tuple[str, str]] = field(default_factory=set)
    units: dict[str, ResidentUnit] = field(default_factory=dict)
    organizations: dict[str, PartyOrganization] = field(default_factory=dict)
    organization_units: dict[str, list[ResidentUnit]] = field(default_factory=dict)
    demo_users: dict[str, User] = field(default_factory=dict)
    people: list[User] = field(default_factory=list)
    roles: list[RoleAssignment] = field(default_factory=list)

    @classmethod
    def start(cls) -> DemoWorld:
        rng = random.Random(RANDOM_SEED)
        return cls(
            today=timezone.localdate(),
            rng=rng,
            password_hash=make_password(DEMO_PASSWORD),
            names=PersonNames(rng),
            mobiles=MobileNumbers(rng),
            credit_codes=CreditCodes(rng),
        )

    @property
    def hq(self) -> Station:
        return self.stations[HQ.code]

    @property
    def first_branch(self) -> Station:
        return self.stations[BRANCHES[0].code]

    @property
    def demo_building(self) -> Building:
        spec = next(spec for spec in BUILDINGS if spec.station_code == BRANCHES[0].code)
        return self.buildings[spec.name]

    @property
    def demo_grid(self) -> GridArea:
        return self.grids[self.demo_building.name][0]

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def landline(self) -> str:
        return f"0523-86{self.rng.randrange(10**6):06d}"


@dataclass(frozen=True)
class DemoLoginRow:
    username: str
    real_name: str
    role_label: str
    scope: str


def seed_demo_data() -> dict[str, int] | None:
    """Write the demo data set and return row counts, or return None if a HQ station already exists."""
    with transaction.atomic():
        if Station.objects.filter(kind=StationKind.HQ).exists():
            return None
        world = DemoWorld.start()
        create_stations(world)
        create_buildings(world)
        create_grids(world)
        create_places(world)
        create_units(world)
        create_organizations(world)
        create_people(world)
        reconcile_counts(world)
        create_committees(world)
        assign_local_roles(world)
        save_role_assignments(world)
        create_alliances(world)
        create_agreements(world)
        create_articles()
        create_disclosures(DEMO_ORGANIZATION)
        create_member_profiles(world.today)
        create_dues(world.today)
        create_development(world.today)  # after the member profiles: new members get theirs
        create_elections(world.today)  # after the member profiles: candidates are full members
        create_honors(
            world.today
        )  # after roles and people: nominated, reviewed by the instructor, awarded by HQ
        create_venues(world.today)
        create_feedback(world.today)
        create_activities(world.today)
        create_evaluation(world.today)  # after venues, activities and feedback: it measures them
        create_courseware()
        create_learning(world.today)  # after the courseware: its HQ instructor is trained too
        create_forum(world.today)
        seed_funding(world.today)  # after the people and their roles: entries are recorded by station admins
        create_dashboards(world.today)  # last: its figures count everything above
    return row_counts()


def row_counts() -> dict[str, int]:
    return {str(model._meta.verbose_name_plural): model._default_manager.count() for model in COUNTED_MODELS}


def existing_hq_name() -> str:
    return Station.objects.filter(kind=StationKind.HQ).values_list("name", flat=True).first() or ""


# Stations, buildings, floors, grids and places.


def create_stations(world: DemoWorld) -> None:
    for order, spec in enumerate((HQ, *BRANCHES)):
        kind = StationKind.HQ if spec is HQ else StationKind.BRANCH
        world.stations[spec.code] = Station.objects.create(
            kind=kind, sort_order=order * 10, **station_fields(spec)
        )


def station_fields(spec: StationSpec) -> dict[str, Any]:
    return {
        "code": spec.code,
        "name": spec.name,
        "address": spec.address,
        "latitude": Decimal(spec.latitude),
        "longitude": Decimal(spec.longitude),
        "contact_name": spec.contact_name,
        "contact_phone": spec.contact_phone,
        "opening_hours": spec.opening_hours,
        "intro": spec.intro,
        "open_to_surroundings": spec.open_to_surroundings,
    }


def create_buildings(world: DemoWorld) -> None:
    for spec in BUILDINGS:
        building = Building.objects.create(
            station=world.stations[spec.station_code],
            name=spec.name,
            address=spec.address,
            operator=spec.operator,
            floors_above=spec.floors_above,
            floors_below=spec.floors_below,
            has_own_space=spec.has_own_space,
            intro=f"{spec.name}地上 {spec.floors_above} 层、地下 {spec.floors_below} 层，由{spec.operator}运营管理。",
        )
        sync_floors(building)
        world.buildings[spec.name] = building
        world.floors[spec.name] = {floor.number: floor for floor in building.floors.all()}


def grid_floor_numbers(building: Building) -> list[list[int]]:
    """Two or three grids of consecutive floors above ground; the basement joins the first."""
    above = list(range(1, building.floors_above + 1))
    count = min(len(GRID_NAMES), max(2, ceil(len(above) / FLOORS_PER_GRID)))
    size = ceil(len(above) / count)
    groups = [above[start : start + size] for start in range(0, len(above), size)]
    groups[0] = [-n for n in range(building.floors_below, 0, -1)] + groups[0]
    return groups


def create_grids(world: DemoWorld) -> None:
    for name, building in world.buildings.items():
        floors = world.floors[name]
        world.grids[name] = [
            create_grid(world, building, grid_name, [floors[number] for number in numbers])
            for grid_name, numbers in zip(GRID_NAMES, grid_floor_numbers(building), strict=False)
        ]


def create_grid(world: DemoWorld, building: Building, name: str, floors: list[Floor]) -> GridArea:
    grid = GridArea.objects.create(
        building=building,
        station=building.station,
        name=name,
        note=f"覆盖 {floors[0].label}–{floors[-1].label}",
    )
    grid.floors.set(floors)
    world.grid_of_floor.update((floor.pk, grid) for floor in floors)
    return grid


def create_places(world: DemoWorld) -> None:
    for street_spec in STREETS:
        station = world.stations[street_spec.station_code]
        street = create_place(world, PlaceKind.STREET, street_spec.name, station)
        world.communities += [
            create_place(world, PlaceKind.COMMUNITY, community, station, parent=street)
            for community in street_spec.communities
        ]
    for name, station_code in SURROUNDING_BUILDINGS:
        create_place(world, PlaceKind.BUILDING, name, world.stations[station_code])


def create_place(
    world: DemoWorld, kind: PlaceKind, name: str, station: Station, parent: Place | None = None
) -> Place:
    address = f"泰州市海陵区{parent.name if parent else ''}{name}"
    return Place.objects.create(
        kind=kind,
        name=name,
        parent=parent,
        station=station,
        address=address,
        contact_name=world.names.full_name(),
        contact_phone=world.landline(),
    )


# Resident units and party organisations.


def organization_of_company() -> dict[str, str]:
    """Which organisation covers each company: its own, else its building's joint branch, else none."""
    own = {spec.company: spec.name for spec in ORGANIZATIONS if spec.company}
    joint = {spec.building: spec.name for spec in ORGANIZATIONS if spec.building}
    covered = {}
    for building in BUILDINGS:
        for company in building.tenants:
            org_name = own.get(company.name) or joint.get(building.name)
            if org_name:
                covered[company.name] = org_name
    return covered


def create_units(world: DemoWorld) -> None:
    covered = organization_of_company()
    units = [
        make_unit(world, building, company, has_party_org=company.name in covered)
        for building in BUILDINGS
        for company in building.tenants
    ]
    ResidentUnit.objects.bulk_create(units)
    world.units = {unit.name: unit for unit in units}


def make_unit(world: DemoWorld, spec: BuildingSpec, company: Company, *, has_party_org: bool) -> ResidentUnit:
    building = world.buildings[spec.name]
    floor = world.floors[spec.name][world.rng.randint(1, spec.floors_above)]
    headcount = world.rng.randint(8, 260)
    # A party organisation needs at least three members; units without one have fewer.
    members = world.rng.randint(3, max(3, headcount // 5)) if has_party_org else world.rng.randint(0, 2)
    return ResidentUnit(
        station=building.station,
        building=building,
        floor=floor,
        grid=world.grid_of_floor[floor.pk],
        room=free_room(world, spec.name, floor),
        name=company.name,
        uscc=world.credit_codes.next(),
        industry=company.industry,
        headcount=headcount,
        party_member_count=members,
        has_party_org=has_party_org,
        contact_name=world.names.full_name(),
        contact_phone=world.mobiles.next(),
        moved_in_on=world.days_ago(world.rng.randint(60, 2500)),
    )


def free_room(world: DemoWorld, building_name: str, floor: Floor) -> str:
    while True:
        room = f"{floor.number}{world.rng.randint(1, 20):02d}"
        if (building_name, room) not in world.rooms_taken:
            world.rooms_taken.add((building_name, room))
            return room


def create_organizations(world: DemoWorld) -> None:
    covered = organization_of_company()
    for spec in ORGANIZATIONS:
        organization = PartyOrganization.objects.create(**organization_fields(world, spec))
        units = [world.units[company] for company, name in covered.items() if name == spec.name]
        organization.units.set(units)
        world.organizations[spec.name] = organization
        world.organization_units[spec.name] = units


def organization_fields(world: DemoWorld, spec: OrganizationSpec) -> dict[str, Any]:
    days_left = spec.term_days_left if spec.term_days_left is not None else world.rng.randint(120, 1000)
    term_end = world.today + timedelta(days=days_left)
    term_start = term_end - timedelta(days=365 * TERM_YEARS.get(spec.kind, DEFAULT_TERM_YEARS))
    station = world.stations[spec.station_code]
    return {
        "station": station,
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": spec.kind,
        "parent": world.organizations[spec.parent] if spec.parent else None,
        "formal_superior": spec.formal_superior,
        "established_on": term_start - timedelta(days=world.rng.randint(0, 2000)),
        "term_start": term_start,
        "term_end": term_end,
        "contact_phone": world.landline(),
        "intro": f"隶属{spec.formal_superior}，隶属关系不变，在{station.name}参加楼宇党建活动。",
    }


# People.


def create_people(world: DemoWorld) -> None:
    world.demo_users = {login.username: demo_user(world, login) for login in DEMO_LOGINS}
    world.people = [*branch_staff(world), *residents(world)]
    world.people += list(unit_people(world, TARGET_PEOPLE - len(world.demo_users) - len(world.people)))
    User.objects.bulk_create([*world.demo_users.values(), *world.people])


def new_user(
    world: DemoWorld,
    kind: PersonKind,
    home_station: Station,
    *,
    username: str = "",
    real_name: str = "",
    unit: ResidentUnit | None = None,
    organization: PartyOrganization | None = None,
    place: Place | None = None,
    is_staff: bool = False,
) -> User:
    mobile = world.mobiles.next()
    return User(
        username=username or mobile,
        real_name=real_name or world.names.full_name(),
        mobile=mobile,
        password=world.password_hash,
        person_kind=kind,
        home_station=home_station,
        resident_unit=unit,
        organization=organization,
        place=place,
        is_staff=is_staff,
    )


def demo_user(world: DemoWorld, login: DemoLogin) -> User:
    """A fixed login. Its station, building and grid roles are planned here; organisation roles come with
    the demo organisation's committee (`create_committees`)."""
    station = world.hq if login.at_hq else world.first_branch
    user = new_user(
        world,
        login.person_kind,
        station,
        username=login.username,
        real_name=login.real_name,
        is_staff=login.is_staff,
    )
    if login.person_kind == PersonKind.MEMBER:
        user.resident_unit = world.units[DEMO_COMPANY]
        user.organization = world.organizations[DEMO_ORGANIZATION]
    if login.person_kind == PersonKind.RESIDENT:
        user.place = next(
            (place for place in world.communities if place.name == login.community), world.communities[0]
        )
        user.home_station = user.place.station
    if login.role is not None and login.role not in ORG_ROLES:
        world.roles.append(
            RoleAssignment(user=user, role=login.role, station=station, **demo_role_scope(world, login.role))
        )
    return user


def demo_role_scope(world: DemoWorld, role: Role) -> dict[str, Any]:
    scope = ROLE_SCOPE[role]
    if scope == "building":
        return {"building": world.demo_building}
    if scope == "grid":
        return {"grid": world.demo_grid}
    return {}


def branch_staff(world: DemoWorld) -> Iterator[User]:
    """An admin, an instructor and a guide for every branch but the first, whose ones are demo logins."""
    for spec in BRANCHES[1:]:
        station = world.stations[spec.code]
        for role in BRANCH_STAFF_ROLES:
            user = new_user(world, PersonKind.WORKER, station)
            world.roles.append(RoleAssignment(user=user, role=role, station=station))
            yield user


def residents(world: DemoWorld) -> Iterator[User]:
    for community in world.communities:
        for _ in range(RESIDENTS_PER_COMMUNITY):
            yield new_user(world, PersonKind.RESIDENT, community.station, place=community)


def unit_people(world: DemoWorld, count: int) -> Iterator[User]:
    """`count` people working in the units: every unit gets a few, the rest are spread at random.
    In a unit with an organisation the first few are party members, later ones sometimes."""
    covered = organization_of_company()
    units = list(world.units.values())
    extra = count - len(units) * GUARANTEED_PEOPLE_PER_UNIT
    placed: Counter[str] = Counter()
    for unit in units * GUARANTEED_PEOPLE_PER_UNIT + world.rng.choices(units, k=extra):
        organization = world.organizations[covered[unit.name]] if unit.name in covered else None
        is_member = organization is not None and (
            placed[unit.name] < GUARANTEED_PEOPLE_PER_UNIT or world.rng.random() < LATER_MEMBER_SHARE
        )
        placed[unit.name] += 1
        yield new_user(
            world,
            PersonKind.MEMBER if is_member else PersonKind.STAFF,
            unit.station,
            unit=unit,
            organization=organization if is_member else None,
        )


def reconcile_counts(world: DemoWorld) -> None:
    """Declared numbers cover what the platform has on record: a unit's headcount and party members
    include the people registered in it; an organisation counts its units' party members and those of
    the organisations it leads."""
    everyone = [*world.demo_users.values(), *world.people]
    people = Counter(person.resident_unit.name for person in everyone if person.resident_unit)
    members = Counter(
        person.resident_unit.name
        for person in everyone
        if person.resident_unit and person.person_kind == PersonKind.MEMBER
    )
    for unit in world.units.values():
        unit.headcount = max(unit.headcount, people[unit.name])
        unit.party_member_count = max(unit.party_member_count, members[unit.name])
    ResidentUnit.objects.bulk_update(world.units.values(), ["headcount", "party_member_count"])
    count_organization_members(world)


def count_organization_members(world: DemoWorld) -> None:
    by_pk = {organization.pk: organization for organization in world.organizations.values()}
    for organization in by_pk.values():
        units = world.organization_units[organization.name]
        organization.member_count = sum(unit.party_member_count for unit in units)
    for organization in reversed(by_pk.values()):  # children come after their parents
        if organization.parent_id:
            by_pk[organization.parent_id].member_count += organization.member_count
    PartyOrganization.objects.bulk_update(by_pk.values(), ["member_count"])


# Committees and roles.


def create_committees(world: DemoWorld) -> None:
    seats: list[CommitteeMember] = []
    for organization in world.organizations.values():
        positions = (
            LARGE_COMMITTEE
            if organization.kind in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)
            else SMALL_COMMITTEE
        )
        chosen = committee_candidates(world, organization)[: len(positions)]
        for user, position in zip(chosen, positions, strict=False):
            seats.append(CommitteeMember(organization=organization, user=user, position=position))
            role = Role.ORG_SECRETARY if position == CommitteePosition.SECRETARY else Role.ORG_OFFICER
            world.roles.append(
                RoleAssignment(user=user, role=role, station=organization.station, organization=organization)
            )
        organization.secretary = chosen[0] if chosen else None
    CommitteeMember.objects.bulk_create(seats)
    PartyOrganization.objects.bulk_update(world.organizations.values(), ["secretary"])


def committee_candidates(world: DemoWorld, organization: PartyOrganization) -> list[User]:
    """The organisation's members in random order, or, for a 党委/党总支 without members of its own,
    the members of the organisations it leads. The demo secretary and officer sit on the demo committee."""
    members = members_led_by(world, organization)
    world.rng.shuffle(members)
    if organization.name == DEMO_ORGANIZATION:
        demo_seats = [
            world.demo_users[login.username]
            for role in ORG_ROLES
            for login in DEMO_LOGINS
            if login.role == role
        ]
        members = demo_seats + members
    return members


def members_led_by(world: DemoWorld, organization: PartyOrganization) -> list[User]:
    own = [person for person in world.people if person.organization_id == organization.pk]
    if own:
        return own
    children = [child for child in world.organizations.values() if child.parent_id == organization.pk]
    return [person for child in children for person in members_led_by(world, child)]


def assign_local_roles(world: DemoWorld) -> None:
    """A party-affairs worker for every building and a leader for every grid (the demo ones have theirs),
    drawn from the people working there, party members first."""
    by_building = people_by(world, lambda unit: unit.building_id)
    by_grid = people_by(world, lambda unit: unit.grid_id)
    for building in world.buildings.values():
        if building != world.demo_building:
            plan_role(world, Role.WORKER, by_building[building.pk], building.station, building=building)
    for grid in (grid for grids in world.grids.values() for grid in grids):
        if grid != world.demo_grid:
            plan_role(world, Role.GRID_LEADER, by_grid[grid.pk], grid.station, grid=grid)


def people_by(
    world: DemoWorld, key: Callable[[ResidentUnit], int | None]
) -> defaultdict[int | None, list[User]]:
    groups: defaultdict[int | None, list[User]] = defaultdict(list)
    for person in world.people:
        if person.resident_unit is not None:
            groups[key(person.resident_unit)].append(person)
    return groups


def plan_role(world: DemoWorld, role: Role, people: list[User], station: Station, **scope: Any) -> None:
    members = [person for person in people if person.person_kind == PersonKind.MEMBER]
    if members or people:
        person = world.rng.choice(members or people)
        world.roles.append(RoleAssignment(user=person, role=role, station=station, **scope))


def save_role_assignments(world: DemoWorld) -> None:
    granted_by = world.demo_users[DEMO_LOGINS[0].username]
    for assignment in world.roles:
        assignment.granted_by = granted_by
    RoleAssignment.objects.bulk_create(world.roles)


# Alliances and joint-building agreements.


def create_alliances(world: DemoWorld) -> None:
    for spec in ALLIANCES:
        alliance = Alliance.objects.create(
            station=world.stations[spec.station_code],
            name=spec.name,
            lead_organization=world.organizations[spec.lead],
            established_on=world.days_ago(spec.founded_days_ago),
            purpose=spec.purpose,
        )
        alliance.organizations.set([world.organizations[name] for name in spec.members])


def create_agreements(world: DemoWorld) -> None:
    alliances = {alliance.name: alliance for alliance in Alliance.objects.all()}
    for spec in AGREEMENTS:
        signed_on = world.days_ago(spec.signed_days_ago)
        agreement = JointBuildingAgreement.objects.create(
            station=world.stations[spec.station_code],
            alliance=alliances[spec.alliance] if spec.alliance else None,
            title=spec.title,
            signed_on=signed_on,
            valid_until=signed_on + timedelta(days=spec.valid_days),
            content=spec.content,
        )
        agreement.organizations.set([world.organizations[name] for name in spec.organizations])


# The demo logins, read back from the database so a second run prints the same table.


def demo_login_rows() -> list[DemoLoginRow]:
    usernames = [login.username for login in DEMO_LOGINS]
    users = {
        user.username: user
        for user in User.objects.filter(username__in=usernames).select_related("organization", "place")
    }
    grants = RoleAssignment.objects.filter(user__in=users.values()).select_related(
        "station", "building", "organization", "grid__building"
    )
    grant_of = {(grant.user_id, grant.role): grant for grant in grants}
    return [
        login_row(login, users[login.username], grant_of) for login in DEMO_LOGINS if login.username in users
    ]


def login_row(login: DemoLogin, user: User, grant_of: dict[tuple[int, str], RoleAssignment]) -> DemoLoginRow:
    grant = grant_of.get((user.pk, login.role)) if login.role else None
    if grant is not None:
        role_label, scope = grant.get_role_display(), grant.scope_label
    else:
        role_label = f"{user.get_person_kind_display()}（无管理角色）"
        scope = str(user.organization or user.place or "")
    return DemoLoginRow(user.username, user.real_name, role_label, scope)
