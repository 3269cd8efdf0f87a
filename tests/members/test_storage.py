"""The citizen ID number at rest and on screen (DESIGN.md: encrypted at rest, found by keyed hash, shown
masked, each unmasked view audited; DB3212/T 1124 §6.3 党员管理)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from dangjian.core.crypto import decrypt, keyed_hash
from dangjian.core.models import AuditEvent
from dangjian.members.models import MemberProfile
from tests.members.conftest import audit_actions

pytestmark = pytest.mark.django_db


def raw_rows(table: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return cursor.fetchall()


def test_database_row_holds_no_plain_id_number(people) -> None:
    plain = people.profile_a.plain_id_number

    rows = raw_rows(MemberProfile._meta.db_table)

    assert rows, "the profile row exists"
    for row in rows:
        assert not any(plain in str(value) for value in row), row
    assert "id_number" not in {field.name for field in MemberProfile._meta.concrete_fields}


def test_ciphertext_decrypts_and_hash_finds_the_row(people) -> None:
    profile = people.profile_a
    with scopes_disabled():
        stored = MemberProfile.objects.get(id_number_hash=keyed_hash(profile.plain_id_number))

    assert decrypt(stored.id_number_encrypted) == profile.plain_id_number
    assert stored.id_number_masked == f"{profile.plain_id_number[:3]}{'*' * 11}{profile.plain_id_number[-4:]}"


def test_unscoped_query_is_refused() -> None:
    from django_scopes.exceptions import ScopeError

    with pytest.raises(ScopeError):
        list(MemberProfile.objects.all())


def test_pages_show_the_masked_number(people, client) -> None:
    profile = people.profile_a
    for user, url in (
        (people.own_admin, f"/manage/members/{profile.pk}/"),
        (people.officer_a, "/manage/members/"),
        (people.member_a, "/me/member/"),
    ):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert profile.id_number_masked in body, url
        assert profile.plain_id_number not in body, url


@pytest.mark.parametrize("role", ["own_admin", "hq_admin", "secretary_a", "platform_admin"])
def test_entitled_roles_reveal_and_every_reveal_is_audited(people, client, role: str) -> None:
    profile = people.profile_a
    client.force_login(getattr(people, role))
    url = f"/manage/members/{profile.pk}/reveal/"

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == second.status_code == 200
    assert profile.plain_id_number in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    assert audit_actions() == ["members.id_number.reveal", "members.id_number.reveal"]
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="members.id_number.reveal").first()
    assert event.actor == getattr(people, role)
    assert event.station_id == people.a.pk
    assert profile.plain_id_number not in str(event.data) + event.target_repr


def test_member_reveals_own_number_audited(people, client) -> None:
    client.force_login(people.member_a)

    response = client.post("/me/member/reveal/")

    assert people.profile_a.plain_id_number in response.content.decode()
    assert audit_actions() == ["members.id_number.reveal"]


@pytest.mark.parametrize("role", ["officer_a", "worker_a"])
def test_keepers_who_may_not_reveal_get_403_and_no_audit(people, client, role: str) -> None:
    client.force_login(getattr(people, role))

    response = client.post(f"/manage/members/{people.profile_a.pk}/reveal/")

    assert response.status_code == 403
    assert people.profile_a.plain_id_number not in response.content.decode()
    assert audit_actions() == []


def test_detail_page_offers_reveal_only_to_entitled_roles(people, client) -> None:
    url = f"/manage/members/{people.profile_a.pk}/"
    client.force_login(people.secretary_a)
    assert "显示完整号码" in client.get(url).content.decode()
    client.force_login(people.officer_a)
    assert "显示完整号码" not in client.get(url).content.decode()
