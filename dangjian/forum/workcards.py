"""Cards of the forum on the work page (工作台): the instructor's unanswered 问指导员 questions of their
station; the party-affairs worker's (and station admin's) reports and held posts waiting."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from dangjian.core.workcards import register_card, remembered
from dangjian.forum.selectors import unanswered_questions, waiting_count


def unanswered_count(user: Any) -> int:
    return remembered(user, "forum.unanswered", lambda: unanswered_questions(user=user).count())  # type: ignore[no-any-return]


def waiting(user: Any) -> int:
    return remembered(user, "forum.waiting", lambda: waiting_count(user=user))  # type: ignore[no-any-return]


register_card(
    key="forum.questions",
    title="待答复的问指导员",
    icon="patch-question",
    url=lambda user: reverse("forum:questions") + "?answered=0",
    roles="forum.view_questions",
    count=unanswered_count,
    order=25,
    unit="条",
    hint="本站党员群众向指导员的提问",
)
register_card(
    key="forum.moderation",
    title="待处理的举报和待审帖子",
    icon="chat-square-dots",
    url=lambda user: reverse("forum:queue"),
    roles="forum.enter_moderation",
    count=waiting,
    order=35,
    unit="条",
    hint="互动交流版块的举报和含审核词的帖子",
)
