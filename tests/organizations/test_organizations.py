"""Party organisations (§5.1, §5.2): term tracking, tree, committee, alliances and joint building."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.organizations.models import PartyOrganization, TermStatus, term_status_on
from dangjian.organizations.services import alliance_save, organization_save
from tests.factories import PartyOrganizationFactory, UserFactory

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("term_end", "status"),
    [
        (None, TermStatus.UNKNOWN),
        (TODAY - timedelta(days=1), TermStatus.EXPIRED),
        (TODAY, TermStatus.EXPIRING),
        (TODAY + timedelta(days=90), TermStatus.EXPIRING),
        (TODAY + timedelta(days=91), TermStatus.NORMAL),
    ],
)
def test_term_status_boundaries(term_end, status) -> None:
    assert term_status_on(term_end, TODAY) == status


@pytest.mark.django_db
def test_term_filter_agrees_with_flag(world) -> None:
    today = timezone.localdate()
    expired = PartyOrganizationFactory(
        station=world.a, term_start=today - timedelta(days=2000), term_end=today - timedelta(days=3)
    )
    expiring = PartyOrganizationFactory(
        station=world.a, term_start=today - timedelta(days=1000), term_end=today + timedelta(days=30)
    )
    for status, org in ((TermStatus.EXPIRED, expired), (TermStatus.EXPIRING, expiring)):
        ids = set(PartyOrganization.objects.with_term_status(status).values_list("pk", flat=True))
        assert org.pk in ids
        assert all(PartyOrganization.objects.get(pk=pk).term_status() == status for pk in ids)


@pytest.mark.django_db
def test_expiring_list_page(world, client) -> None:
    today = timezone.localdate()
    PartyOrganizationFactory(
        station=world.a,
        name="即将换届支部",
        term_start=today - timedelta(days=1000),
        term_end=today + timedelta(days=10),
    )
    client.force_login(world.own_admin)
    body = client.get(reverse("orgs:organization_list"), {"term": "expiring"}).content.decode()
    assert "即将换届支部" in body and world.org_a.name not in body
    assert "90 天内到期" in body


@pytest.mark.django_db
def test_parent_cycle_is_refused(world) -> None:
    child = PartyOrganizationFactory(station=world.a, parent=world.org_a)
    world.org_a.parent = child
    with pytest.raises(ValidationError, match="下级"):
        organization_save(organization=world.org_a, actor=world.own_admin, units=[], before={})


@pytest.mark.django_db
def test_units_of_other_station_are_refused(world) -> None:
    with pytest.raises(ValidationError, match="本站点"):
        organization_save(organization=world.org_a, actor=world.own_admin, units=[world.unit_b], before={})
    assert not world.org_a.units.exists()


@pytest.mark.django_db
def test_term_end_before_start_is_refused_on_the_form(world, client) -> None:
    client.force_login(world.own_admin)
    data = {
        "station": world.a.pk,
        "name": "新设支部",
        "kind": "branch",
        "formal_superior": "中共泰州市海陵区委两新工委",
        "term_start": "2026-01-01",
        "term_end": "2025-01-01",
        "member_count": 5,
        "is_active": "on",
    }
    response = client.post(reverse("orgs:organization_create"), data)
    assert "任期届满日期应晚于" in response.content.decode()
    assert not PartyOrganization.objects.filter(name="新设支部").exists()


@pytest.mark.django_db
def test_committee_add_sets_secretary_and_remove_clears_it(world, client) -> None:
    person = UserFactory(username="wangjianhua", real_name="王建华")
    client.force_login(world.officer_a)
    url = reverse("orgs:committee", kwargs={"pk": world.org_a.pk})
    assert client.post(url, {"login": "wangjianhua", "position": "secretary"}).status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.secretary == person
    again = client.post(url, {"login": "wangjianhua", "position": "member"})
    assert "已是本组织委员" in again.content.decode()
    member = world.org_a.committee.get()
    remove = reverse("orgs:committee_remove", kwargs={"pk": world.org_a.pk, "member_pk": member.pk})
    assert client.post(remove).status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.secretary is None
    assert client.get(reverse("orgs:committee", kwargs={"pk": world.org_b.pk})).status_code == 404


@pytest.mark.django_db
def test_alliance_needs_two_members(world) -> None:
    from dangjian.organizations.models import Alliance

    alliance = Alliance(station=world.a, name="单独联盟", lead_organization=world.org_a)
    with pytest.raises(ValidationError, match="至少需要两个"):
        alliance_save(alliance=alliance, actor=world.own_admin, organizations=[world.org_a])
    assert not Alliance.objects.filter(name="单独联盟").exists()


@pytest.mark.django_db
def test_public_page_records_affiliation_without_contact_numbers(world, client) -> None:
    body = client.get(world.org_a.get_absolute_url()).content.decode()
    assert world.org_a.formal_superior in body and "隶属关系不变" in body
    assert world.member.mobile not in body
