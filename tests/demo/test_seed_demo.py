"""`manage.py seed_demo`: the demo data set, its logins, and the scale mode."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from dangjian.accounts.models import ROLE_SCOPE, PersonKind, Role, RoleAssignment, User
from dangjian.core.validators import validate_mobile, validate_uscc
from dangjian.organizations.models import Alliance, JointBuildingAgreement, PartyOrganization, TermStatus
from dangjian.stations.models import Building, Floor, GridArea, ResidentUnit, Station, StationKind

pytestmark = pytest.mark.django_db

PASSWORD = "Dangjian@2026"
DEMO_USERNAMES = (
    "admin",
    "hq_admin",
    "branch_admin",
    "instructor",
    "worker",
    "guide",
    "secretary",
    "officer",
    "grid_leader",
    "member",
    "resident",
    "neighbor",
)
COUNTED = (Station, Building, ResidentUnit, PartyOrganization, User, RoleAssignment)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    """The seed hashes its one password with whatever hasher is configured; MD5 keeps logins quick here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, "--i-know-this-is-not-production", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def seeded() -> str:
    return seed()


def first_branch() -> Station:
    branch = Station.objects.filter(kind=StationKind.BRANCH).order_by("sort_order", "id").first()
    assert branch is not None
    return branch


def only_role(username: str) -> RoleAssignment:
    return RoleAssignment.objects.get(user__username=username)


# The demo data set.


def test_a_second_run_changes_nothing_and_prints_the_same_logins(seeded: str) -> None:
    before = row_counts()

    again = seed()

    assert row_counts() == before
    assert "未写入演示数据" in again
    assert again.split("演示账号")[-1] == seeded.split("演示账号")[-1]


def test_the_same_data_on_every_run() -> None:
    def snapshot() -> tuple[list[tuple[Any, ...]], ...]:
        return (
            list(
                User.objects.order_by("username").values_list(
                    "username", "real_name", "mobile", "person_kind"
                )
            ),
            list(ResidentUnit.objects.order_by("name").values_list("name", "uscc", "room", "headcount")),
            list(
                PartyOrganization.objects.order_by("name").values_list(
                    "name", "term_end", "secretary__username"
                )
            ),
        )

    with transaction.atomic():
        seed()
        first = snapshot()
        transaction.set_rollback(True)
    assert Station.objects.count() == 0

    seed()

    assert snapshot() == first


def test_there_is_exactly_one_hq(seeded: str) -> None:
    assert list(Station.objects.filter(kind=StationKind.HQ).values_list("code", flat=True)) == ["hq"]


def test_sizes_meet_the_targets(seeded: str) -> None:
    assert Station.objects.count() == 5
    assert Station.objects.filter(kind=StationKind.BRANCH, open_to_surroundings=True).count() == 1
    assert Building.objects.count() >= 10
    assert ResidentUnit.objects.count() >= 80
    assert PartyOrganization.objects.count() >= 15
    assert User.objects.count() >= 300
    assert Alliance.objects.count() == 2
    assert JointBuildingAgreement.objects.count() == 3


def test_every_building_has_its_floors_and_two_or_three_grids(seeded: str) -> None:
    for building in Building.objects.all():
        numbers = set(Floor.objects.filter(building=building).values_list("number", flat=True))
        assert numbers == {*range(1, building.floors_above + 1), *range(-building.floors_below, 0)}
        assert 2 <= GridArea.objects.filter(building=building).count() <= 3
    assert not Floor.objects.filter(grids__isnull=True).exists()


def test_every_role_is_assigned(seeded: str) -> None:
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)


def test_role_scopes_are_complete_and_belong_to_the_station(seeded: str) -> None:
    for assignment in RoleAssignment.objects.select_related("building", "organization", "grid"):
        needed = ROLE_SCOPE[Role(assignment.role)]
        scopes: dict[str, Any] = {
            "building": assignment.building,
            "organization": assignment.organization,
            "grid": assignment.grid,
        }
        assert {name for name, obj in scopes.items() if obj is not None} == ({needed} if needed else set())
        if needed:
            assert scopes[needed].station_id == assignment.station_id


