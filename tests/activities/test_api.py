"""JSON API of activities (`/api/v1/activities/…`): lists and filters, detail with the caller's own
registration, registration and the waiting list with the services' refusal codes, offers, 请假 and its
decision, records, compliance; another station's roles meet A's objects as missing; bad input answers 4xx
with a code; lists use a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts.models import PersonKind, Role
from dangjian.activities.checkin import check_in
from dangjian.activities.models import (
    Activity,
    Attendance,
    Invitation,
    LeaveRequest,
    LeaveStatus,
    Registration,
    RegistrationStatus,
)
from dangjian.activities.services import record_file, register
from tests import factories as f
from tests.activities.builders import local, member_of, new_activity

pytestmark = pytest.mark.django_db

API = "/api/v1/activities"


def post(client: Client, path: str, body: Any = None, **extra: Any) -> Any:
    return client.post(
        f"{API}{path}", body if body is not None else {}, content_type="application/json", **extra
    )


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def code_of(response: Any) -> tuple[int, str]:
    return response.status_code, response.json().get("code", "")


@pytest.fixture
def org_day(life: Any) -> Activity:
    """A published 主题党日 of A's organisation for its members, 30 seats, in a week."""
    return new_activity(
        life.secretary_a,
        [life.world.org_a],
        title="学习贯彻党的二十届三中全会精神主题党日",
        capacity=30,
        location_text="万达广场党群综合馆",
    )


@pytest.fixture
def lecture(life: Any) -> Activity:
    """A public 讲座 of A's organisation with one seat."""
    return new_activity(
        life.secretary_a,
        [life.world.org_a],
        title="海陵区楼宇党建联学共建",
        activity_type="lecture",
        audience="public",
        capacity=1,
    )


# ---------------------------------------------------------------- lists and detail


def test_anonymous_visitors_see_public_activities_only(life, org_day, lecture, client) -> None:
    new_activity(life.secretary_a, [life.world.org_a], publish=False, audience="public", title="草稿")
    ids = [item["id"] for item in client.get(API).json()["items"]]
    assert ids == [lecture.pk]
    assert client.get(f"{API}/{lecture.pk}").status_code == 200
    assert code_of(client.get(f"{API}/{org_day.pk}")) == (404, "not_found")


def test_members_see_their_organisations_activities_and_filter(life, org_day, lecture, client) -> None:
    w = life.world
    march = new_activity(
        life.secretary_a,
        [w.org_a, w.org_b],
        title="万达—金融联学共建",
        activity_type="joint_building",
        starts_at=local(2027, 3, 31, 23, 30),
    )
    as_user(client, life.members[0])
    ids = {item["id"] for item in client.get(API).json()["items"]}
    assert ids == {org_day.pk, lecture.pk, march.pk}
    by_type = client.get(API, {"type": "joint_building"}).json()["items"]
    assert [a["id"] for a in by_type] == [march.pk]
    assert [a["id"] for a in client.get(API, {"month": "2027-03"}).json()["items"]] == [march.pk]
    assert client.get(API, {"month": "2027-04"}).json()["items"] == []
    assert [a["id"] for a in client.get(API, {"organization": w.org_b.pk}).json()["items"]] == [march.pk]
    assert client.get(API, {"station": w.b.pk}).json()["items"] == []
    upcoming = [a["id"] for a in client.get(API, {"upcoming": "true"}).json()["items"]]
    assert upcoming[-1] == march.pk and set(upcoming) == ids
    as_user(client, life.member_b)  # B's member: the joint activity names B's organisation
    assert {a["id"] for a in client.get(API).json()["items"]} == {lecture.pk, march.pk}


@pytest.mark.parametrize(
    "params",
    [{"type": "party"}, {"month": "2027-13"}, {"month": "1999-01"}, {"month": "三月"}, {"station": 0}],
)
def test_bad_filters_answer_422(life, client, params) -> None:
    assert code_of(client.get(API, params)) == (422, "invalid"), params


def test_activity_shape_and_my_part(life, org_day, client) -> None:
    w = life.world
    register(actor=life.members[1], activity=org_day)
    as_user(client, life.members[0])
    data = client.get(f"{API}/{org_day.pk}").json()
    assert data["title"] == "学习贯彻党的二十届三中全会精神主题党日"
    assert data["type_label"] == "主题党日" and data["audience_label"] == "本组织党员"
    assert data["organizers"] == [{"id": w.org_a.pk, "name": w.org_a.name}]
    assert data["station"] == {"id": w.a.pk, "name": w.a.name}
    assert data["location"] == "万达广场党群综合馆"
    assert (data["capacity"], data["seats_taken"], data["waiting"]) == (30, 1, 0)
    assert data["starts_at"].endswith("+08:00")
    assert "<script>" not in data["description"]
    assert data["has_record"] is False
    assert data["mine"] == {
        "registration": None,
        "leave_request": None,
        "may_register": True,
        "may_request_leave": True,
        "may_manage": False,
    }
    assert client.get(f"{API}/{2**31 - 1}").status_code == 404
    assert code_of(client.get(f"{API}/0")) == (422, "invalid")


