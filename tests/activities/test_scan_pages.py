"""The camera check-in pages (issue 10 §4): the guide's scan page (its script posts each registration QR
code to the API's check-in operation with the session and CSRF token), the activity's door code, and the
attendee's own scan page (the door code scanned or typed). Only these pages open the camera
(`Permissions-Policy: camera=(self)`), and nothing a client sends opens it elsewhere."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.activities.models import Activity, Attendance
from dangjian.activities.services import register
from dangjian.core.middleware import CAMERA_PERMISSIONS_POLICY, PERMISSIONS_POLICY
from tests import factories as f
from tests.activities.builders import member_of, new_activity, secretary_of
from tests.activities.test_checkin import today as checkin_today  # noqa: F401 (a fixture)
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(request: pytest.FixtureRequest) -> Any:
    """The check-in tests' `today` (A's public activity starting in 30 minutes: check-in is open; a resident
    and a member registered; A's guide; "另一场活动" a week ahead), plus B's guide and a member registered
    for the other activity."""
    world = request.getfixturevalue("checkin_today")
    world.guide_b = f.UserFactory(username="guide_b")
    f.grant(world.guide_b, Role.GUIDE, world.world.b)
    world.other_reg = register(actor=world.members[1], activity=world.other)
    return world


def scan_url(activity: Activity) -> str:
    return reverse("activities:scan", kwargs={"pk": activity.pk})


def self_url(activity: Activity) -> str:
    return reverse("activities:self_scan", kwargs={"pk": activity.pk})


def door_url(activity: Activity) -> str:
    return reverse("activities:door_code", kwargs={"pk": activity.pk})


def as_user(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def text_of(response: Any) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- who may open which page


@pytest.mark.parametrize(
    ("who", "scan", "self_scan"),
    [
        ("anonymous", 302, 302),
        ("resident", 403, 200),  # registered for the public activity: scans the door code
        ("member", 403, 200),
        ("guide", 200, 200),
        ("secretary_a", 200, 200),  # the organiser's secretary
        ("own_admin", 200, 200),
        ("hq_admin", 200, 200),
        ("guide_b", 404, 200),  # another station's guide: A's activity is no business of theirs
        ("other_admin", 404, 200),
        ("secretary_b", 404, 200),
    ],
)
def test_who_opens_the_scan_pages(door, who: str, scan: int, self_scan: int) -> None:
    people = {
        "anonymous": None,
        "resident": door.world.resident,
        "member": door.members[0],
        "guide": door.guide,
        "secretary_a": door.secretary_a,
        "own_admin": door.world.own_admin,
        "hq_admin": door.world.hq_admin,
        "guide_b": door.guide_b,
        "other_admin": door.world.other_admin,
        "secretary_b": door.secretary_b,
    }
    client = as_user(people[who])
    assert client.get(scan_url(door.activity)).status_code == scan
    assert client.get(door_url(door.activity)).status_code == scan
    assert client.get(self_url(door.activity)).status_code == self_scan  # a public activity: seen by all
    assert client.post(scan_url(door.activity)).status_code == (302 if who == "anonymous" else 405)


def test_an_activity_for_the_organisation_is_missing_to_others_on_the_attendees_page(life) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a], starts_at=timezone.now())
    assert as_user(life.members[0]).get(self_url(activity)).status_code == 200
    for outsider in (life.member_b, life.world.resident, life.world.other_admin):
        client = as_user(outsider)
        assert client.get(self_url(activity)).status_code == 404
        body = {"code": activity.checkin_code, "nonce": "outsider"}
        assert client.post(self_url(activity), body).status_code == 404
    assert not Attendance.objects.exists()


# ---------------------------------------------------------------- the camera is opened only here


def test_only_the_scan_pages_open_the_camera(door) -> None:
    guide, member = as_user(door.guide), as_user(door.members[0])
    assert guide.get(scan_url(door.activity)).headers["Permissions-Policy"] == CAMERA_PERMISSIONS_POLICY
    assert member.get(self_url(door.activity)).headers["Permissions-Policy"] == CAMERA_PERMISSIONS_POLICY
    assert "camera=(self)" in CAMERA_PERMISSIONS_POLICY and "camera=()" in PERMISSIONS_POLICY
    elsewhere = [
        guide.get(door_url(door.activity)),
        guide.get(reverse("activities:checkin", kwargs={"pk": door.activity.pk})),
        member.get(reverse("activities:detail", kwargs={"pk": door.activity.pk})),
        as_user(None).get("/"),
        as_user(None).get(scan_url(door.activity)),  # sent to sign in: not the page
        as_user(door.world.member).get(scan_url(door.activity)),  # 403
        as_user(door.guide_b).get(scan_url(door.activity)),  # 404
    ]
    for response in elsewhere:
        assert response.headers["Permissions-Policy"] == PERMISSIONS_POLICY, response


def test_nothing_a_client_sends_opens_the_camera(door) -> None:
    member = as_user(door.members[0])
    detail = reverse("activities:detail", kwargs={"pk": door.activity.pk})
    response = member.get(
        f"{detail}?uses_camera=1&camera=self",
        HTTP_PERMISSIONS_POLICY="camera=(self)",
        HTTP_X_USES_CAMERA="1",
        HTTP_REFERER=f"http://testserver{self_url(door.activity)}",
    )
    assert response.headers["Permissions-Policy"] == PERMISSIONS_POLICY


# ---------------------------------------------------------------- the guide's page and its API calls


def test_the_guide_page_carries_what_its_script_needs(door) -> None:
    page = text_of(as_user(door.guide).get(scan_url(door.activity)))
    endpoint = reverse("api:activity_check_in", kwargs={"activity_id": door.activity.pk})
    assert 'data-mode="token"' in page and f'data-endpoint="{endpoint}"' in page
    assert "vendor/jsqr-1.4.0/jsQR.js" in page and "js/qr-scan.js" in page
    assert "从相册选择二维码图片" in page and 'type="file"' in page
    assert reverse("activities:checkin", kwargs={"pk": door.activity.pk}) in page  # the name search
    assert re.search(r"已签到 <span data-present>0</span>/\d+", page)
    assert "data-closed" not in page


def scan(client: Client, activity: Activity, token: str, nonce: str, csrf: str) -> Any:
    endpoint = reverse("api:activity_check_in", kwargs={"activity_id": activity.pk})
    body = json.dumps({"token": token, "nonce": nonce})
    return client.post(endpoint, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)


def test_the_pages_script_checks_people_in_through_the_api(door) -> None:
    """What qr-scan.js sends: the session, the page's CSRF token, the token read and a fresh nonce."""
    client = as_user(door.guide, csrf=True)
    page = text_of(client.get(scan_url(door.activity)))
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    token = door.member_reg.token

    first = scan(client, door.activity, token, "b5d0c0de-1", csrf)
    assert first.status_code == 200, first.content
    assert first.json()["attendance"]["person"]["name"] == door.members[0].display_name
    retried = scan(client, door.activity, token, "b5d0c0de-1", csrf)  # the network dropped the answer
    assert retried.status_code == 200 and retried.json()["replayed"] is True
    again = scan(client, door.activity, token, "b5d0c0de-2", csrf)
    assert again.status_code == 400 and again.json()["code"] == "already_checked_in"
    assert "请勿重复签到" in again.json()["message"]
    foreign = scan(client, door.activity, door.other_reg.token, "b5d0c0de-3", csrf)
    assert foreign.json()["code"] == "wrong_activity" and "另一场活动" in foreign.json()["message"]
    assert Attendance.objects.filter(activity=door.activity).count() == 1

    no_csrf = scan(client, door.activity, door.resident_reg.token, "b5d0c0de-4", "")
    assert no_csrf.status_code == 403 and "CSRF" in no_csrf.json()["message"]
    assert Attendance.objects.count() == 1


