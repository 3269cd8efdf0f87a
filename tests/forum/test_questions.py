"""问指导员: a question goes to the station's instructors, an instructor's reply is the answer and shows who
answered, the filters, and the instructors' work card."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.core.models import Notification
from dangjian.forum import selectors, services
from dangjian.forum.models import Topic
from tests.forum.builders import answer, ask, post

pytestmark = pytest.mark.django_db


def test_a_question_is_routed_to_the_stations_instructors(forum, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(forum.member, forum.board_a)
    told = set(
        Notification.objects.filter(title__startswith="问指导员").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"instructor_a"}
    assert Notification.objects.get(recipient=forum.instructor_a).url == reverse(
        "forum:topic", args=[question.pk]
    )


def test_a_platform_question_goes_to_hq_instructors(forum, django_capture_on_commit_callbacks) -> None:
    from dangjian.accounts.models import Role
    from tests import factories as f

    hq_instructor = f.UserFactory(username="hq_instructor")
    f.grant(hq_instructor, Role.INSTRUCTOR, forum.hq)
    with django_capture_on_commit_callbacks(execute=True):
        ask(forum.member, forum.platform)
    told = set(
        Notification.objects.filter(title__startswith="问指导员").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"hq_instructor"}


def test_the_instructors_reply_marks_the_question_answered(
    forum, client, django_capture_on_commit_callbacks
) -> None:
    question = ask(forum.member, forum.board_a)
    other = answer(forum.member2, question, body="我也想知道", as_answer=True)
    assert not other.by_instructor and Topic.objects.get(pk=question.pk).answered_at is None
    with django_capture_on_commit_callbacks(execute=True):
        reply = answer(forum.instructor_a, question, as_answer=True)
    question.refresh_from_db()
    assert (
        reply.by_instructor and question.answer_id == reply.pk and question.answered_by == forum.instructor_a
    )
    assert Notification.objects.filter(recipient=forum.member, title__contains="陈立群").exists()
    page = client.get(reverse("forum:topic", args=[question.pk])).content.decode()
    assert "指导员陈立群已于" in page and "采纳的答复" in page and "党建指导员" in page


def test_another_stations_instructor_does_not_answer_as_instructor(forum) -> None:
    question = ask(forum.member, forum.board_a)
    reply = answer(forum.instructor_b, question, as_answer=True)
    assert not reply.by_instructor
    assert Topic.objects.get(pk=question.pk).answered_at is None
    with pytest.raises(ValidationError):
        services.answer_mark(actor=forum.member, reply=reply)


def test_the_asker_marks_an_instructors_reply_as_the_answer(forum, client) -> None:
    question = ask(forum.member, forum.board_a)
    reply = answer(forum.instructor_a, question, as_answer=False)
    assert Topic.objects.get(pk=question.pk).answered_at is None
    with pytest.raises(PermissionDenied):
        services.answer_mark(actor=forum.member2, reply=reply)
    client.force_login(forum.member)
    assert "采纳为答复" in client.get(reverse("forum:topic", args=[question.pk])).content.decode()
    response = client.post(reverse("forum:mark_answer", args=[reply.pk]))
    assert response.status_code == 302
    assert Topic.objects.get(pk=question.pk).answer_id == reply.pk
    with pytest.raises(ValidationError) as refused:
        services.answer_mark(actor=forum.member, reply=reply)
    assert refused.value.code == "wrong_state"


def test_a_discussion_has_no_answer(forum) -> None:
    topic = post(forum.member, forum.board_a)
    reply = answer(forum.instructor_a, topic, as_answer=True)
    assert not reply.by_instructor
    with pytest.raises(ValidationError):
        services.answer_mark(actor=forum.instructor_a, reply=reply)


def test_the_board_filters_answered_and_unanswered(forum, client) -> None:
    answered = ask(forum.member, forum.board_a, title="党费基数每年什么时候调整？")
    answer(forum.instructor_a, answered, as_answer=True)
    ask(forum.member, forum.board_a, title="积极分子的培养联系人可以是其他单位的党员吗？")
    post(forum.member, forum.board_a, title="主题党日活动征集")
    url = reverse("forum:board", args=[forum.board_a.pk])
    open_page = client.get(url + "?answered=0").content.decode()
    assert "培养联系人" in open_page and "党费基数" not in open_page and "主题党日" not in open_page
    done_page = client.get(url + "?answered=1").content.decode()
    assert "党费基数" in done_page and "培养联系人" not in done_page
    questions = client.get(url + "?kind=question").content.decode()
    assert "党费基数" in questions and "培养联系人" in questions and "主题党日" not in questions


def test_the_instructors_card_counts_their_stations_open_questions(forum, client) -> None:
    answered = ask(forum.member, forum.board_a, title="已答复的问题")
    answer(forum.instructor_a, answered, as_answer=True)
    ask(forum.member, forum.board_a, title="待答复的问题")
    ask(forum.member_b, forum.board_b, title="金融大厦的问题")
    assert [t.title for t in selectors.unanswered_questions(user=forum.instructor_a)] == ["待答复的问题"]
    client.force_login(forum.instructor_a)
    page = client.get(reverse("portal:workpage")).content.decode()
    assert "待答复的问指导员" in page
    listing = client.get(reverse("forum:questions") + "?answered=0").content.decode()
    assert "待答复的问题" in listing and "金融大厦的问题" not in listing and "已答复的问题" not in listing
    client.force_login(forum.member)
    assert client.get(reverse("forum:questions")).status_code == 403