# ---------------------------------------------------------------- registration and the waiting list


def test_register_then_wait_then_take_the_offered_seat(life, lecture, client) -> None:
    first, second = life.members[0], life.members[1]
    response = post(as_user(client, first), f"/{lecture.pk}/register")
    assert response.status_code == 201, response.content
    mine = response.json()
    assert mine["status"] == "registered" and mine["person"]["id"] == first.pk
    assert mine["activity"]["id"] == lecture.pk
    assert code_of(post(client, f"/{lecture.pk}/register")) == (400, "already_registered")

    waiting = post(as_user(client, second), f"/{lecture.pk}/register").json()
    assert (waiting["status"], waiting["waiting_position"]) == ("waiting", 1)
    assert code_of(post(client, f"/registrations/{waiting['id']}/accept")) == (400, "no_offer")

    cancelled = post(as_user(client, first), f"/registrations/{mine['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert code_of(post(client, f"/registrations/{mine['id']}/cancel")) == (400, "not_live")

    as_user(client, second)
    [offer] = client.get(f"{API}/offers/mine").json()["items"]
    assert offer["id"] == waiting["id"] and offer["status"] == "offered"
    assert offer["offer_expires_at"].endswith("+08:00")
    accepted = post(client, f"/registrations/{offer['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "registered"
    assert code_of(post(client, f"/registrations/{offer['id']}/accept")) == (400, "already_registered")
    assert client.get(f"{API}/offers/mine").json()["items"] == []
    mine_list = client.get(f"{API}/registrations/mine").json()["items"]
    assert [r["status"] for r in mine_list] == ["registered"]


def test_an_expired_offer_is_refused_and_a_declined_one_passes_on(life, lecture, client) -> None:
    first, second, third = life.members[:3]
    held = register(actor=first, activity=lecture)
    for person in (second, third):
        register(actor=person, activity=lecture)
    post(as_user(client, first), f"/registrations/{held.pk}/cancel")
    offer = Registration.objects.get(activity=lecture, person=second)
    assert offer.status == RegistrationStatus.OFFERED
    Registration.objects.filter(pk=offer.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    assert code_of(post(as_user(client, second), f"/registrations/{offer.pk}/accept")) == (
        400,
        "offer_expired",
    )
    Registration.objects.filter(pk=offer.pk).update(offer_expires_at=timezone.now() + timedelta(hours=1))
    declined = post(client, f"/registrations/{offer.pk}/decline")
    assert declined.json()["status"] == "declined"
    assert code_of(post(client, f"/registrations/{offer.pk}/decline")) == (400, "no_offer")
    assert Registration.objects.get(activity=lecture, person=third).status == RegistrationStatus.OFFERED


def test_someone_elses_offer_is_missing(life, lecture, client) -> None:
    register(actor=life.members[0], activity=lecture)
    waiting = register(actor=life.members[1], activity=lecture)
    for actor in (life.members[0], life.secretary_a, life.world.other_admin):
        as_user(client, actor)
        assert code_of(post(client, f"/registrations/{waiting.pk}/accept")) == (404, "not_found")
        assert code_of(post(client, f"/registrations/{waiting.pk}/decline")) == (404, "not_found")


def test_refusals_keep_the_services_codes(life, org_day, client) -> None:
    w = life.world
    started = new_activity(life.secretary_a, [w.org_a], starts_at=timezone.now() - timedelta(minutes=5))
    as_user(client, life.members[0])
    assert code_of(post(client, f"/{started.pk}/register")) == (400, "started")
    cancelled = new_activity(life.secretary_a, [w.org_a])
    Activity.objects.filter(pk=cancelled.pk).update(status="cancelled")
    assert code_of(post(client, f"/{cancelled.pk}/register")) == (400, "not_open")
    # the organisers manage but are not in a members-only audience of another organisation
    as_user(client, w.own_admin)
    assert code_of(post(client, f"/{org_day.pk}/register")) == (403, "forbidden")
    # the deadline for cancelling has passed
    soon = new_activity(life.secretary_a, [w.org_a], cancel_deadline=timezone.now() + timedelta(days=1))
    held = register(actor=life.members[0], activity=soon)
    Activity.objects.filter(pk=soon.pk).update(cancel_deadline=timezone.now() - timedelta(minutes=1))
    as_user(client, life.members[0])
    assert code_of(post(client, f"/registrations/{held.pk}/cancel")) == (400, "cancel_deadline_passed")


def test_organisers_and_guides_see_the_registrations(life, lecture, client) -> None:
    w = life.world
    for person in life.members[:3]:
        register(actor=person, activity=lecture)
    guide = f.UserFactory(username="guide_a", real_name="孙丽")
    f.grant(guide, Role.GUIDE, w.a)
    for viewer in (life.secretary_a, w.own_admin, w.hq_admin, guide):
        as_user(client, viewer)
        rows = client.get(f"{API}/{lecture.pk}/registrations").json()["items"]
        assert [r["status"] for r in rows] == ["registered", "waiting", "waiting"], viewer
        waiting = client.get(f"{API}/{lecture.pk}/registrations", {"status": "waiting"}).json()
        assert waiting["count"] == 2
    guide_b = f.UserFactory(username="guide_b")
    f.grant(guide_b, Role.GUIDE, w.b)
    for viewer in (life.members[0], w.other_admin, guide_b, life.secretary_b):
        as_user(client, viewer)
        assert code_of(client.get(f"{API}/{lecture.pk}/registrations")) == (404, "not_found"), viewer
    # an organiser cancels someone's registration
    waiting = Registration.objects.filter(activity=lecture, status="waiting").first()
    assert waiting is not None
    as_user(client, life.secretary_a)
    assert client.get(f"{API}/registrations/{waiting.pk}").json()["waiting_position"] == 1
    assert post(client, f"/registrations/{waiting.pk}/cancel").json()["status"] == "cancelled"
    as_user(client, w.other_admin)
    assert code_of(post(client, f"/registrations/{waiting.pk}/cancel")) == (404, "not_found")


# ---------------------------------------------------------------- leave (请假)


def test_leave_is_asked_by_a_member_and_decided_by_their_secretary(life, org_day, client) -> None:
    w = life.world
    member = life.members[0]
    as_user(client, member)
    response = post(client, f"/{org_day.pk}/leave", {"reason": "  出差在外  "})
    assert response.status_code == 201, response.content
    leave = response.json()
    assert (leave["status"], leave["reason"], leave["organization"]["id"]) == (
        "pending",
        "出差在外",
        w.org_a.pk,
    )
    assert code_of(post(client, f"/{org_day.pk}/leave", {"reason": "再请一次"})) == (400, "already_requested")
    assert client.get(f"{API}/{org_day.pk}").json()["mine"]["leave_request"]["id"] == leave["id"]
    assert [item["id"] for item in client.get(f"{API}/leave-requests/mine").json()["items"]] == [leave["id"]]
    assert code_of(post(client, f"/leave-requests/{leave['id']}/decide", {"approve": True})) == (
        404,
        "not_found",
    )
    for outsider in (w.own_admin, w.other_admin, life.secretary_b):
        as_user(client, outsider)
        assert client.get(f"{API}/leave-requests/pending").json()["items"] == []
        assert code_of(client.get(f"{API}/leave-requests/{leave['id']}")) == (404, "not_found")
        decided = post(client, f"/leave-requests/{leave['id']}/decide", {"approve": True})
        assert code_of(decided) == (404, "not_found"), outsider
    as_user(client, life.secretary_a)
    assert [item["id"] for item in client.get(f"{API}/leave-requests/pending").json()["items"]] == [
        leave["id"]
    ]
    decided = post(client, f"/leave-requests/{leave['id']}/decide", {"approve": False, "note": "请调整行程"})
    assert decided.status_code == 200, decided.content
    assert (
        decided.json()["status"] == "rejected" and decided.json()["decided_by"]["id"] == life.secretary_a.pk
    )
    assert code_of(post(client, f"/leave-requests/{leave['id']}/decide", {"approve": True})) == (
        400,
        "decided",
    )
    assert LeaveRequest.objects.get(pk=leave["id"]).status == LeaveStatus.REJECTED


def test_leave_refusals(life, org_day, lecture, client) -> None:
    w = life.world
    as_user(client, w.own_admin)  # manages, is no member of the organiser
    assert code_of(post(client, f"/{org_day.pk}/leave", {"reason": "开会"})) == (403, "forbidden")
    resident = f.UserFactory(username="resident_x", person_kind=PersonKind.RESIDENT)
    as_user(client, resident)
    assert code_of(post(client, f"/{org_day.pk}/leave", {"reason": "开会"})) == (404, "not_found")
    as_user(client, life.members[0])
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "长" * 301}, {"reason": "a\x00b"}):
        assert code_of(post(client, f"/{org_day.pk}/leave", body)) == (422, "invalid"), body
    ended = new_activity(life.secretary_a, [w.org_a], starts_at=timezone.now() - timedelta(hours=3))
    assert code_of(post(client, f"/{ended.pk}/leave", {"reason": "出差"})) == (400, "ended")


# ---------------------------------------------------------------- records


def test_organisers_file_the_record_after_the_activity(life, org_day, client) -> None:
    w = life.world
    as_user(client, life.secretary_a)
    body = {"summary": "集中学习全会精神，交流研讨"}
    assert code_of(post(client, f"/{org_day.pk}/record", body)) == (400, "not_ended")
    held = new_activity(life.secretary_a, [w.org_a], starts_at=timezone.now() - timedelta(hours=3))
    assert code_of(client.get(f"{API}/{held.pk}/record")) == (404, "not_found")
    response = post(client, f"/{held.pk}/record", body)
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "集中学习全会精神，交流研讨"
    assert response.json()["filed_by"]["id"] == life.secretary_a.pk
    assert client.get(f"{API}/{held.pk}/record").json()["activity"]["id"] == held.pk
    assert client.get(f"{API}/{held.pk}").json()["has_record"] is True
    assert code_of(post(client, f"/{held.pk}/record", {"summary": ""})) == (422, "invalid")
    for outsider in (life.members[0], w.other_admin, life.secretary_b):
        as_user(client, outsider)
        assert code_of(client.get(f"{API}/{held.pk}/record")) == (404, "not_found")
        assert code_of(post(client, f"/{held.pk}/record", body)) == (404, "not_found")


def test_a_general_meetings_record_has_resolutions_and_attendance(life, client) -> None:
    w = life.world
    meeting = new_activity(
        life.secretary_a,
        [w.org_a],
        title="支部党员大会",
        activity_type="general_meeting",
        starts_at=timezone.now() - timedelta(hours=3),
    )
    for i, person in enumerate(life.members[:3]):
        check_in(
            actor=life.secretary_a, activity=meeting, person=person, nonce=f"n{i}", now=meeting.starts_at
        )
    as_user(client, life.secretary_a)
    body = {
        "summary": "选举产生新一届支部委员会",
        "minutes": "<p>应到8人</p><script>x</script>",
        "resolutions": ["通过支部工作报告", "  ", "选举张伟为支部书记"],
        "entitled_count": 5,
    }
    data = post(client, f"/{meeting.pk}/record", body).json()
    assert data["present_count"] == 3
    assert data["resolutions"] == ["通过支部工作报告", "选举张伟为支部书记"]
    assert "<script>" not in data["minutes"] and data["photos"] == []
    assert data["entitled_source"] in ("roster", "typed") and data["entitled_count"] is not None
    assert data["quorum_met"] == (data["entitled_count"] < 3 * 2)
    again = post(client, f"/{meeting.pk}/record", {"summary": "更正纪要"}).json()
    assert again["resolutions"] == ["通过支部工作报告", "选举张伟为支部书记"]  # kept when not given
    too_many = {"summary": "x", "resolutions": ["决议"] * 51}
    assert code_of(post(client, f"/{meeting.pk}/record", too_many)) == (422, "invalid")
    assert code_of(post(client, f"/{meeting.pk}/record", {"summary": "x", "entitled_count": 0})) == (
        422,
        "invalid",
    )


# ---------------------------------------------------------------- my QR code and check-in


@pytest.fixture
def under_way(life: Any) -> Activity:
    """A public 讲座 of A's organisation that started ten minutes ago."""
    return new_activity(
        life.secretary_a,
        [life.world.org_a],
        title="楼宇党建工作交流讲座",
        activity_type="lecture",
        audience="public",
        starts_at=timezone.now() - timedelta(minutes=10),
    )


@pytest.fixture
def guide(life: Any) -> Any:
    person = f.UserFactory(username="guide_a", real_name="孙丽")
    f.grant(person, Role.GUIDE, life.world.a)
    return person


def test_my_qr_code_is_mine_only(life, org_day, client) -> None:
    registration = register(actor=life.members[0], activity=org_day)
    as_user(client, life.members[0])
    data = client.get(f"{API}/registrations/{registration.pk}/qr").json()
    assert data["token"] == Registration.objects.get(pk=registration.pk).token
    assert data["svg"].startswith("<svg") and data["may_check_in"] is True
    for other in (life.members[1], life.secretary_a, life.world.other_admin):
        as_user(client, other)
        assert code_of(client.get(f"{API}/registrations/{registration.pk}/qr")) == (404, "not_found")


def test_the_guide_scans_a_qr_code_once(life, under_way, guide, client) -> None:
    w = life.world
    resident = f.UserFactory(username="resident_q", person_kind=PersonKind.RESIDENT)
    Registration.objects.create(
        activity=under_way, person=resident, station=w.a, status="registered", confirmed_at=timezone.now()
    )
    token = Registration.objects.get(activity=under_way, person=resident).token
    as_user(client, guide)
    scan = {"nonce": "scan-001", "token": token}
    first = post(client, f"/{under_way.pk}/check-in", scan)
    assert first.status_code == 200, first.content
    assert first.json()["replayed"] is False
    assert first.json()["attendance"]["person"]["id"] == resident.pk
    assert first.json()["attendance"]["method"] == "qr"
    retried = post(client, f"/{under_way.pk}/check-in", scan)
    assert retried.json()["replayed"] is True
    assert retried.json()["attendance"]["id"] == first.json()["attendance"]["id"]
    assert Attendance.objects.filter(activity=under_way).count() == 1
    assert code_of(post(client, f"/{under_way.pk}/check-in", {**scan, "nonce": "scan-002"})) == (
        400,
        "already_checked_in",
    )
    other = new_activity(life.secretary_a, [w.org_a], starts_at=timezone.now() - timedelta(minutes=5))
    foreign = Registration.objects.create(
        activity=other, person=life.members[3], station=w.a, status="registered", confirmed_at=timezone.now()
    )
    wrong = post(client, f"/{under_way.pk}/check-in", {"nonce": "scan-003", "token": foreign.token})
    assert code_of(wrong) == (400, "wrong_activity")
    assert code_of(post(client, f"/{under_way.pk}/check-in", {"nonce": "scan-004", "token": "nope"})) == (
        400,
        "invalid_code",
    )
    by_name = post(client, f"/{under_way.pk}/check-in", {"nonce": "scan-005", "person": life.members[0].pk})
    assert by_name.json()["attendance"]["method"] == "search"
    stranger = f.UserFactory(username="stranger")
    assert code_of(post(client, f"/{under_way.pk}/check-in", {"nonce": "s6", "person": stranger.pk})) == (
        400,
        "not_registered",
    )


def test_attendees_scan_the_activity_code(life, under_way, org_day, client) -> None:
    member = life.members[0]
    as_user(client, member)
    code = Activity.objects.get(pk=under_way.pk).checkin_code
    other_code = Activity.objects.get(pk=org_day.pk).checkin_code
    wrong = post(client, f"/{under_way.pk}/check-in", {"nonce": "m-1", "activity_code": other_code})
    assert code_of(wrong) == (400, "wrong_activity")
    done = post(client, f"/{under_way.pk}/check-in", {"nonce": "m-2", "activity_code": code})
    assert done.status_code == 200 and done.json()["attendance"]["method"] == "code"
    too_early = post(client, f"/{org_day.pk}/check-in", {"nonce": "m-3", "activity_code": other_code})
    assert code_of(too_early) == (400, "too_early")
    # scanning others in is for the organisers and the station's guides
    assert code_of(post(client, f"/{under_way.pk}/check-in", {"nonce": "m-4", "token": "x"})) == (
        404,
        "not_found",
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"nonce": "n"},
        {"token": "abc"},
        {"nonce": "n", "token": "abc", "person": 1},
        {"nonce": "", "token": "abc"},
        {"nonce": "n" * 65, "token": "abc"},
        {"nonce": "n", "person": 0},
        {"nonce": "n", "activity_code": "a\x00b"},
    ],
)
def test_check_in_bodies_that_do_not_fit(life, under_way, guide, client, body) -> None:
    as_user(client, guide)
    assert code_of(post(client, f"/{under_way.pk}/check-in", body)) == (422, "invalid"), body


