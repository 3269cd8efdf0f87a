"""Nominations through the review workflow: every move by its proper person, every wrong move refused with
its code and changing nothing; one nomination per nominee, kind and year; audit and notifications."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scopes_disabled

from dangjian.core.models import AuditEvent, Notification
from dangjian.honors import services
from dangjian.honors.models import HonorKind, Nomination, NominationStatus
from tests.honors.builders import nominate, this_year, walk

pytestmark = pytest.mark.django_db
S = NominationStatus


def _code(error: ValidationError) -> str:
    """The code of a refusal, whether or not it names a field."""
    errors = (
        [e for field in error.error_dict.values() for e in field]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    return errors[0].code or ""


def test_a_nomination_starts_as_a_draft_naming_the_organisation(hn: Any) -> None:
    nomination = nominate(actor=hn.admin_a, organization=hn.org_a)
    assert (nomination.status, nomination.nominee_name, nomination.station_id) == (
        S.DRAFT,
        "万达广场楼宇联合党支部",
        hn.a.pk,
    )
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action="honors.nomination.create", target_id=str(nomination.pk)
        ).exists()


@pytest.mark.parametrize(("steps", "status"), [(1, S.SUBMITTED), (2, S.REVIEWED), (3, S.AWARDED)])
def test_the_workflow_moves_submit_review_award(
    hn: Any, django_capture_on_commit_callbacks: Any, steps: int, status: str
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        nomination = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, steps)
    assert Nomination.objects.get(pk=nomination.pk).status == status
    assert nomination.events.count() == steps + 1


def test_return_and_resubmit(hn: Any) -> None:
    nomination = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 1)
    services.nomination_act(
        actor=hn.instructor_a, nomination=nomination, action="return", comment="事迹请补充数据"
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.review_comment) == (S.RETURNED, "事迹请补充数据")
    services.nomination_act(actor=hn.worker_a, nomination=nomination, action="submit")
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


def test_rejection_needs_a_reason_and_tells_the_nominator(
    hn: Any, django_capture_on_commit_callbacks: Any
) -> None:
    nomination = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 2)
    with pytest.raises(ValidationError) as missing:
        services.nomination_act(actor=hn.hq_admin, nomination=nomination, action="reject", comment=" ")
    assert _code(missing.value) == "comment_required"
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_act(actor=hn.hq_admin, nomination=nomination, action="reject", comment="名额有限")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decision_note) == (S.REJECTED, "名额有限")
    told = Notification.objects.get(recipient=hn.admin_a, title__contains="未获授予")
    assert "未获授予" in told.title and told.body == "名额有限"


def test_the_award_tells_the_nominator(hn: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 3)
    assert Notification.objects.filter(recipient=hn.admin_a, title__contains="已授予").count() == 1


# every move that the state does not allow: (steps already taken, action, person)
WRONG_STATE = [
    (0, "approve", "instructor_a"),
    (0, "return", "instructor_a"),
    (0, "award", "hq_admin"),
    (0, "reject", "hq_admin"),
    (1, "submit", "admin_a"),
    (1, "award", "hq_admin"),
    (1, "reject", "hq_admin"),
    (2, "submit", "admin_a"),
    (2, "approve", "instructor_a"),
    (2, "return", "instructor_a"),
    (3, "submit", "admin_a"),
    (3, "approve", "instructor_a"),
    (3, "award", "hq_admin"),
    (3, "reject", "hq_admin"),
]


@pytest.mark.parametrize(("steps", "action", "who"), WRONG_STATE)
def test_each_wrong_move_is_refused_and_changes_nothing(hn: Any, steps: int, action: str, who: str) -> None:
    nomination = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, steps)
    before = Nomination.objects.get(pk=nomination.pk).status
    with pytest.raises(ValidationError) as refused:
        services.nomination_act(actor=getattr(hn, who), nomination=nomination, action=action, comment="意见")
    assert _code(refused.value) == "wrong_state"
    assert Nomination.objects.get(pk=nomination.pk).status == before


# the wrong person at the right moment: (steps already taken, action, person)
WRONG_PERSON = [
    (0, "submit", "admin_b"),
    (0, "submit", "instructor_a"),
    (1, "approve", "instructor_b"),
    (1, "approve", "admin_a"),
    (1, "approve", "hq_admin"),
    (1, "return", "worker_a"),
    (2, "award", "admin_a"),
    (2, "award", "instructor_a"),
    (2, "reject", "admin_b"),
]


@pytest.mark.parametrize(("steps", "action", "who"), WRONG_PERSON)
def test_each_move_by_the_wrong_person_is_refused(hn: Any, steps: int, action: str, who: str) -> None:
    nomination = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, steps)
    with pytest.raises(PermissionDenied):
        services.nomination_act(actor=getattr(hn, who), nomination=nomination, action=action, comment="意见")
    assert Nomination.objects.get(pk=nomination.pk).status == [S.DRAFT, S.SUBMITTED, S.REVIEWED][steps]


def test_hq_does_not_award_what_it_nominated(hn: Any) -> None:
    nomination = nominate(actor=hn.hq_admin, organization=hn.org_a)
    services.nomination_act(actor=hn.hq_admin, nomination=nomination, action="submit")
    services.nomination_act(actor=hn.instructor_a, nomination=nomination, action="approve")
    with pytest.raises(ValidationError) as refused:
        services.nomination_act(actor=hn.hq_admin, nomination=nomination, action="award")
    assert _code(refused.value) == "self_review"


def test_one_nomination_per_nominee_kind_and_year(hn: Any) -> None:
    nominate(actor=hn.admin_a, organization=hn.org_a, kind=HonorKind.MEMBER, nominee=hn.member)
    with pytest.raises(ValidationError) as refused:
        nominate(actor=hn.officer_a, organization=hn.org_a, kind=HonorKind.MEMBER, nominee=hn.member)
    assert _code(refused.value) == "duplicate"
    # another year, or another kind of honour, is a new nomination
    nominate(
        actor=hn.admin_a,
        organization=hn.org_a,
        kind=HonorKind.MEMBER,
        nominee=hn.member,
        year=this_year() - 1,
    )
    assert Nomination.objects.filter(nominee_user=hn.member).count() == 2


def test_the_database_keeps_one_nomination_per_nominee(hn: Any) -> None:
    first = nominate(actor=hn.admin_a, organization=hn.org_a)
    twin = Nomination(
        station=hn.a,
        organization=hn.org_a,
        kind=first.kind,
        year=first.year,
        nominee_name="x",
        deeds="x",
        nominated_by=hn.admin_a,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_rejected_nomination_frees_its_nominee(hn: Any) -> None:
    nomination = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 2)
    services.nomination_act(actor=hn.hq_admin, nomination=nomination, action="reject", comment="材料不全")
    again = nominate(actor=hn.admin_a, organization=hn.org_a)
    assert again.status == S.DRAFT


@pytest.mark.parametrize(
    ("kind", "nominee", "code"),
    [
        (HonorKind.MEMBER, None, "required"),
        (HonorKind.MEMBER, "member_b", "nominee"),  # a member of another organisation
        (HonorKind.WORKER, "member", "nominee"),  # a member holding no party-affairs role
        (HonorKind.ORGANIZATION, "member", "nominee"),
    ],
)
def test_the_nominee_must_fit_the_kind(hn: Any, kind: str, nominee: str | None, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        nominate(
            actor=hn.admin_a,
            organization=hn.org_a,
            kind=kind,
            nominee=getattr(hn, nominee) if nominee else None,
        )
    assert _code(refused.value) == code
    assert not Nomination.objects.exists()


def test_an_excellent_worker_holds_a_party_affairs_role(hn: Any) -> None:
    nomination = nominate(
        actor=hn.admin_a, organization=hn.org_a, kind=HonorKind.WORKER, nominee=hn.officer_a
    )
    assert nomination.nominee_user == hn.officer_a


def test_deeds_are_plain_text(hn: Any) -> None:
    nomination = nominate(
        actor=hn.admin_a, organization=hn.org_a, deeds="<script>x()</script><b>扎根楼宇</b>十年"
    )
    assert nomination.deeds == "扎根楼宇十年"


def test_another_station_cannot_nominate(hn: Any) -> None:
    with pytest.raises(PermissionDenied):
        nominate(actor=hn.admin_b, organization=hn.org_a)
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("year", [1999, 9999])
def test_the_year_is_checked(hn: Any, year: int) -> None:
    with pytest.raises(ValidationError):
        nominate(actor=hn.admin_a, organization=hn.org_a, year=year)


def test_the_deeds_are_revised_only_in_draft_or_after_a_return(hn: Any) -> None:
    nomination = nominate(actor=hn.admin_a, organization=hn.org_a)
    services.nomination_update(
        actor=hn.officer_a, nomination=nomination, deeds="补充：全年开展主题党日 12 次"
    )
    walk(nomination, hn, 1)
    with pytest.raises(ValidationError) as refused:
        services.nomination_update(actor=hn.admin_a, nomination=nomination, deeds="再改")
    assert _code(refused.value) == "wrong_state"
    services.nomination_act(
        actor=hn.instructor_a, nomination=nomination, action="return", comment="请补充数据"
    )
    services.nomination_update(actor=hn.admin_a, nomination=nomination, deeds="补充：服务驻楼企业 42 家")
    assert Nomination.objects.get(pk=nomination.pk).deeds == "补充：服务驻楼企业 42 家"
    with pytest.raises(PermissionDenied):
        services.nomination_update(actor=hn.admin_b, nomination=nomination, deeds="越权修改")
