"""The review workflow shared by everything that is published after review (DB3212/T 1124 §5.5:
party-affairs workers publish, instructors review).

Modelled on Wagtail's workflow states rather than booleans: an item moves between named states
only along the transitions below; anything else raises `TransitionError` with a Chinese message.
Capabilities keep their own models and services; they ask this module whether a move is allowed
and which state it leads to, so every reviewed thing follows one rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"
    ARCHIVED = "archived", "已归档"


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回修改"
    WITHDRAW = "withdraw", "撤回"
    ARCHIVE = "archive", "归档"


@dataclass(frozen=True)
class Transition:
    action: ReviewAction
    sources: frozenset[ReviewStatus]
    target: ReviewStatus


TRANSITIONS: dict[ReviewAction, Transition] = {
    t.action: t
    for t in (
        Transition(
            ReviewAction.SUBMIT,
            frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED}),
            ReviewStatus.SUBMITTED,
        ),
        Transition(ReviewAction.APPROVE, frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.PUBLISHED),
        Transition(ReviewAction.RETURN, frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.RETURNED),
        Transition(ReviewAction.WITHDRAW, frozenset({ReviewStatus.PUBLISHED}), ReviewStatus.WITHDRAWN),
        Transition(
            ReviewAction.ARCHIVE,
            frozenset({ReviewStatus.PUBLISHED, ReviewStatus.WITHDRAWN}),
            ReviewStatus.ARCHIVED,
        ),
    )
}


class TransitionError(ValidationError):
    """A workflow move that the item's state or the person's role does not allow."""


def next_status(current: str, action: ReviewAction) -> ReviewStatus:
    """The state `action` leads to from `current`, or TransitionError if the move is not allowed."""
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        label = ReviewStatus(current).label if current in ReviewStatus.values else current
        raise TransitionError(f"当前状态为“{label}”，不能{action.label}", code="wrong_state")
    return transition.target


def allowed_actions(current: str) -> list[ReviewAction]:
    return [action for action, t in TRANSITIONS.items() if current in t.sources]


def refuse_self_review(*, reviewer_id: int | None, author_ids: set[int | None]) -> None:
    """§5.5 separation of duties: nobody approves or returns what they wrote or submitted."""
    if reviewer_id in author_ids:
        raise TransitionError("不能审核自己撰写或提交的内容", code="self_review")


def require_comment(comment: str, *, what: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError(f"请填写{what}", code="comment_required")
    if len(comment) > 500:
        raise TransitionError(f"{what}不能超过 500 字", code="comment_too_long")
    return comment