def test_another_stations_guide_cannot_check_in(life, under_way, client) -> None:
    guide_b = f.UserFactory(username="guide_b")
    f.grant(guide_b, Role.GUIDE, life.world.b)
    as_user(client, guide_b)
    body = {"nonce": "b-1", "person": life.members[0].pk}
    assert code_of(post(client, f"/{under_way.pk}/check-in", body)) == (404, "not_found")
    assert not Attendance.objects.exists()


# ---------------------------------------------------------------- invitations (活动邀约)


def test_organisers_invite_and_see_the_answers(life, org_day, client) -> None:
    w = life.world
    as_user(client, life.secretary_a)
    guest = member_of(w.org_a, "guest_a")
    body = {
        "organizations": [w.org_b.pk],
        "units": [w.unit_a.pk],
        "alliances": [w.alliance_a.pk],
        "people": [guest.pk],
        "note": "诚邀参加",
    }
    response = post(client, f"/{org_day.pk}/invitations", body)
    assert response.status_code == 201, response.content
    made = response.json()
    assert {i["kind"] for i in made} == {"organization", "unit", "alliance", "person"}
    assert {i["invitee"]["name"] for i in made} >= {w.org_b.name, w.unit_a.name}
    assert post(client, f"/{org_day.pk}/invitations", body).json() == []  # already invited: skipped
    assert code_of(post(client, f"/{org_day.pk}/invitations", {})) == (400, "no_invitee")
    assert code_of(post(client, f"/{org_day.pk}/invitations", {"units": [2**31 - 1]})) == (400, "invitee")
    stranger = f.UserFactory(username="stranger_b", home_station=w.b)
    assert code_of(post(client, f"/{org_day.pk}/invitations", {"people": [stranger.pk]})) == (400, "invitee")

    # B's secretary answers for B's organisation with a head count
    as_user(client, life.secretary_b)
    [mine] = client.get(f"{API}/invitations/mine").json()["items"]
    assert mine["invitee"] == {"kind": "organization", "id": w.org_b.pk, "name": w.org_b.name}
    answer = post(client, f"/invitations/{mine['id']}/answer", {"accept": True, "head_count": 8})
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    assert code_of(post(client, f"/invitations/{mine['id']}/answer", {"accept": True})) == (400, "head_count")
    assert client.get(f"{API}/invitations/mine").json()["items"] == []
    assert client.get(f"{API}/invitations/mine", {"pending": "false"}).json()["count"] == 1
    # the person declines
    as_user(client, guest)
    [personal] = client.get(f"{API}/invitations/mine").json()["items"]
    assert (
        post(client, f"/invitations/{personal['id']}/answer", {"accept": False}).json()["status"]
        == "declined"
    )

    as_user(client, life.secretary_a)
    page = client.get(f"{API}/{org_day.pk}/invitations").json()
    assert page["counts"] == {
        "invited": 4,
        "accepted": 1,
        "accepted_head_count": 8,
        "declined": 1,
        "silent": 2,
    }
    assert page["count"] == 4 and len(page["items"]) == 4
    assert client.get(f"{API}/invitations/{personal['id']}").json()["status"] == "declined"
    assert client.get(f"{API}/{org_day.pk}/invitations", {"page_size": 1, "page": 2}).json()["items"][0]


