"""Builders of member records for tests: valid ID numbers (GB 11643 check character computed) and
profiles written straight to the database (through `set_id_number`, the only way a number is stored)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django_scopes import scopes_disabled

from dangjian.accounts.models import PersonKind, Role, User
from dangjian.core.validators import id_number_check_character
from dangjian.members.models import Category, MemberProfile
from dangjian.members.services import set_id_number
from tests import factories as f


def id_number(birth: date, sequence: int = 1, *, division: str = "321202", male: bool = True) -> str:
    """A valid 18-character number; `sequence` picks the 15th–17th digits, whose last is odd for men."""
    seq = sequence * 2 + (1 if male else 0)
    first17 = f"{division}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_number_check_character(first17)


def with_wrong_check(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def make_profile(
    organization: Any, *, user: User | None = None, number: str = "", **fields: Any
) -> MemberProfile:
    """A formal member of `organization`, born 1986-05-12 unless told otherwise."""
    birth = fields.pop("birth_date", date(1986, 5, 12))
    gender = fields.pop("gender", "male")
    user = user or f.UserFactory(person_kind=PersonKind.MEMBER, organization=organization)
    number = number or id_number(birth, user.pk, male=gender == "male")
    profile = MemberProfile(
        user=user,
        organization=organization,
        station_id=organization.station_id,
        category=fields.pop("category", Category.FORMAL),
        admitted_on=fields.pop("admitted_on", date(2010, 7, 1)),
        full_member_on=fields.pop("full_member_on", date(2011, 7, 1)),
        gender=gender,
        birth_date=birth,
        education=fields.pop("education", "bachelor"),
        affiliation_organization=fields.pop("affiliation_organization", organization.name),
        **fields,
    )
    set_id_number(profile, number)
    with scopes_disabled():
        profile.save()
    profile.plain_id_number = number  # type: ignore[attr-defined]
    return profile


def make_role_holder(username: str, role: str, station: Any, **scope: Any) -> User:
    user = f.UserFactory(username=username)
    f.grant(user, role, station, **scope)
    return user


__all__ = ["Role", "id_number", "make_profile", "make_role_holder", "with_wrong_check"]
