"""Rectification to the end (§10.2): every refused move (with its Chinese message and code), verification
by another person, closing only with evidence (text and an upload), the overdue alert sent once to the
station admin and HQ, and the public accountability page: anonymous, role titles only, renewed on commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from dangjian.core.models import Notification
from dangjian.evaluation import rectifications
from dangjian.evaluation.models import Rectification, RectificationStatus
from tests.evaluation.builders import day, measure, png

pytestmark = pytest.mark.django_db
S = RectificationStatus
ALL_ACTIONS = ("start", "submit", "approve", "return")
ALLOWED = {
    ("open", "start"),
    ("in_progress", "submit"),
    ("pending_verification", "approve"),
    ("pending_verification", "return"),
}
REFUSED = [(state, action) for state in S.values for action in ALL_ACTIONS if (state, action) not in ALLOWED]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def actor_for(world: Any, action: str) -> Any:
    return world.officer_a if action in ("approve", "return") else world.worker_a


def a_measure(world: Any, status: str = S.OPEN, **fields: Any) -> Rectification:
    found = measure(world.a, owner=world.worker_a, verifier=world.officer_a, status=status, **fields)
    if status == S.PENDING_VERIFICATION:
        found.evidence_text = "已调整值班表"
        found.evidence_file.save("evidence.png", png(), save=True)
    return found


def move(world: Any, found: Rectification, action: str, **kwargs: Any) -> Rectification:
    if action == "submit":
        kwargs.setdefault("evidence_text", "接待日改由两名指导员轮值，三个月准时率 100%")
        kwargs.setdefault("evidence_file", png())
    if action == "return":
        kwargs.setdefault("comment", "证明材料不足")
    return rectifications.rectification_move(
        actor=actor_for(world, action), measure=found, action=action, **kwargs
    )


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_refused_move_changes_nothing(world, state: str, action: str) -> None:
    found = a_measure(world, state)
    with pytest.raises(ValidationError) as refused:
        move(world, found, action)
    assert refused.value.code == "wrong_state"
    assert "不能" in refused.value.messages[0] and found.get_status_display() in refused.value.messages[0]
    found.refresh_from_db()
    assert found.status == state and not found.notes.exists()


def test_the_whole_way_to_closed(world, django_capture_on_commit_callbacks) -> None:
    found = a_measure(world)
    with django_capture_on_commit_callbacks(execute=True):
        found = move(world, found, "start")
        found = move(world, found, "submit")
        found = move(world, found, "return")
        found = move(world, found, "submit")
        found = move(world, found, "approve", comment="复核接待记录，属实")
    assert found.status == S.CLOSED and found.closed_at is not None and found.evidence_file
    assert [n.role_title for n in found.notes.order_by("id")] == [
        "整改责任人",
        "整改责任人",
        "验证人",
        "整改责任人",
        "验证人",
    ]
    assert Notification.objects.filter(recipient=world.officer_a, title__startswith="请验证整改").count() == 2
    assert Notification.objects.filter(recipient=world.worker_a, title__startswith="整改已办结").exists()


def test_the_owner_never_verifies(world) -> None:
    found = measure(world.a, owner=world.worker_a, verifier=world.officer_a, status=S.PENDING_VERIFICATION)
    with pytest.raises(ValidationError) as refused:
        rectifications.rectification_move(actor=world.worker_a, measure=found, action="approve")
    assert refused.value.code == "self_review"
    with pytest.raises(PermissionDenied):  # nor does the station admin: only the named verifier
        rectifications.rectification_move(actor=world.own_admin, measure=found, action="approve")


def test_a_measure_needs_a_different_verifier(world) -> None:
    with pytest.raises(ValidationError) as refused:
        rectifications.rectification_create(
            actor=world.own_admin,
            station=world.a,
            title="整改",
            problem="问题",
            source="analysis",
            owner=world.worker_a,
            verifier=world.worker_a,
            deadline=day(10),
        )
    assert "验证人不能是整改责任人本人" in str(refused.value)


def test_submitting_needs_text_and_an_upload(world) -> None:
    found = a_measure(world, S.IN_PROGRESS)
    with pytest.raises(ValidationError) as no_file:
        move(world, found, "submit", evidence_file=None)
    assert "证明材料" in str(no_file.value)
    with pytest.raises(ValidationError):
        move(world, found, "submit", evidence_text="")
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):  # markup is no evidence
        move(
            world,
            found,
            "submit",
            evidence_file=SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>"),
        )
    found.refresh_from_db()
    assert found.status == S.IN_PROGRESS and not found.evidence_file


def test_closing_without_evidence_is_refused(world) -> None:
    found = measure(world.a, owner=world.worker_a, verifier=world.officer_a, status=S.PENDING_VERIFICATION)
    with pytest.raises(ValidationError) as refused:
        move(world, found, "approve")
    assert refused.value.code == "required"


def test_returning_needs_a_reason(world) -> None:
    found = a_measure(world, S.PENDING_VERIFICATION)
    with pytest.raises(ValidationError):
        move(world, found, "return", comment="")
    assert Rectification.objects.get(pk=found.pk).status == S.PENDING_VERIFICATION


def test_the_overdue_alert_is_sent_once_to_the_station_admin_and_hq(
    world, django_capture_on_commit_callbacks
) -> None:
    late = a_measure(world, S.IN_PROGRESS)
    Rectification.objects.filter(pk=late.pk).update(deadline=day(-3))
    closed = a_measure(world, S.CLOSED)
    Rectification.objects.filter(pk=closed.pk).update(deadline=day(-3))

    with django_capture_on_commit_callbacks(execute=True):
        assert rectifications.alert_overdue() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert rectifications.alert_overdue() == 0
        assert rectifications.alert_overdue(today=day(1)) == 0  # tomorrow: still once

    for person in (world.own_admin, world.hq_admin):
        assert Notification.objects.filter(recipient=person, title__startswith="整改逾期").count() == 1
    assert not Notification.objects.filter(recipient=world.other_admin, title__startswith="整改逾期").exists()


def test_the_public_page_shows_role_titles_and_no_names(world, client) -> None:
    found = a_measure(world)
    rectifications.progress_add(actor=world.worker_a, measure=found, text="已排出第四季度接待日值班表")
    page = client.get(f"/evaluation/station/{world.a.code}/accountability/").content.decode()

    assert (
        "提升党建指导员接待日准时率" in page and "已排出第四季度接待日值班表" in page and "整改责任人" in page
    )
    for person in (world.worker_a, world.officer_a, world.own_admin):
        assert person.real_name not in page and person.username not in page and person.mobile not in page
    assert "待整改" in page and "整改期限" in page


@override_settings(PAGE_CACHE_SECONDS=300)
def test_the_public_page_is_cached_and_renewed_on_commit(
    world, client, django_capture_on_commit_callbacks
) -> None:
    from django.core.cache import cache

    cache.clear()
    found = a_measure(world)
    url = f"/evaluation/station/{world.a.code}/accountability/"
    assert "第一次进展" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        rectifications.progress_add(actor=world.worker_a, measure=found, text="第一次进展")
    assert "第一次进展" in client.get(url).content.decode()


def test_a_missing_station_is_404(client) -> None:
    assert client.get("/evaluation/station/no-such/accountability/").status_code == 404


def test_the_evidence_is_shown_to_those_who_see_the_measure(world, client) -> None:
    found = move(world, a_measure(world, S.IN_PROGRESS), "submit")
    client.force_login(world.own_admin)
    page = client.get(f"/evaluation/measures/{found.pk}/").content.decode()
    assert f"/evaluation/measures/{found.pk}/evidence/" in page and "查看证明材料" in page
    shown = client.get(f"/evaluation/measures/{found.pk}/evidence/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content).startswith(b"\x89PNG")
    assert shown["Content-Disposition"].startswith("inline")
    client.force_login(world.other_admin)
    assert client.get(f"/evaluation/measures/{found.pk}/evidence/").status_code == 404


def test_a_measure_without_evidence_has_none_to_show(world, client) -> None:
    found = a_measure(world)
    client.force_login(world.own_admin)
    assert client.get(f"/evaluation/measures/{found.pk}/evidence/").status_code == 404