def test_invitations_are_missing_for_others(life, org_day, client) -> None:
    w = life.world
    as_user(client, life.secretary_a)
    [invitation] = post(client, f"/{org_day.pk}/invitations", {"organizations": [w.org_b.pk]}).json()
    for outsider in (life.members[0], w.other_admin, life.member_b):
        as_user(client, outsider)
        assert code_of(client.get(f"{API}/invitations/{invitation['id']}")) == (404, "not_found")
        answer = post(client, f"/invitations/{invitation['id']}/answer", {"accept": False})
        assert code_of(answer) == (404, "not_found"), outsider
        assert code_of(client.get(f"{API}/{org_day.pk}/invitations")) == (404, "not_found")
        assert code_of(post(client, f"/{org_day.pk}/invitations", {"units": [w.unit_b.pk]})) == (
            404,
            "not_found",
        )
    as_user(client, life.secretary_a)  # the organiser sees it but does not answer for B
    assert client.get(f"{API}/invitations/{invitation['id']}").status_code == 200
    assert code_of(post(client, f"/invitations/{invitation['id']}/answer", {"accept": False})) == (
        404,
        "not_found",
    )
    for body in ({"organizations": [0]}, {"people": "x"}, {"note": "长" * 301}, {"units": [1] * 201}):
        assert code_of(post(client, f"/{org_day.pk}/invitations", body)) == (422, "invalid"), body
    as_user(client, life.secretary_b)
    for body in (
        {},
        {"accept": "maybe"},
        {"accept": True, "head_count": 0},
        {"accept": True, "head_count": 10**6},
    ):
        answer = post(client, f"/invitations/{invitation['id']}/answer", body)
        assert code_of(answer) == (422, "invalid"), body


