"""The disclosure workflow (DB3212/T 1124 §6.3 党务公开; §5.5 workers publish, instructors review):
every allowed move, every refused one, and what each writes (history, audit, notifications, search)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.accounts.models import Role
from dangjian.core.models import Notification
from dangjian.core.search import ANONYMOUS, search
from dangjian.core.search_models import SearchDocument
from dangjian.core.workflow import TransitionError
from dangjian.disclosures import services
from dangjian.disclosures.models import Disclosure
from tests import factories as f
from tests.disclosures.builders import draft_fields, published, submitted, write_draft
from tests.disclosures.conftest import audit_actions, reload

pytestmark = pytest.mark.django_db


def _refused(call, disclosure: Disclosure, *, code: str, match: str | None = None) -> None:
    """`call` raises TransitionError with `code`, and nothing about the item changes."""
    status, events, audits = disclosure.status, disclosure.events.count(), len(audit_actions())
    with pytest.raises(TransitionError, match=match) as raised, transaction.atomic():
        call()
    assert raised.value.code == code
    assert reload(disclosure).status == status
    assert disclosure.events.count() == events
    assert len(audit_actions()) == audits


# ---------------------------------------------------------------- drafts


def test_draft_is_sanitised_and_takes_the_organisations_station(people) -> None:
    draft = write_draft(
        people.worker_a, people.org_a, body='<p onclick="x()">公示<script>alert(1)</script></p>'
    )
    assert draft.station_id == people.org_a.station_id == people.a.pk
    assert draft.status == "draft" and draft.author == people.worker_a
    assert "script" not in draft.body and "onclick" not in draft.body and "公示" in draft.body
    assert audit_actions() == ["disclosures.disclosure.create"]
    assert list(draft.events.values_list("action", flat=True)) == ["create"]


def test_plain_text_body_becomes_paragraphs(people) -> None:
    draft = write_draft(people.worker_a, people.org_a, body="第一段\n\n第二段")
    assert draft.body == "<p>第一段</p><p>第二段</p>"


@pytest.mark.parametrize("writer", ["worker_a", "own_admin", "officer_a", "hq_admin"])
def test_writers_of_the_organisation_may_draft(people, writer) -> None:
    assert write_draft(getattr(people, writer), people.org_a).pk


@pytest.mark.parametrize(
    "outsider", ["worker_b", "other_admin", "officer_b", "instructor_a", "member", "resident"]
)
def test_others_may_not_draft_for_the_organisation(people, outsider) -> None:
    with pytest.raises(TransitionError, match="只有本组织所在站点"):
        write_draft(getattr(people, outsider), people.org_a)
    assert not Disclosure.objects.exists() and audit_actions() == []


def test_period_end_before_start_is_refused(people) -> None:
    with pytest.raises(ValidationError) as raised:
        write_draft(
            people.worker_a, people.org_a, period_start=date(2026, 9, 30), period_end=date(2026, 7, 1)
        )
    assert "公开期间止不能早于公开期间起" in raised.value.messages
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "<p> </p>", "<script>alert(1)</script>"])
def test_empty_body_is_refused(people, body) -> None:
    with pytest.raises(ValidationError, match="请填写公开内容"):
        write_draft(people.worker_a, people.org_a, body=body)
    assert not Disclosure.objects.exists()


def test_empty_title_is_refused(people) -> None:
    with pytest.raises(ValidationError):
        write_draft(people.worker_a, people.org_a, title="")
    assert not Disclosure.objects.exists() and audit_actions() == []


def test_editing_a_returned_item_is_allowed(people) -> None:
    item = submitted(people.worker_a, people.org_a)
    services.disclosure_return(disclosure=item, actor=people.instructor_a, comment="请补充支出明细")
    item = reload(item)
    item.title = "2026年第三季度党费收缴与使用情况公示（更正）"
    services.disclosure_save(disclosure=item, actor=people.worker_a, before={"title": "旧"})
    assert reload(item).title.endswith("（更正）") and item.status == "returned"


@pytest.mark.parametrize("state", ["submitted", "published"])
def test_editing_outside_draft_or_returned_is_refused(people, state) -> None:
    item = submitted(people.worker_a, people.org_a)
    if state == "published":
        item = services.disclosure_approve(disclosure=item, actor=people.instructor_a)
    item.title = "改动"
    with pytest.raises(TransitionError, match="不能修改") as raised:
        services.disclosure_save(disclosure=item, actor=people.worker_a, before={})
    assert raised.value.code == "wrong_state"
    assert reload(item).title != "改动" and reload(item).status == state


def test_editing_by_a_worker_of_another_station_is_refused(people) -> None:
    item = write_draft(people.worker_a, people.org_a)
    item.title = "改动"
    with pytest.raises(TransitionError):
        services.disclosure_save(disclosure=item, actor=people.worker_b, before={})
    assert reload(item).title != "改动"


# ---------------------------------------------------------------- allowed transitions


@pytest.mark.parametrize("writer", ["worker_a", "own_admin", "officer_a", "hq_admin"])
def test_writers_submit(people, writer) -> None:
    item = write_draft(people.worker_a, people.org_a)
    actor = getattr(people, writer)
    item = services.disclosure_submit(disclosure=item, actor=actor)
    assert item.status == "submitted" and item.submitted_by == actor and item.submitted_at


def test_full_life_history_and_audit(people) -> None:
    item = submitted(people.worker_a, people.org_a)
    services.disclosure_return(disclosure=item, actor=people.instructor_a, comment="请补充支出明细")
    services.disclosure_submit(disclosure=item, actor=people.worker_a, comment="已补充")
    item = services.disclosure_approve(disclosure=item, actor=people.instructor_a, comment="同意公开")
    assert item.status == "published" and item.reviewed_by == people.instructor_a
    assert item.published_at and item.review_comment == "同意公开"
    item = services.disclosure_withdraw(
        disclosure=item, actor=people.worker_a, comment="数据有误，更正后重新公示"
    )
    item = services.disclosure_archive(disclosure=item, actor=people.worker_a)
    assert item.status == "archived"
    steps = ["create", "submit", "return", "submit", "approve", "withdraw", "archive"]
    assert list(item.events.order_by("at", "id").values_list("action", flat=True)) == steps
    assert audit_actions() == [f"disclosures.disclosure.{step}" for step in steps]
    returned = item.events.get(action="return")
    assert returned.actor == people.instructor_a and returned.comment == "请补充支出明细"


def test_withdrawal_keeps_the_record_and_its_reason(people) -> None:
    item = published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    services.disclosure_withdraw(disclosure=item, actor=people.officer_a, comment="名单有误")
    item = Disclosure.objects.get(pk=item.pk)
    assert item.status == "withdrawn" and item.withdrawn_reason == "名单有误"
    assert item.withdrawn_by == people.officer_a and item.withdrawn_at
    assert "3,860.00" in item.body  # the record stays whole


@pytest.mark.parametrize("actor", ["worker_a", "own_admin", "officer_a", "instructor_a"])
def test_who_may_withdraw(people, actor) -> None:
    item = published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    assert services.disclosure_withdraw(
        disclosure=item, actor=getattr(people, actor), comment="更正"
    ).status == ("withdrawn")


def test_a_withdrawn_item_may_be_archived(people) -> None:
    item = published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    services.disclosure_withdraw(disclosure=item, actor=people.worker_a, comment="更正")
    assert services.disclosure_archive(disclosure=item, actor=people.own_admin).status == "archived"


# ---------------------------------------------------------------- refused transitions


def test_approving_ones_own_item_is_refused(people) -> None:
    f.grant(people.worker_a, Role.INSTRUCTOR, people.a)
    item = submitted(people.worker_a, people.org_a)
    _refused(
        lambda: services.disclosure_approve(disclosure=item, actor=people.worker_a), item, code="self_review"
    )


def test_approving_what_one_submitted_is_refused(people) -> None:
    f.grant(people.instructor_a, Role.WORKER, people.a, building=people.building_a)
    item = write_draft(people.worker_a, people.org_a)
    item = services.disclosure_submit(disclosure=item, actor=people.instructor_a)
    _refused(
        lambda: services.disclosure_approve(disclosure=item, actor=people.instructor_a),
        item,
        code="self_review",
        match="不能审核自己",
    )
    _refused(
        lambda: services.disclosure_return(disclosure=item, actor=people.instructor_a, comment="改"),
        item,
        code="self_review",
    )


@pytest.mark.parametrize(
    "reviewer", ["instructor_b", "instructor_hq", "worker_a", "own_admin", "hq_admin", "officer_a", "member"]
)
def test_only_instructors_of_the_station_review(people, reviewer) -> None:
    item = submitted(people.worker_a, people.org_a)
    actor = getattr(people, reviewer)
    _refused(lambda: services.disclosure_approve(disclosure=item, actor=actor), item, code="forbidden")
    _refused(
        lambda: services.disclosure_return(disclosure=item, actor=actor, comment="改"), item, code="forbidden"
    )


@pytest.mark.parametrize(
    "outsider", ["worker_b", "other_admin", "officer_b", "instructor_a", "member", "resident"]
)
def test_only_writers_of_the_organisation_submit(people, outsider) -> None:
    item = write_draft(people.worker_a, people.org_a)
    actor = getattr(people, outsider)
    _refused(lambda: services.disclosure_submit(disclosure=item, actor=actor), item, code="forbidden")


@pytest.mark.parametrize("outsider", ["worker_b", "other_admin", "instructor_b", "instructor_hq", "member"])
def test_outsiders_may_not_withdraw(people, outsider) -> None:
    item = published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    actor = getattr(people, outsider)
    _refused(
        lambda: services.disclosure_withdraw(disclosure=item, actor=actor, comment="撤"),
        item,
        code="forbidden",
    )


def test_instructors_do_not_archive(people) -> None:
    item = published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    _refused(
        lambda: services.disclosure_archive(disclosure=item, actor=people.instructor_a),
        item,
        code="forbidden",
    )


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("draft", "withdraw"),
        ("draft", "archive"),
        ("submitted", "submit"),
        ("submitted", "withdraw"),
        ("submitted", "archive"),
        ("published", "submit"),
        ("published", "approve"),
        ("published", "return"),
        ("withdrawn", "withdraw"),
        ("withdrawn", "approve"),
        ("withdrawn", "submit"),
        ("archived", "archive"),
        ("archived", "submit"),
    ],
)
def test_wrong_state_is_refused(people, state, action) -> None:
    item = _in_state(people, state)
    actor = people.instructor_a if action in ("approve", "return") else people.worker_a
    call = services.TRANSITIONS[action]
    _refused(
        lambda: call(disclosure=item, actor=actor, comment="理由"),
        item,
        code="wrong_state",
        match="当前状态为",
    )


def _in_state(people, state: str) -> Disclosure:
    if state == "draft":
        return write_draft(people.worker_a, people.org_a)
    if state == "submitted":
        return submitted(people.worker_a, people.org_a)
    item = published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    if state in ("withdrawn", "archived"):
        services.disclosure_withdraw(disclosure=item, actor=people.worker_a, comment="更正")
    if state == "archived":
        services.disclosure_archive(disclosure=item, actor=people.worker_a)
    return reload(item)


@pytest.mark.parametrize(("action", "what"), [("return", "退回意见"), ("withdraw", "撤回原因")])
@pytest.mark.parametrize("comment", ["", "   ", "长" * 501])
def test_required_comment(people, action, what, comment) -> None:
    item = _in_state(people, "submitted" if action == "return" else "published")
    actor = people.instructor_a
    call = services.TRANSITIONS[action]
    code = "comment_too_long" if comment.strip() else "comment_required"
    _refused(lambda: call(disclosure=item, actor=actor, comment=comment), item, code=code, match=what)


def test_a_stale_object_cannot_move_twice(people) -> None:
    item = submitted(people.worker_a, people.org_a)
    stale = Disclosure.objects.get(pk=item.pk)
    services.disclosure_approve(disclosure=item, actor=people.instructor_a)
    with pytest.raises(TransitionError, match="已发布"):
        services.disclosure_return(disclosure=stale, actor=people.instructor_a, comment="退回")
    assert reload(item).status == "published"


# ---------------------------------------------------------------- notifications


def _inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_submission_notifies_the_instructors_of_exactly_that_station(
    people, django_capture_on_commit_callbacks
) -> None:
    item = write_draft(people.worker_a, people.org_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_submit(disclosure=item, actor=people.worker_a)
    assert _inbox(people.instructor_a) == [f"党务公开待审核：{item.title}"]
    assert _inbox(people.instructor_b) == [] and _inbox(people.instructor_hq) == []
    note = Notification.objects.get(recipient=people.instructor_a)
    assert note.url == item.get_manage_url() and note.station_id == people.a.pk


def test_review_notifies_the_author(people, django_capture_on_commit_callbacks) -> None:
    item = submitted(people.worker_a, people.org_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_return(disclosure=item, actor=people.instructor_a, comment="请补充支出明细")
    note = Notification.objects.get(recipient=people.worker_a)
    assert note.title.startswith("党务公开被退回修改") and note.body == "请补充支出明细"
    services.disclosure_submit(disclosure=item, actor=people.worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_approve(disclosure=item, actor=people.instructor_a)
    assert Notification.objects.filter(
        recipient=people.worker_a, title__startswith="党务公开已审核发布"
    ).exists()
    assert Notification.objects.get(title__startswith="党务公开已审核发布").url == item.get_absolute_url()


def test_withdrawal_by_someone_else_notifies_the_author(people, django_capture_on_commit_callbacks) -> None:
    item = published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_withdraw(disclosure=item, actor=people.instructor_a, comment="名单有误")
    assert Notification.objects.get(recipient=people.worker_a).body == "名单有误"


def test_a_refused_move_notifies_nobody(people, django_capture_on_commit_callbacks) -> None:
    item = write_draft(people.worker_a, people.org_a)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError):
        services.disclosure_submit(disclosure=item, actor=people.worker_b)
    assert not Notification.objects.exists()


# ---------------------------------------------------------------- search


def test_approval_indexes_with_the_items_audience_and_withdrawal_removes_it(people) -> None:
    item = published(
        people.worker_a,
        people.org_a,
        reviewer=people.instructor_a,
        visibility="organization",
        title="发展党员公示",
    )
    document = SearchDocument.objects.get(target_id=item.pk, kind="党务公开")
    assert document.audience == "organization" and document.organization_id == people.org_a.pk
    assert document.station_id == people.a.pk and document.url == item.get_absolute_url()
    assert search("发展党员", viewer=ANONYMOUS).total == 0
    services.disclosure_withdraw(disclosure=item, actor=people.worker_a, comment="更正")
    assert not SearchDocument.objects.filter(kind="党务公开").exists()


def test_public_items_are_found_by_anyone(people) -> None:
    published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    results = search("党费收缴", viewer=ANONYMOUS, kinds=["党务公开"])
    assert results.total == 1


def test_draft_fields_helper_is_valid() -> None:
    assert set(draft_fields()) == {"category", "title", "body", "period_start", "period_end", "visibility"}
