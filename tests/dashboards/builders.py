"""A small platform whose cockpit figures are counted by hand (tests/dashboards/test_figures.py).

Branch A (海陵万达分站) has four resident units in service and one that moved out:
- 华信软件: two registered people, one of them a party member (not the transferred one) who checked in
  at an activity this year → reached on every count;
- 凤城律所: one registered person, nothing else;
- 鼓楼物业: no one registered, but a party organisation of its own;
- 智汇人力: nothing at all; 已迁出的科技公司: moved out, not counted.
A's two organisations: one whose term ended last year (overdue), one in term; two members on the roll,
each with dues of 45.68 a month declared, this month's sheet generated, one of them paid.
Branch B (凤城河分站) has two units, both of whose people checked in this year.
So: A units 4, with people 2, with party 2, with activity 1 (coverage 25%); B 2/2/0/2 (100%);
platform: 6 units, 3 reached by an activity (50%)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import PersonKind, Role, User
from dangjian.activities.models import Activity, ActivityStatus, Attendance
from dangjian.members.models import MemberStatus
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit, Station
from tests import factories as f
from tests.dues.builders import generate, make_member, pay_cash

MONTHLY = Decimal("45.68")


def this_year() -> int:
    return timezone.localdate().year


def held_moment() -> datetime:
    """A moment of this year already past, whatever the day of the run."""
    year_start = datetime(this_year(), 1, 1, tzinfo=timezone.get_current_timezone())
    return max(timezone.now() - timedelta(minutes=30), year_start + timedelta(seconds=1))


@dataclass
class HandWorld:
    hq: Station
    a: Station
    b: Station
    organization: PartyOrganization
    overdue_organization: PartyOrganization
    units: dict[str, ResidentUnit]
    hq_admin: User
    admin_a: User
    admin_b: User


def person(unit: ResidentUnit | None, station: Station, username: str, **fields: Any) -> User:
    return f.UserFactory(username=username, resident_unit=unit, home_station=station, **fields)


def checked_in(people: list[User], station: Station, actor: User) -> Activity:
    starts = held_moment()
    activity = Activity.objects.create(
        station=station,
        activity_type="theme_day",
        title="学习贯彻党的二十届三中全会精神主题党日",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=ActivityStatus.PUBLISHED,
        created_by=actor,
    )
    for someone in people:
        Attendance.objects.create(
            activity=activity, person=someone, station=station, method="search", recorded_by=actor
        )
    return activity


def hand_world() -> HandWorld:
    hq = f.StationFactory(kind="hq", code="hq", name="海陵区楼宇党建共享平台总站")
    a = f.StationFactory(code="wanda", name="海陵万达分站")
    b = f.StationFactory(code="fengcheng", name="凤城河分站")
    hq_admin = f.UserFactory(username="cockpit_hq")
    f.grant(hq_admin, Role.STATION_ADMIN, hq)
    admin_a, admin_b = f.UserFactory(username="cockpit_a"), f.UserFactory(username="cockpit_b")
    f.grant(admin_a, Role.STATION_ADMIN, a)
    f.grant(admin_b, Role.STATION_ADMIN, b)
    building_a, building_b = f.BuildingFactory(station=a), f.BuildingFactory(station=b)
    names = ("华信软件", "凤城律所", "鼓楼物业", "智汇人力")
    units = {name: f.ResidentUnitFactory(building=building_a, name=f"泰州{name}有限公司") for name in names}
    f.ResidentUnitFactory(building=building_a, name="已迁出的泰州科技公司", is_active=False)
    organization = f.PartyOrganizationFactory(station=a, name="中共泰州华信软件科技有限公司支部委员会")
    today = timezone.localdate()
    overdue = f.PartyOrganizationFactory(
        station=a,
        name="中共泰州鼓楼物业服务有限公司支部委员会",
        term_start=date(today.year - 4, 1, 1),
        term_end=date(today.year - 1, 1, 1),
    )
    overdue.units.add(units["鼓楼物业"])
    worker = person(units["华信软件"], a, "hx_worker")
    member_user = person(
        units["华信软件"], a, "hx_member", person_kind=PersonKind.MEMBER, organization=organization
    )
    person(units["凤城律所"], a, "lawyer")
    paying = make_member(organization, user=member_user, resident_unit=units["华信软件"])
    owing = make_member(organization)
    gone = make_member(organization)
    with scopes_disabled():
        type(gone).objects.filter(pk=gone.pk).update(status=MemberStatus.TRANSFERRED_OUT)
    this_month = timezone.localdate().replace(day=1)
    generate(organization, this_month)
    pay_cash(paying, [this_month])
    del owing
    checked_in([member_user], a, admin_a)
    b_units = [f.ResidentUnitFactory(building=building_b, name=f"凤城河{n}号商铺") for n in (1, 2)]
    checked_in([person(u, b, f"fc_{n}") for n, u in enumerate(b_units)], b, admin_b)
    del worker
    return HandWorld(hq, a, b, organization, overdue, units, hq_admin, admin_a, admin_b)
