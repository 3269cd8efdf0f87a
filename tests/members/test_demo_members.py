"""The demo's member records (issue 4 item 7): about 120 valid profiles, the demo logins among them,
deterministic ID numbers from 海陵区 division codes, and a second seed run adds nothing."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.core.crypto import decrypt
from dangjian.members.models import MemberProfile, MemberStatus
from dangjian.members.services import facts_of
from dangjian.members.validation import PersonInput, member_problems

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def all_profiles() -> list[MemberProfile]:
    with scopes_disabled():
        return list(MemberProfile.objects.select_related("user", "organization"))


def test_demo_profiles_are_valid_varied_and_idempotent() -> None:
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=io.StringIO())
    profiles = all_profiles()

    assert 100 <= len(profiles) <= 140
    usernames = {profile.user.username for profile in profiles}
    assert {"member", "secretary", "officer"} <= usernames
    today = timezone.localdate()
    for profile in profiles:
        number = decrypt(profile.id_number_encrypted)
        person = PersonInput(profile.user.real_name, profile.user.mobile or "", number)
        assert member_problems(facts_of(profile, person), today) == [], profile
        assert number[:6] in ("321202", "321203", "321204")
        assert 23 <= profile.age_on(today) <= 75
        assert profile.station_id == profile.organization.station_id
    assert Counter(p.status for p in profiles)[MemberStatus.MOBILE] == 1
    assert Counter(p.dues_category for p in profiles)["retired"] == 1
    assert 1 <= Counter(p.category for p in profiles)["probationary"] <= 6
    assert Counter(p.ethnicity for p in profiles)["01"] > 0.8 * len(profiles)

    call_command("seed_demo", "--i-know-this-is-not-production", stdout=io.StringIO())
    assert len(all_profiles()) == len(profiles)