def test_every_demo_login_signs_in_with_the_password(seeded: str) -> None:
    for username in DEMO_USERNAMES:
        assert authenticate(username=username, password=PASSWORD) is not None, username


def test_demo_logins_hold_their_roles_where_the_brief_says(seeded: str) -> None:
    hq, branch = Station.objects.get(kind=StationKind.HQ), first_branch()
    admin = only_role("admin")
    assert (admin.role, admin.station, admin.user.is_staff) == (Role.PLATFORM_ADMIN, hq, True)
    assert (only_role("hq_admin").role, only_role("hq_admin").station) == (Role.STATION_ADMIN, hq)
    for username, role in [
        ("branch_admin", Role.STATION_ADMIN),
        ("instructor", Role.INSTRUCTOR),
        ("guide", Role.GUIDE),
        ("worker", Role.WORKER),
        ("secretary", Role.ORG_SECRETARY),
        ("officer", Role.ORG_OFFICER),
        ("grid_leader", Role.GRID_LEADER),
    ]:
        assert (only_role(username).role, only_role(username).station) == (role, branch), username
    organization = only_role("secretary").organization
    assert organization is not None and organization == only_role("officer").organization
    assert organization.secretary == User.objects.get(username="secretary")


def test_plain_demo_logins_hold_no_role(seeded: str) -> None:
    member, resident = User.objects.get(username="member"), User.objects.get(username="resident")
    neighbor = User.objects.get(username="neighbor")
    assert not RoleAssignment.objects.filter(user__in=[member, resident, neighbor]).exists()
    assert member.person_kind == PersonKind.MEMBER and member.organization is not None
    assert resident.person_kind == PersonKind.RESIDENT and resident.place is not None


def test_people_are_of_every_kind_with_valid_distinct_mobiles(seeded: str) -> None:
    assert set(User.objects.values_list("person_kind", flat=True)) == set(PersonKind.values)
    mobiles = list(User.objects.values_list("mobile", flat=True))
    assert len(set(mobiles)) == len(mobiles)
    for mobile in mobiles:
        validate_mobile(mobile or "")
    assert not User.objects.filter(person_kind=PersonKind.MEMBER, organization__isnull=True).exists()
    assert not User.objects.filter(person_kind=PersonKind.RESIDENT, place__isnull=True).exists()


def test_every_credit_code_is_valid(seeded: str) -> None:
    for uscc in ResidentUnit.objects.values_list("uscc", flat=True):
        validate_uscc(uscc)


def test_two_terms_have_expired_and_two_expire_soon(seeded: str) -> None:
    statuses = Counter(organization.term_status() for organization in PartyOrganization.objects.all())
    assert statuses[TermStatus.EXPIRED] == 2
    assert statuses[TermStatus.EXPIRING] == 2


def test_every_organisation_has_a_secretary_on_its_committee(seeded: str) -> None:
    for organization in PartyOrganization.objects.select_related("secretary"):
        assert organization.secretary is not None
        assert organization.committee.filter(user=organization.secretary, position="secretary").exists()


def test_the_output_lists_every_login_and_the_password(seeded: str) -> None:
    assert f"演示账号（密码均为 {PASSWORD}）" in seeded
    for username in DEMO_USERNAMES:
        assert f"\n{username} " in seeded


# Venues (阵地, issue 9).