# ---------------------------------------------------------------- compliance


def test_compliance_per_month_quarter_and_year(life, client) -> None:
    w = life.world
    meeting = new_activity(
        life.secretary_a, [w.org_a], activity_type="general_meeting", starts_at=local(2025, 3, 31, 23, 30)
    )
    record_file(actor=life.secretary_a, activity=meeting, summary="选举支部委员")
    as_user(client, life.secretary_a)
    response = client.get(f"{API}/organizations/{w.org_a.pk}/compliance", {"year": 2025})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["organization"] == {"id": w.org_a.pk, "name": w.org_a.name} and data["year"] == 2025
    assert data["status"] == "missing" and data["status_label"] == "未达标"
    assert [m["index"] for m in data["months"]] == list(range(1, 13)) and len(data["quarters"]) == 4
    q1 = data["quarters"][0]
    assert q1["label"] == "2025年第1季度" and q1["start"] == "2025-01-01" and q1["end"] == "2025-03-31"
    general = next(c for c in q1["checks"] if c["key"] == "type:general_meeting")
    assert (general["actual"], general["status"], general["reason"]) == (1, "met", "")
    recorded = next(c for c in q1["checks"] if c["key"] == "any-recorded")
    assert recorded["status"] == "missing" and "至少 3 次" in recorded["reason"]
    assert recorded["reason"] in q1["missing"] and recorded["reason"] in data["reasons"]
    assert data["whole_year"]["kind"] == "year"
    plan = next(c for c in data["whole_year"]["checks"] if c["key"] == "plan")
    assert plan["status"] == "missing" and "年度工作计划" in plan["reason"]
    this_year = client.get(f"{API}/organizations/{w.org_a.pk}/compliance").json()
    assert this_year["year"] == timezone.localdate().year
    assert {p["status"] for p in this_year["months"]} <= {"met", "missing", "open"}


