"""factory-boy factories for the structure models. Codes and names look real; USCCs carry
correct check characters."""

from __future__ import annotations

import datetime as dt
import functools

import factory
from django.contrib.auth.hashers import make_password

from dangjian.accounts.models import Role, RoleAssignment, User
from dangjian.core.validators import build_uscc
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Building, GridArea, Place, ResidentUnit, Station
from dangjian.stations.services import sync_floors

PASSWORD = "Dangjian@2026"


@functools.cache
def password_hash() -> str:
    """The hash of PASSWORD under the suite's hasher (tests/conftest.py), made once per process."""
    return make_password(PASSWORD)


def valid_uscc(n: int, division: str = "321202") -> str:
    return build_uscc(authority="9", category="1", division=division, org_code8=f"MA{n:06d}")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    kind = "branch"
    code = factory.Sequence(lambda n: f"branch-{n}")
    name = factory.Sequence(lambda n: f"海陵区第{n + 1}楼宇党建分站")
    address = factory.Sequence(lambda n: f"泰州市海陵区济川东路{n + 1}号")
    opening_hours = "周一至周五 8:30–17:30"
    contact_name = "周敏"
    contact_phone = "0523-86881234"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"凤城商务大厦{n + 1}号楼")
    address = factory.Sequence(lambda n: f"泰州市海陵区青年南路{n + 10}号")
    floors_above = 12
    floors_below = 1

    @factory.post_generation
    def with_floors(obj: Building, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            sync_floors(obj)


class GridAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridArea

    building = factory.SubFactory(BuildingFactory)
    station = factory.SelfAttribute("building.station")
    name = factory.Sequence(lambda n: f"第{n + 1}网格")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    kind = "community"
    name = factory.Sequence(lambda n: f"鼓楼社区{n + 1}")
    station = factory.SubFactory(StationFactory)


class ResidentUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentUnit

    building = factory.SubFactory(BuildingFactory)
    station = factory.SelfAttribute("building.station")
    name = factory.Sequence(lambda n: f"泰州华信软件科技有限公司{n + 1}")
    # factory codes use another division than the fixed codes tests spell out, so they never collide
    uscc = factory.Sequence(lambda n: valid_uscc(n + 1, division="321203"))
    industry = "it"
    headcount = 40
    party_member_count = 5
    contact_name = "陈晓燕"
    contact_phone = "13805261234"
    moved_in_on = dt.date(2023, 3, 1)


class PartyOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganization

    station = factory.SubFactory(StationFactory)
    name = factory.Sequence(lambda n: f"中共泰州华信软件科技有限公司第{n + 1}支部委员会")
    kind = "branch"
    formal_superior = "中共泰州市海陵区委两新工委"
    term_start = dt.date(2024, 6, 1)
    term_end = dt.date(2029, 5, 31)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(
        lambda n: ["王建华", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "黄磊", "赵敏"][n % 8]
    )
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    password = factory.LazyFunction(password_hash)


def grant(user: User, role: str, station: Station, **scope: object) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, station=station, **scope)


__all__ = ["PASSWORD", "Role", "grant"]