def test_every_station_has_its_one_hall_three_areas_with_hours_and_equipment(seeded: str) -> None:
    from dangjian.venues.models import Equipment, OpeningHours, Venue

    for station in Station.objects.all():
        kinds = set(Venue.objects.filter(station=station).values_list("kind", flat=True))
        assert {"hall", "book_bar", "salon", "lecture"} <= kinds, station.code
    for venue in Venue.objects.all():
        assert OpeningHours.objects.filter(venue=venue).exists(), venue.name
        assert venue.capacity > 0 and venue.name
    kinds = set(Equipment.objects.values_list("kind", flat=True))
    assert {"audio", "microphone", "furniture", "screen", "projector"} <= kinds
    shared = Venue.objects.get(unit__isnull=False)  # §6.1: a unit's own centre, shared
    assert shared.station.code == "hailing-wanda"


def test_a_month_of_bookings_of_every_kind_that_never_overlap(seeded: str) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from dangjian.venues.models import HOLDING_STATUSES, Reservation

    statuses = set(Reservation.objects.values_list("status", flat=True))
    assert {"approved", "pending", "cancelled", "no_show", "checked_in"} <= statuses
    now = timezone.now()
    assert not Reservation.objects.filter(starts_at__lt=now - timedelta(days=17)).exists()
    assert not Reservation.objects.filter(starts_at__gt=now + timedelta(days=17)).exists()
    assert Reservation.objects.filter(status="pending", starts_at__gt=now).count() >= 2
    holding: dict[int, list[Any]] = {}
    for r in Reservation.objects.filter(status__in=HOLDING_STATUSES).order_by("venue_id", "starts_at"):
        previous = holding.setdefault(r.venue_id, [])
        assert not previous or previous[-1].ends_at <= r.starts_at, r
        previous.append(r)
    for r in Reservation.objects.select_related("venue"):
        assert r.station_id == r.venue.station_id and r.head_count <= r.venue.capacity
    assert Reservation.objects.filter(holder__username="member").count() >= 3


def test_a_large_branch_opens_a_venue_to_its_surroundings(seeded: str) -> None:
    from dangjian.venues.models import Reservation, Venue

    neighbor = User.objects.select_related("place__station").get(username="neighbor")
    assert neighbor.person_kind == PersonKind.RESIDENT and neighbor.place is not None
    station = neighbor.place.station
    assert station.open_to_surroundings
    book_bar = Venue.objects.get(station=station, kind="book_bar")
    assert book_bar.audience == "surroundings" and neighbor.has_perm("venues.book", book_bar)
    assert Reservation.objects.filter(holder=neighbor).exists()


def test_faults_tours_and_the_six_have(seeded: str) -> None:
    from dangjian.venues.models import FaultReport, SixHaveItem, Tour, Venue

    assert FaultReport.objects.filter(blocks_venue=True, status="repaired").exists()
    assert FaultReport.objects.exclude(status="repaired").exists()
    assert not Venue.objects.filter(out_of_service=True).exists()
    assert {"unit", "community"} <= set(Tour.objects.values_list("group_kind", flat=True))
    assert {"requested", "confirmed", "done"} <= set(Tour.objects.values_list("status", flat=True))
    for tour in Tour.objects.filter(status__in=("confirmed", "done")).select_related("reservation"):
        assert tour.reservation is not None and tour.reservation.venue.station_id == tour.station_id
    assert SixHaveItem.objects.count() == 6 * Station.objects.count()
    assert list(SixHaveItem.objects.filter(met=False).values_list("item", flat=True)) == ["books"]


# Activities and organisation life (issue 10).