def test_compliance_is_for_officers_and_the_stations_staff(life, client) -> None:
    w = life.world
    url = f"{API}/organizations/{w.org_a.pk}/compliance"
    instructor = f.UserFactory(username="instructor_a")
    f.grant(instructor, Role.INSTRUCTOR, w.a)
    for viewer in (life.secretary_a, w.officer_a, w.own_admin, w.worker_a, instructor, w.hq_admin):
        assert as_user(client, viewer).get(url).status_code == 200, viewer
    for viewer in (life.members[0], w.other_admin, life.secretary_b):
        assert code_of(as_user(client, viewer).get(url)) == (404, "not_found"), viewer
    as_user(client, life.secretary_a)
    assert code_of(client.get(url, {"year": 1999})) == (422, "invalid")
    assert code_of(client.get(url, {"year": "今年"})) == (422, "invalid")
    assert code_of(client.get(f"{API}/organizations/{2**31 - 1}/compliance")) == (404, "not_found")


# ---------------------------------------------------------------- anonymous, junk, cross-station


WRITES = (
    "/{activity}/register",
    "/{activity}/leave",
    "/{activity}/record",
    "/registrations/{registration}/cancel",
    "/registrations/{registration}/accept",
    "/registrations/{registration}/decline",
    "/leave-requests/{leave}/decide",
    "/{activity}/check-in",
    "/{activity}/invitations",
    "/invitations/{invitation}/answer",
)
TAKE_BODIES = (
    "/{activity}/leave",
    "/{activity}/record",
    "/leave-requests/{leave}/decide",
    "/{activity}/check-in",
    "/{activity}/invitations",
    "/invitations/{invitation}/answer",
)
READS = (
    "/registrations/mine",
    "/offers/mine",
    "/leave-requests/mine",
    "/leave-requests/pending",
    "/{activity}/registrations",
    "/{activity}/record",
    "/registrations/{registration}",
    "/registrations/{registration}/qr",
    "/leave-requests/{leave}",
    "/organizations/{organization}/compliance",
    "/invitations/mine",
    "/invitations/{invitation}",
    "/{activity}/invitations",
)


