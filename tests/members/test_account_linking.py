"""Registering a member never rewrites an existing account (security probe finding 4: a secretary
typed hq_admin's mobile and name into the member form, and hq_admin's account was attached to her
organisation and rewritten). An existing account is linked only if it holds no role at all, has no
member record, belongs to the organisation's station and bears the typed name — and then unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from dangjian.accounts.models import PersonKind, User
from dangjian.members.models import MemberProfile
from tests.members.test_forms import NEW, form_data
from tests.members.test_import import account_fields

pytestmark = pytest.mark.django_db

NOT_LINKABLE = "该手机号码已注册平台账号，且该账号担任平台角色、属于其他站点或已停用，登记党员时不能关联"


def has_profile(user: User) -> bool:
    with scopes_disabled():
        return MemberProfile.objects.filter(user=user).exists()


def register(client: Any, people: Any, actor: Any, user: User) -> Any:
    client.force_login(actor)
    return client.post(NEW, form_data(people, mobile=user.mobile, real_name=user.real_name))


def test_a_secretary_cannot_attach_or_rename_the_hq_admins_account(people, client) -> None:
    hq_admin = people.hq_admin
    before = account_fields(hq_admin)

    response = register(client, people, people.secretary_a, hq_admin)

    assert response.status_code == 200
    assert NOT_LINKABLE in response.content.decode()
    assert not has_profile(hq_admin)
    assert account_fields(hq_admin) == before


@pytest.mark.parametrize("role", ["officer_a", "worker_a", "secretary_a"])
def test_no_role_holders_account_is_attached_even_at_the_same_station(people, client, role: str) -> None:
    holder = getattr(people, role)
    holder.home_station = people.a
    holder.save()
    before = account_fields(holder)

    response = register(client, people, people.own_admin, holder)

    assert NOT_LINKABLE in response.content.decode()
    assert not has_profile(holder) and account_fields(holder) == before


def test_a_secretary_may_register_herself_and_her_account_stays_as_it_is(people, client) -> None:
    """The one role holder's account that may be linked: the actor's own (she is the person)."""
    before = account_fields(people.secretary_a)

    response = register(client, people, people.secretary_a, people.secretary_a)

    assert response.status_code == 302
    assert has_profile(people.secretary_a)
    assert account_fields(people.secretary_a) == before


def test_an_account_of_another_station_is_not_attached(people, client) -> None:
    resident = User.objects.create(
        username="resident_b", real_name="周晓梅", mobile="13611112222", home_station=people.b
    )

    response = register(client, people, people.secretary_a, resident)

    assert NOT_LINKABLE in response.content.decode()
    assert not has_profile(resident)


def test_an_ordinary_account_of_the_station_is_linked_unchanged(people, client) -> None:
    resident = User.objects.create(
        username="zhou",
        real_name="周晓梅",
        mobile="13611112222",
        home_station=people.a,
        person_kind=PersonKind.RESIDENT,
    )
    before = account_fields(resident)

    response = register(client, people, people.secretary_a, resident)

    assert response.status_code == 302
    assert has_profile(resident)
    assert account_fields(resident) == before  # name, mobile, kind, station, organisation as they were