def test_a_year_of_organisation_life_of_every_type(seeded: str) -> None:
    from dangjian.activities.models import (
        Activity,
        ActivityRecord,
        ActivityType,
        AnnualPlan,
        Attendance,
        MonthlyTheme,
        PlannedActivity,
    )

    assert set(Activity.objects.values_list("activity_type", flat=True)) == set(ActivityType.values)
    assert {"draft", "published", "finished", "cancelled"} <= set(
        Activity.objects.values_list("status", flat=True)
    )
    titles = set(Activity.objects.values_list("title", flat=True))
    assert "学习贯彻党的二十届三中全会精神主题党日" in titles
    assert any("海陵区楼宇党建联学共建" in title for title in titles)
    joint = Activity.objects.filter(activity_type="joint_building").first()
    assert joint is not None and joint.organizers.count() == 2
    organizations = PartyOrganization.objects.filter(organized_activities__isnull=False).distinct()
    assert organizations.count() == 5
    for organization in organizations:
        assert AnnualPlan.objects.filter(organization=organization).exists(), organization.name
        assert PlannedActivity.objects.filter(plan__organization=organization).count() >= 12
        assert MonthlyTheme.objects.filter(organization=organization).count() >= 10
    for activity in Activity.objects.select_related("station").prefetch_related("organizers")[:50]:
        assert all(o.station_id == activity.station_id for o in activity.organizers.all()[:1])
    # records for most held activities, with the attendance; a 支部党员大会's quorum and resolutions
    assert ActivityRecord.objects.count() > 0.7 * Activity.objects.filter(status__in=("finished",)).count()
    assert Attendance.objects.exists()
    general = ActivityRecord.objects.filter(activity__activity_type="general_meeting").first()
    assert general is not None and general.entitled_count and general.resolutions.count() == 3
    assert general.quorum_met is not None
    booked = Activity.objects.filter(reservation__isnull=False).select_related("reservation__venue")
    assert booked.exists()
    for activity in booked:
        assert activity.reservation.venue.station_id == activity.station_id
        assert (activity.reservation.starts_at, activity.reservation.ends_at) == (
            activity.starts_at,
            activity.ends_at,
        )


def test_missing_records_and_an_organisation_short_in_a_quarter(seeded: str) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from dangjian.activities.life_rules import Status
    from dangjian.activities.models import Activity
    from dangjian.activities.selectors import compliance_for_organizations

    week_ago = timezone.now() - timedelta(days=7)
    unrecorded = Activity.objects.filter(status="published", ends_at__lt=week_ago, record__isnull=True)
    assert 1 <= unrecorded.count() <= 10
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    organizations = list(PartyOrganization.objects.filter(organized_activities__isnull=False).distinct())
    results = {
        r.organization_name: r for r in compliance_for_organizations(organizations=organizations, year=year)
    }
    short = [name for name, r in results.items() if r.quarter(quarter).status is Status.MISSING]
    assert short == ["中共江苏银行泰州分行机关支部委员会"]
    reasons = " ".join(c.reason for c in results[short[0]].quarter(quarter).missing)
    assert "至少 3 次" in reasons


def test_registrations_waiting_list_offer_leave_and_invitations(seeded: str) -> None:
    from django.utils import timezone

    from dangjian.activities.models import Invitation, LeaveRequest, Registration
    from dangjian.activities.selectors import open_offers_for, pending_leave_for

    member = User.objects.get(username="member")
    [offer] = open_offers_for(member)
    assert offer.offer_expires_at > timezone.now()
    lecture = offer.activity
    seats = Registration.objects.filter(activity=lecture, status__in=("registered", "offered")).count()
    assert seats == lecture.capacity
    assert Registration.objects.filter(activity=lecture, status="waiting").count() == 3
    secretary = User.objects.get(username="secretary")
    assert pending_leave_for(secretary).exists()
    assert {"approved", "rejected", "pending"} <= set(LeaveRequest.objects.values_list("status", flat=True))
    assert {"accepted", "declined", "pending"} <= set(Invitation.objects.values_list("status", flat=True))
    assert {"organization", "alliance", "unit", "person"} <= set(
        Invitation.objects.values_list("kind", flat=True)
    )


def test_a_joint_meeting_with_decisions(seeded: str) -> None:
    from dangjian.activities.models import JointDecision, JointMeeting

    held = JointMeeting.objects.get(status="held")
    assert held.station.kind == StationKind.HQ and held.invitees.filter(attended=True).count() == 4
    assert {"done", "in_progress", "open"} == set(JointDecision.objects.values_list("status", flat=True))
    assert JointMeeting.objects.filter(status="planned").count() == 1


