"""Who may do what (DB3212/T 1124 §5.5; DESIGN.md "Management is isolated"): every service authorises
before it writes — another station's roles and a non-officer are refused and nothing is written; leave is
decided only by the secretary of the requester's organisation; the same 404 for missing and forbidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.models import PersonKind, Role
from dangjian.activities.models import Activity, ActivityRecord, LeaveStatus
from dangjian.activities.selectors import access_activity, access_leave_request, access_registration
from dangjian.activities.services import (
    PlannedItem,
    activity_cancel,
    activity_publish,
    activity_save,
    leave_decide,
    leave_request,
    plan_submit,
    record_file,
    register,
    theme_set,
)
from dangjian.organizations.models import PartyOrganization
from tests import factories as f
from tests.activities.builders import audit_actions, inbox, new_activity

pytestmark = pytest.mark.django_db


def draft_for(world: Any) -> Activity:
    start = timezone.now() + timedelta(days=5)
    return Activity(
        station=world.a, activity_type="party_lecture", title="书记讲党课",
        starts_at=start, ends_at=start + timedelta(hours=2),
    )  # fmt: skip


def writes(life: Any) -> dict[str, Callable[[Any], Any]]:
    w = life.world
    published = new_activity(life.secretary_a, [w.org_a])
    ended = new_activity(life.secretary_a, [w.org_a], starts_at=timezone.now() - timedelta(hours=3))
    draft = new_activity(life.secretary_a, [w.org_a], publish=False)
    return {
        "create": lambda actor: activity_save(actor=actor, activity=draft_for(w), organizations=[w.org_a]),
        "update": lambda actor: activity_save(
            actor=actor, activity=Activity.objects.get(pk=published.pk), organizations=[w.org_a]
        ),
        "publish": lambda actor: activity_publish(actor=actor, activity=draft),
        "cancel": lambda actor: activity_cancel(actor=actor, activity=published, reason="改期"),
        "record": lambda actor: record_file(actor=actor, activity=ended, summary="纪要"),
        "theme": lambda actor: theme_set(
            actor=actor, organization=w.org_a, month=date(2027, 3, 1), theme="学党史"
        ),
        "plan": lambda actor: plan_submit(
            actor=actor, organization=w.org_a, year=2027, planned=[PlannedItem(1, "party_lecture", "党课")]
        ),
    }


REFUSED = ["other_admin", "member", "resident", "other_worker", "secretary_b"]


@pytest.fixture
def actors(life):
    other_worker = f.UserFactory(username="other_worker")
    f.grant(other_worker, Role.WORKER, life.world.b, building=life.world.building_b)
    people = {name: life.world.actor(name) for name in ("other_admin", "member", "resident", "own_admin",
                                                        "hq_admin", "worker_a", "officer_a")}  # fmt: skip
    return {
        **people,
        "other_worker": other_worker,
        "secretary_b": life.secretary_b,
        "secretary_a": life.secretary_a,
    }


@pytest.mark.parametrize("write", ["create", "update", "publish", "cancel", "record", "theme", "plan"])
@pytest.mark.parametrize("role", REFUSED)
def test_another_stations_roles_and_non_officers_are_refused(life, actors, write, role) -> None:
    todo = writes(life)
    before = audit_actions()
    with pytest.raises(PermissionDenied):
        todo[write](actors[role])
    assert audit_actions() == before


@pytest.mark.parametrize("write", ["create", "update", "publish", "cancel", "record"])
@pytest.mark.parametrize("role", ["secretary_a", "officer_a", "own_admin", "worker_a", "hq_admin"])
def test_organisers_and_the_station_may_manage_activities(life, actors, write, role) -> None:
    assert writes(life)[write](actors[role]).pk


@pytest.mark.parametrize("write", ["theme", "plan"])
@pytest.mark.parametrize("role", ["own_admin", "worker_a", "hq_admin"])
def test_themes_and_plans_belong_to_the_organisations_officers(life, actors, write, role) -> None:
    todo = writes(life)
    with pytest.raises(PermissionDenied):
        todo[write](actors[role])
    assert todo[write](actors["officer_a"]).pk and todo[write](actors["secretary_a"]).pk


def test_a_co_organiser_must_be_a_partner_or_the_actors_own(life) -> None:
    w = life.world
    joint = activity_save(actor=life.secretary_a, activity=draft_for(w), organizations=[w.org_a, w.org_b])
    assert joint.organizer_ids == {w.org_a.pk, w.org_b.pk}  # partners in 万达商圈党建联盟
    stranger = f.PartyOrganizationFactory(station=w.b, name="金融大厦第二党支部")
    with pytest.raises(PermissionDenied, match="不在同一党建联盟或共建协议中"):
        activity_save(actor=life.secretary_a, activity=draft_for(w), organizations=[w.org_a, stranger])
    with pytest.raises(ValidationError):  # an activity lives at its lead organiser's station
        bad = draft_for(w)
        bad.station = w.b
        activity_save(actor=life.secretary_a, activity=bad, organizations=[w.org_a])
    assert PartyOrganization.objects.filter(pk=stranger.pk).exists()


def test_the_description_is_sanitised(life) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a])
    assert "<script" not in activity.description and "<p>集中学习</p>" in activity.description


def test_registration_follows_the_audience(life) -> None:
    w = life.world
    internal = new_activity(life.secretary_a, [w.org_a], audience="organization")
    with pytest.raises(PermissionDenied):
        register(actor=life.member_b, activity=internal)
    with pytest.raises(PermissionDenied):
        register(actor=w.resident, activity=internal)
    assert register(actor=w.member, activity=internal).pk
    station = new_activity(life.secretary_a, [w.org_a], audience="station")
    with pytest.raises(PermissionDenied):
        register(actor=life.member_b, activity=station)
    everyone = new_activity(life.secretary_a, [w.org_a], audience="all_stations")
    assert register(actor=life.member_b, activity=everyone).pk
    with pytest.raises(PermissionDenied):
        register(actor=w.resident, activity=everyone)
    public = new_activity(life.secretary_a, [w.org_a], audience="public")
    assert w.resident.person_kind == PersonKind.RESIDENT
    assert register(actor=w.resident, activity=public).pk
    draft = new_activity(life.secretary_a, [w.org_a], audience="public", publish=False)
    with pytest.raises(PermissionDenied):
        register(actor=w.resident, activity=draft)


def test_leave_is_decided_only_by_the_secretary_of_the_persons_organisation(
    life, actors, django_capture_on_commit_callbacks
) -> None:
    w = life.world
    joint = new_activity(life.secretary_a, [w.org_a, w.org_b])
    with django_capture_on_commit_callbacks(execute=True):
        leave = leave_request(actor=w.member, activity=joint, reason="出差在外")
    assert leave.organization_id == w.org_a.pk
    assert any("请假待审批" in t for t in inbox(life.secretary_a)) and not inbox(life.secretary_b)
    for name in ("officer_a", "secretary_b", "own_admin", "hq_admin", "worker_a", "member"):
        with pytest.raises(PermissionDenied):
            leave_decide(actor=actors[name], leave=leave, approve=True)
        with pytest.raises(Http404):
            access_leave_request(user=actors[name], pk=leave.pk, manage=True)
    assert access_leave_request(user=life.secretary_a, pk=leave.pk, manage=True) == leave
    decided = leave_decide(actor=life.secretary_a, leave=leave, approve=True, note="同意")
    assert decided.status == LeaveStatus.APPROVED and decided.decided_by == life.secretary_a
    with pytest.raises(ValidationError):
        leave_decide(actor=life.secretary_a, leave=leave, approve=False)


def test_only_members_of_an_organiser_ask_leave(life) -> None:
    w = life.world
    activity = new_activity(life.secretary_a, [w.org_a])
    for person in (life.member_b, w.resident, w.own_admin):
        with pytest.raises(PermissionDenied):
            leave_request(actor=person, activity=activity, reason="有事")
    leave_request(actor=life.members[0], activity=activity, reason="有事")
    with pytest.raises(ValidationError):
        leave_request(actor=life.members[0], activity=activity, reason="有事")


def test_the_same_404_for_missing_and_forbidden(life) -> None:
    w = life.world
    draft = new_activity(life.secretary_a, [w.org_a], publish=False)
    internal = new_activity(life.secretary_a, [w.org_a])
    for user, pk, manage in (
        (w.member, draft.pk, False),  # a draft is the organisers' only
        (life.member_b, internal.pk, False),  # outside the audience
        (w.other_admin, internal.pk, True),  # another station's admin
        (w.member, internal.pk, True),  # a member manages nothing
        (w.member, 987654, False),
        (w.member, "x", False),
    ):
        with pytest.raises(Http404):
            access_activity(user=user, pk=pk, manage=manage)
    assert access_activity(user=w.member, pk=internal.pk) == internal
    assert access_activity(user=w.own_admin, pk=draft.pk, manage=True) == draft
    registration = register(actor=w.member, activity=internal)
    assert access_registration(user=w.member, pk=registration.pk) == registration
    assert access_registration(user=life.secretary_a, pk=registration.pk, manage=True) == registration
    for user, manage in ((life.members[0], False), (w.other_admin, True), (w.member, True)):
        with pytest.raises(Http404):
            access_registration(user=user, pk=registration.pk, manage=manage)


def test_a_record_is_filed_only_after_the_activity_and_finishes_it(life) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a])
    with pytest.raises(ValidationError):
        record_file(actor=life.secretary_a, activity=activity, summary="纪要")
    record = record_file(actor=life.secretary_a, activity=activity, summary="纪要", now=activity.ends_at)
    assert ActivityRecord.objects.get(activity=activity) == record
    assert Activity.objects.get(pk=activity.pk).status == "finished"
    assert "activities.record.file" in audit_actions()


def test_compliance_and_registration_lists_are_for_who_may_see_them(life, actors) -> None:
    from dangjian.activities.selectors import access_life_organization, registrations_of

    w = life.world
    instructor_a = f.UserFactory(username="instructor_a")
    f.grant(instructor_a, Role.INSTRUCTOR, w.a)
    guide_a = f.UserFactory(username="guide_a")
    f.grant(guide_a, Role.GUIDE, w.a)
    for user in (actors["secretary_a"], actors["officer_a"], actors["own_admin"], actors["worker_a"],
                 actors["hq_admin"], instructor_a):  # fmt: skip
        assert access_life_organization(user=user, pk=w.org_a.pk) == w.org_a
    for user in (actors["other_admin"], actors["secretary_b"], actors["member"], guide_a):
        with pytest.raises(Http404):
            access_life_organization(user=user, pk=w.org_a.pk)
    assert access_life_organization(user=actors["officer_a"], pk=w.org_a.pk, manage=True) == w.org_a
    for user in (actors["own_admin"], actors["hq_admin"], instructor_a):
        with pytest.raises(Http404):
            access_life_organization(user=user, pk=w.org_a.pk, manage=True)

    activity = new_activity(life.secretary_a, [w.org_a], capacity=1)
    first, second = (register(actor=p, activity=activity) for p in life.members[:2])
    assert list(registrations_of(user=guide_a, activity=activity)) == [first, second]
    assert list(registrations_of(user=actors["officer_a"], activity=activity)) == [first, second]
    for user in (actors["other_admin"], actors["member"], instructor_a):
        with pytest.raises(Http404):
            registrations_of(user=user, activity=activity)
