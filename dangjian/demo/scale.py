"""Benchmark data (`manage.py seed_demo --scale`): one HQ and N-1 branches, two buildings with their
floors and eight resident units per branch, one joint party branch per branch, and P people spread over
the branches, the first person of each branch being its station admin.

Rows are bulk-inserted in batches and people are built batch by batch, so memory stays flat and
1,000 stations with 200,000 people take minutes on SQLite. Seed data is not audited.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import PersonKind, Role, RoleAssignment, User
from dangjian.demo.data import DEMO_PASSWORD, HQ, LIANGXIN_WORK_COMMITTEE
from dangjian.demo.generators import RANDOM_SEED, PersonNames, chunked, scale_mobile, scale_uscc
from dangjian.demo.seed import station_fields
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.stations.models import Building, Floor, Industry, ResidentUnit, Station, StationKind
from dangjian.venues.models import OpeningHours, Reservation, ReservationStatus, Venue, VenueKind

DEFAULT_STATIONS = 1000
DEFAULT_PEOPLE = 200_000
BATCH_SIZE = 5000
BUILDINGS_PER_STATION = 2
UNITS_PER_BUILDING = 4
FLOORS_ABOVE = 10
FLOORS_BELOW = 1
MEMBER_EVERY = 3  # one person in three is a party member
TERM_DAYS = 3 * 365
INDUSTRIES = list(Industry)
# 一馆三区 of every branch, open every day 8:30–21:00, and one approved booking a day for the coming week
VENUE_KINDS = (
    (VenueKind.HALL, "党群综合馆", 100),
    (VenueKind.BOOK_BAR, "书吧", 30),
    (VenueKind.SALON, "沙龙", 20),
    (VenueKind.LECTURE, "讲堂", 150),
)
BOOKING_DAYS = 7


class ScaleSeedError(Exception):
    """The scale data cannot be written; the message says why, in Chinese."""


@dataclass(frozen=True)
class ScaleSummary:
    hq_name: str
    hq_created: bool
    counts: dict[str, int]
    seconds: float


def station_code(n: int) -> str:
    return f"scale-{n:04d}"


def seed_scale_data(*, stations: int, people: int) -> ScaleSummary:
    check_sizes(stations=stations, people=people)
    started = time.perf_counter()
    with transaction.atomic():
        if Station.objects.filter(code=station_code(1)).exists():
            raise ScaleSeedError(
                f"已存在压测数据（站点代码 {station_code(1)}），未重复生成；请在空数据库中生成压测数据。"
            )
        hq, hq_created = existing_or_new_hq()
        branches = create_branches(stations - 1)
        buildings = create_buildings(branches)
        floors = create_floors(buildings)
        units = create_units(buildings, floors)
        organizations = create_organizations(branches, units)
        admins = create_people(branches, units, organizations, people)
        create_station_admins(admins, branches)
        venues = create_venues(branches, buildings)
        bookings = create_bookings(venues, admins)
    counts = {
        "分站": len(branches),
        "楼宇": len(buildings),
        "楼层": len(floors),
        "入驻单位": len(units),
        "党组织": len(organizations),
        "用户": people,
        "站点管理员授权": len(admins),
        "场所": len(venues),
        "场所预约": bookings,
    }
    return ScaleSummary(hq.name, hq_created, counts, time.perf_counter() - started)


def check_sizes(*, stations: int, people: int) -> None:
    if stations < 2:
        raise ScaleSeedError("--stations 至少为 2（1 个总站加至少 1 个分站）。")
    if people < stations - 1:
        raise ScaleSeedError(f"--people 不能少于分站数 {stations - 1}：每个分站的第一名人员是其站点管理员。")


def existing_or_new_hq() -> tuple[Station, bool]:
    """The demo HQ (reused, so scale data can sit beside the demo data) or a new one. A real HQ is never
    reused: thousands of benchmark stations would appear under it."""
    hq = Station.objects.filter(kind=StationKind.HQ).first()
    if hq is not None:
        if (hq.code, hq.name) != (HQ.code, HQ.name):
            raise ScaleSeedError(
                f"数据库中已有总站“{hq.name}”，不是演示总站：压测数据只能写入空库或演示库，已停止。"
            )
        return hq, False
    return Station.objects.create(kind=StationKind.HQ, sort_order=0, **station_fields(HQ)), True


def create_branches(count: int) -> list[Station]:
    branches = [
        Station(
            kind=StationKind.BRANCH,
            code=station_code(n),
            name=f"压测分站 {n:04d}",
            address=f"泰州市海陵区压测路 {n} 号",
            sort_order=1000 + n,
        )
        for n in range(1, count + 1)
    ]
    return Station.objects.bulk_create(branches, batch_size=BATCH_SIZE)


def create_buildings(branches: list[Station]) -> list[Building]:
    buildings = [
        Building(
            station=station,
            name=f"{station.name} {n} 号楼",
            address=station.address,
            floors_above=FLOORS_ABOVE,
            floors_below=FLOORS_BELOW,
        )
        for station in branches
        for n in range(1, BUILDINGS_PER_STATION + 1)
    ]
    return Building.objects.bulk_create(buildings, batch_size=BATCH_SIZE)


def create_floors(buildings: list[Building]) -> list[Floor]:
    numbers = [*range(-FLOORS_BELOW, 0), *range(1, FLOORS_ABOVE + 1)]
    floors = [Floor(building=building, number=number) for building in buildings for number in numbers]
    return Floor.objects.bulk_create(floors, batch_size=BATCH_SIZE)


def create_units(buildings: list[Building], floors: list[Floor]) -> list[ResidentUnit]:
    floor_of = {(floor.building_id, floor.number): floor for floor in floors}
    units: list[ResidentUnit] = []
    for building in buildings:
        for k in range(UNITS_PER_BUILDING):
            n = len(units) + 1
            floor = floor_of[(building.pk, 1 + k * 3 % FLOORS_ABOVE)]
            units.append(
                ResidentUnit(
                    station_id=building.station_id,
                    building=building,
                    floor=floor,
                    room=f"{floor.number}{k + 1:02d}",
                    name=f"泰州压测{n:06d}科技有限公司",
                    uscc=scale_uscc(n),
                    industry=INDUSTRIES[n % len(INDUSTRIES)],
                    headcount=20 + n % 200,
                    party_member_count=3 + n % 20,
                    has_party_org=True,
                )
            )
    return ResidentUnit.objects.bulk_create(units, batch_size=BATCH_SIZE)


def create_organizations(branches: list[Station], units: list[ResidentUnit]) -> list[PartyOrganization]:
    """One joint branch per station covering all its units; terms spread so that some are due."""
    today = timezone.localdate()
    organizations = []
    for i, station in enumerate(branches):
        term_end = today + timedelta(days=i * 37 % 1200 - 100)
        organizations.append(
            PartyOrganization(
                station=station,
                name=f"{station.name}联合党支部",
                kind=OrgKind.JOINT_BRANCH,
                formal_superior=LIANGXIN_WORK_COMMITTEE,
                term_start=term_end - timedelta(days=TERM_DAYS),
                term_end=term_end,
            )
        )
    PartyOrganization.objects.bulk_create(organizations, batch_size=BATCH_SIZE)
    organization_of = {organization.station_id: organization for organization in organizations}
    Coverage = PartyOrganization.units.through
    coverage = [
        Coverage(partyorganization_id=organization_of[unit.station_id].pk, residentunit_id=unit.pk)
        for unit in units
    ]
    Coverage.objects.bulk_create(coverage, batch_size=BATCH_SIZE)
    return organizations


def create_people(
    branches: list[Station], units: list[ResidentUnit], organizations: list[PartyOrganization], count: int
) -> list[User]:
    """Insert `count` people batch by batch; return the station admins (the first person of each branch)."""
    admins: list[User] = []
    for batch in chunked(scale_people(branches, units, organizations, count), BATCH_SIZE):
        User.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        admins += [person for person in batch if person.person_kind == PersonKind.WORKER]
    return admins


def scale_people(
    branches: list[Station], units: list[ResidentUnit], organizations: list[PartyOrganization], count: int
) -> Iterator[User]:
    names = PersonNames(random.Random(RANDOM_SEED))
    password_hash = make_password(DEMO_PASSWORD)
    units_of: defaultdict[int, list[ResidentUnit]] = defaultdict(list)
    for unit in units:
        units_of[unit.station_id].append(unit)
    for n in range(count):
        station, organization = branches[n % len(branches)], organizations[n % len(branches)]
        round_ = n // len(branches)
        local_units = units_of[station.pk]
        kind = scale_person_kind(round_)
        yield User(
            username=f"scale-u{n + 1:07d}",
            mobile=scale_mobile(n + 1),
            real_name=names.full_name(),
            password=password_hash,
            person_kind=kind,
            home_station_id=station.pk,
            resident_unit_id=None if kind == PersonKind.WORKER else local_units[round_ % len(local_units)].pk,
            organization_id=organization.pk if kind == PersonKind.MEMBER else None,
        )


def scale_person_kind(round_: int) -> PersonKind:
    """Round 0 gives every branch its admin; after that one person in three is a party member."""
    if round_ == 0:
        return PersonKind.WORKER
    return PersonKind.MEMBER if round_ % MEMBER_EVERY == 1 else PersonKind.STAFF


def create_station_admins(admins: list[User], branches: list[Station]) -> None:
    """`admins` come in the order of `branches`: person n works at branch n."""
    assignments = [
        RoleAssignment(user=admin, role=Role.STATION_ADMIN, station=station)
        for admin, station in zip(admins, branches, strict=True)
    ]
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)


def create_venues(branches: list[Station], buildings: list[Building]) -> list[Venue]:
    building_of = {building.station_id: building for building in buildings}
    venues = [
        Venue(
            station=station,
            building=building_of.get(station.pk),
            name=f"{station.name}{label}",
            kind=kind,
            capacity=capacity,
        )
        for station in branches
        for kind, label, capacity in VENUE_KINDS
    ]
    Venue.objects.bulk_create(venues, batch_size=BATCH_SIZE)
    opens, closes = dt_time(8, 30), dt_time(21)
    hours = (
        OpeningHours(venue=venue, weekday=weekday, opens=opens, closes=closes)
        for venue in venues
        for weekday in range(7)
    )
    for batch in chunked(hours, BATCH_SIZE):
        OpeningHours.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    return venues


def create_bookings(venues: list[Venue], admins: list[User]) -> int:
    """One approved 9:00–11:00 booking a day for the coming week in every venue, by the station's admin."""
    admin_of = {admin.home_station_id: admin for admin in admins}
    today = timezone.localdate()
    rows = (
        Reservation(
            station_id=venue.station_id,
            venue=venue,
            holder=admin_of[venue.station_id],
            purpose="支部主题党日",
            head_count=10,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status=ReservationStatus.APPROVED,
        )
        for venue in venues
        for start in (
            timezone.make_aware(datetime.combine(today + timedelta(days=n), dt_time(9)))
            for n in range(1, BOOKING_DAYS + 1)
        )
    )
    count = 0
    for batch in chunked(rows, BATCH_SIZE):
        Reservation.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        count += len(batch)
    return count