def test_an_existing_hq_blocks_the_demo_data() -> None:
    Station.objects.create(kind=StationKind.HQ, code="zongzhan", name="已有总站", address="泰州市海陵区")

    output = seed()

    assert "未写入演示数据" in output
    assert Station.objects.count() == 1
    assert User.objects.count() == 0


def test_scale_options_need_scale() -> None:
    with pytest.raises(CommandError, match="--scale"):
        seed("--stations", "3")


# The scale mode.


def test_a_small_scale_run_creates_the_expected_counts() -> None:
    output = seed("--scale", "--stations", "20", "--people", "500")

    assert Station.objects.count() == 20
    assert Station.objects.filter(kind=StationKind.HQ).count() == 1
    assert Building.objects.count() == 19 * 2
    assert Floor.objects.count() == 19 * 2 * 11
    assert ResidentUnit.objects.count() == 19 * 8
    assert PartyOrganization.objects.count() == 19
    assert User.objects.count() == 500
    admins = RoleAssignment.objects.filter(role=Role.STATION_ADMIN)
    assert sorted(admins.values_list("station__code", flat=True)) == [f"scale-{n:04d}" for n in range(1, 20)]
    assert len(set(ResidentUnit.objects.values_list("uscc", flat=True))) == 19 * 8
    for uscc in ResidentUnit.objects.values_list("uscc", flat=True):
        validate_uscc(uscc)
    assert "用时" in output and "用户 500" in output
    from dangjian.venues.models import OpeningHours, Reservation, Venue

    assert Venue.objects.count() == 19 * 4 and OpeningHours.objects.count() == 19 * 4 * 7
    assert Reservation.objects.filter(status="approved").count() == 19 * 4 * 7


def test_a_scale_run_refuses_to_run_twice() -> None:
    seed("--scale", "--stations", "3", "--people", "10")
    before = row_counts()

    with pytest.raises(CommandError, match="已存在压测数据"):
        seed("--scale", "--stations", "3", "--people", "10")

    assert row_counts() == before


def test_a_scale_run_reuses_the_demo_hq(seeded: str) -> None:
    users_before = User.objects.count()

    seed("--scale", "--stations", "5", "--people", "40")

    assert Station.objects.filter(kind=StationKind.HQ).count() == 1
    assert Station.objects.count() == 5 + 4
    assert User.objects.count() == users_before + 40
    assert authenticate(username="scale-u0000001", password=PASSWORD) is not None


def test_a_scale_run_needs_a_person_per_branch() -> None:
    with pytest.raises(CommandError, match="不能少于分站数"):
        seed("--scale", "--stations", "20", "--people", "5")
    assert Station.objects.count() == 0


@pytest.mark.django_db
def test_seed_refuses_without_debug_unless_told_it_is_not_production() -> None:
    with pytest.raises(CommandError, match="i-know-this-is-not-production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Station.objects.exists()


@pytest.mark.django_db
def test_scale_seed_never_reuses_a_real_hq() -> None:
    Station.objects.create(
        kind="hq", code="hailing", name="海陵区委组织部楼宇党建总站", address="海陵南路 1 号"
    )
    with pytest.raises(CommandError, match="不是演示总站"):
        seed("--scale", "--stations", "3", "--people", "5")
    assert Station.objects.count() == 1


def test_the_demo_app_is_not_installed_in_production() -> None:
    from tests.test_deploy_settings import PRODUCTION, run_clean

    probe = "import django; django.setup(); from django.apps import apps; print(apps.is_installed('dangjian.demo'))"
    production = run_clean(["-c", probe], DJANGO_SETTINGS_MODULE="config.settings", **PRODUCTION)
    assert production.stdout.strip() == "False", production.stderr
    demo = run_clean(["-c", probe], DJANGO_SETTINGS_MODULE="config.settings", DEMO_DATA="1", **PRODUCTION)
    assert demo.stdout.strip() == "True", demo.stderr