def test_the_guide_page_says_when_check_in_opens_and_after_the_end(door) -> None:
    client = as_user(door.guide)
    later = door.other  # a week ahead
    opens = timezone.localtime(later.starts_at - timedelta(hours=1))
    page = text_of(client.get(scan_url(later)))
    assert "data-closed" in page and f"{opens:%Y年%m月%d日 %H:%M} 开始" in page
    Activity.objects.filter(pk=later.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert "活动已结束，未签到的人员请在签到表中补录" in text_of(client.get(scan_url(later)))


def test_the_guide_page_runs_the_same_queries_however_many_registered(door) -> None:
    client = as_user(door.guide)
    few = get_query_count(client, scan_url(door.activity))
    for i in range(12):
        register(actor=member_of(door.world.org_b, f"visitor{i}"), activity=door.activity)
    assert get_query_count(client, scan_url(door.activity)) == few


# ---------------------------------------------------------------- the door code


def test_the_door_code_page_shows_the_qr_code_and_the_code_to_type(door) -> None:
    page = text_of(as_user(door.guide).get(door_url(door.activity)))
    code = door.activity.checkin_code
    assert "<svg" in page and "活动签到码" in page
    groups = re.findall(r"<code>([^<]{1,4})</code>", page.split("data-code", 1)[1])
    assert "".join(groups) == code


def test_the_door_code_opens_the_attendees_page_with_the_code_filled_in(door) -> None:
    from dangjian.activities.views import _door_url

    request = Client().get("/").wsgi_request
    link = _door_url(request, door.activity)
    assert link == f"http://testserver{self_url(door.activity)}?code={door.activity.checkin_code}"
    page = text_of(as_user(door.members[0]).get(link))
    assert f'value="{door.activity.checkin_code}"' in page


# ---------------------------------------------------------------- the attendee's own page


def checked_in(person: Any, activity: Activity) -> bool:
    return Attendance.objects.filter(person=person, activity=activity).exists()


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: " ".join(code[i : i + 4] for i in range(0, len(code), 4)),  # as printed, in groups
        lambda code: f"https://dangjian.example.gov.cn/activities/1/scan/?code={code}",  # the link pasted
    ],
    ids=["code", "grouped", "link"],
)
def test_the_attendee_types_the_door_code_and_is_checked_in(door, typed: Any) -> None:
    member = door.members[0]
    client = as_user(member)
    page = text_of(client.get(self_url(door.activity)))
    assert 'data-mode="code"' in page and "js/qr-scan.js" in page and "或输入签到码" in page
    nonce = re.search(r'name="nonce" value="([0-9a-f]{32})"', page).group(1)
    body = {"code": typed(door.activity.checkin_code), "nonce": nonce}
    done = client.post(self_url(door.activity), body)
    assert done.status_code == 302 and done.headers["Location"] == self_url(door.activity)
    assert checked_in(member, door.activity)
    assert client.post(self_url(door.activity), body).status_code == 302  # resubmitted: counted once
    assert Attendance.objects.count() == 1
    after = text_of(client.get(self_url(door.activity)))
    assert "data-checked-in" in after and "您已于" in after and "签到成功" in after
    assert 'data-mode="code"' not in after  # no scanner once checked in


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请扫描或输入活动现场张贴的签到码"),
        ("   ", "请扫描或输入活动现场张贴的签到码"),
        ("xyz", "签到码无效，请扫描活动现场张贴的二维码"),
        ("https://example.com/?code=", "请扫描或输入活动现场张贴的签到码"),
        ("码" * 2000, "签到码无效"),
    ],
)
def test_a_wrong_door_code_is_refused_in_chinese(door, code: str, message: str) -> None:
    response = as_user(door.members[0]).post(self_url(door.activity), {"code": code, "nonce": "n-1"})
    assert response.status_code == 200 and message in text_of(response)
    assert not Attendance.objects.exists()