@pytest.fixture
def targets(life, org_day) -> dict[str, int]:
    registration = register(actor=life.members[0], activity=org_day)
    leave = LeaveRequest.objects.create(
        activity=org_day,
        person=life.members[1],
        organization=life.world.org_a,
        station=life.world.a,
        reason="病假",
    )
    invitation = Invitation.objects.create(
        activity=org_day, station=life.world.a, kind="organization", organization=life.world.org_b,
        sent_by=life.secretary_a,
    )  # fmt: skip
    return {
        "invitation": invitation.pk,
        "activity": org_day.pk,
        "registration": registration.pk,
        "leave": leave.pk,
        "organization": life.world.org_a.pk,
    }


def test_anonymous_callers_get_401(targets, client) -> None:
    for path in WRITES:
        assert code_of(post(client, path.format(**targets))) == (401, "not_authenticated"), path
    for path in READS:
        assert code_of(client.get(f"{API}{path.format(**targets)}")) == (401, "not_authenticated"), path


def test_another_stations_roles_meet_as_missing(life, targets, client) -> None:
    w = life.world
    for role in (Role.STATION_ADMIN, Role.WORKER, Role.GUIDE, Role.INSTRUCTOR):
        person = f.UserFactory(username=f"{role}_b", home_station=w.b)
        scope = {"building": w.building_b} if role == Role.WORKER else {}
        f.grant(person, role, w.b, **scope)
        as_user(client, person)
        assert code_of(client.get(f"{API}/{targets['activity']}")) == (404, "not_found"), role
        for path in WRITES:
            response = post(
                client,
                path.format(**targets),
                {
                    "reason": "x",
                    "approve": True,
                    "summary": "x",
                    "nonce": "x",
                    "person": life.members[0].pk,
                    "accept": True,
                },
            )
            assert code_of(response) == (404, "not_found"), (role, path)
        for path in (p for p in READS if "{" in p):
            assert client.get(f"{API}{path.format(**targets)}").status_code == 404, (role, path)
    assert Registration.objects.filter(activity_id=targets["activity"]).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '"text"',
        "null",
        '{"reason": 5}',
        '{"approve": "maybe"}',
        '{"summary": ["x"]}',
        "{" * 500,
    ],
)
def test_junk_bodies_answer_4xx(life, targets, client, body) -> None:
    as_user(client, life.secretary_a)
    for path in WRITES:
        response = client.post(f"{API}{path.format(**targets)}", body, content_type="application/json")
        assert response.status_code < 500, (path, body, response.status_code)
        if path in TAKE_BODIES:  # the others take no body and ignore it
            assert 400 <= response.status_code < 500, (path, body, response.status_code)
            assert response.json()["code"]
    multipart = client.post(f"{API}/{targets['activity']}/leave", b"junk", content_type="multipart/form-data")
    assert 400 <= multipart.status_code < 500