def test_the_code_of_another_activity_is_refused(door) -> None:
    body = {"code": door.other.checkin_code, "nonce": "n-1"}
    response = as_user(door.members[0]).post(self_url(door.activity), body)
    assert "这是“另一场活动”的签到码，不是本活动的" in text_of(response)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("nonce", ["", "n" * 65, "a\x00b", "扫码<1>"])
def test_a_missing_overlong_or_malformed_nonce_is_refused(door, nonce: str) -> None:
    body = {"code": door.activity.checkin_code, "nonce": nonce}
    response = as_user(door.members[0]).post(self_url(door.activity), body)
    assert "签到请求缺少有效的请求标识" in text_of(response) and not Attendance.objects.exists()


def test_someone_not_registered_gets_no_scanner_and_is_not_checked_in(door) -> None:
    stranger = member_of(door.world.org_b, "stranger")
    client = as_user(stranger)
    page = text_of(client.get(self_url(door.activity)))
    assert "您未报名本活动" in page and 'data-mode="code"' not in page
    client.post(self_url(door.activity), {"code": door.activity.checkin_code, "nonce": "n-1"})
    assert not checked_in(stranger, door.activity)


def test_before_the_window_the_page_says_when_it_opens(door) -> None:
    organiser_member = door.members[3]  # expected at every activity of the organisation
    page = text_of(as_user(organiser_member).get(self_url(door.other)))
    opens = timezone.localtime(door.other.starts_at - timedelta(hours=1))
    assert f"签到将于 {opens:%Y年%m月%d日 %H:%M} 开始" in page and 'data-mode="code"' not in page
    body = {"code": door.other.checkin_code, "nonce": "n-1"}
    refused = as_user(organiser_member).post(self_url(door.other), body)
    assert refused.status_code == 200 and not Attendance.objects.exists()


def test_the_activity_page_links_the_scan_page_while_check_in_is_open(door) -> None:
    member = as_user(door.members[0])
    detail = text_of(member.get(reverse("activities:detail", kwargs={"pk": door.activity.pk})))
    assert "data-self-scan" in detail and self_url(door.activity) in detail
    later = text_of(member.get(reverse("activities:detail", kwargs={"pk": door.other.pk})))
    assert "data-self-scan" not in later
    outsider = secretary_of(door.world.org_b, "secretary_b2")
    seen = text_of(as_user(outsider).get(reverse("activities:detail", kwargs={"pk": door.activity.pk})))
    assert "data-self-scan" not in seen  # not registered, not of the organiser


def test_the_management_pages_link_the_camera_page(door) -> None:
    client = as_user(door.guide)
    detail = text_of(client.get(reverse("activities:manage_detail", kwargs={"pk": door.activity.pk})))
    assert scan_url(door.activity) in detail and door_url(door.activity) in detail
    by_name = text_of(client.get(reverse("activities:checkin", kwargs={"pk": door.activity.pk})))
    assert scan_url(door.activity) in by_name