@pytest.mark.parametrize("pk", ["0", "-1", "abc", "99999999999999999999"])
def test_ids_that_are_no_ids(life, client, pk) -> None:
    as_user(client, life.secretary_a)
    response = client.get(f"{API}/{pk}")
    assert response.status_code in (404, 422)
    assert post(client, f"/registrations/{pk}/accept").status_code in (404, 422)


# ---------------------------------------------------------------- constant queries


def _fill(life: Any, rows: int) -> Activity:
    """`rows` activities of A's organisation, each with a registration and a leave request of a member,
    and one activity with `rows` registrations."""
    w = life.world
    people = [member_of(w.org_a, f"crowd{rows}_{i}") for i in range(rows)]
    crowded = new_activity(life.secretary_a, [w.org_a, w.org_b], title="全员大会", audience="station")
    for person in people:
        register(actor=person, activity=crowded)
    Invitation.objects.bulk_create(
        Invitation(activity=crowded, station=w.a, kind="person", person=p, sent_by=life.secretary_a)
        for p in people
    )
    for i in range(rows):
        activity = new_activity(life.secretary_a, [w.org_a], title=f"活动{i}", capacity=1)
        register(actor=life.members[0], activity=activity)
        register(actor=life.members[1], activity=activity)
        Invitation.objects.create(
            activity=activity, station=w.a, kind="person", person=life.members[0], sent_by=life.secretary_a
        )
        LeaveRequest.objects.create(
            activity=activity, person=life.members[0], organization=w.org_a, station=w.a, reason="出差"
        )
    return crowded


LIST_CASES = (
    ("", "anonymous", 4),
    ("", "member0", 10),
    ("?type=theme_day&organization={org}", "secretary_a", 10),
    ("/registrations/mine", "member0", 7),
    ("/offers/mine", "member1", 7),
    ("/leave-requests/mine", "member0", 7),
    ("/leave-requests/pending", "secretary_a", 8),
    ("/{crowded}/registrations", "secretary_a", 11),
    ("/{crowded}/invitations", "secretary_a", 12),
    ("/invitations/mine", "member0", 8),
)


@pytest.mark.parametrize("rows", [2, 15])
@pytest.mark.parametrize(("path", "viewer", "most"), LIST_CASES, ids=lambda v: str(v))
def test_lists_use_a_constant_number_of_queries(
    life, client, django_assert_max_num_queries, rows, path, viewer, most
) -> None:
    crowded = _fill(life, rows)
    if rows == 15:  # some offers for member1 (the first of each waiting list is offered when a seat frees)
        for registration in Registration.objects.filter(person=life.members[0], activity__capacity=1):
            registration.status = RegistrationStatus.CANCELLED
            registration.save()
        Registration.objects.filter(person=life.members[1], status="waiting").update(
            status=RegistrationStatus.OFFERED,
            offered_at=timezone.now(),
            offer_expires_at=timezone.now() + timedelta(hours=5),
        )
    users = {"member0": life.members[0], "member1": life.members[1], "secretary_a": life.secretary_a}
    if viewer != "anonymous":
        as_user(client, users[viewer])
    url = f"{API}{path.format(org=life.world.org_a.pk, crowded=crowded.pk)}"
    with django_assert_max_num_queries(most):
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200, response.content
    if path in (
        "/registrations/mine",
        "/{crowded}/registrations",
        "/leave-requests/pending",
        "/invitations/mine",
    ):
        assert len(response.json()["items"]) >= rows


def test_detail_and_compliance_queries_do_not_grow(life, client, django_assert_max_num_queries) -> None:
    crowded = _fill(life, 12)
    as_user(client, life.secretary_a)
    with django_assert_max_num_queries(14):
        assert client.get(f"{API}/{crowded.pk}").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"{API}/organizations/{life.world.org_a.pk}/compliance").status_code == 200
