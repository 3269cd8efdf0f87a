"""The review workflow shared by everything that is published after review (DB3212/T 1124 §5.5:
party-affairs workers publish, instructors review).

Modelled on Wagtail's workflow states rather than booleans: an item moves between named states
only along the transitions below; anything else raises `TransitionError` with a Chinese message.
Capabilities keep their own models and services; they ask this module whether a move is allowed
and which state it leads to, so every reviewed thing follows one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

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


class RevisionState(models.TextChoices):
    """States of one version of a reviewed item (an article's revision): a published item keeps its
    live version while a new one is drafted, submitted and approved (Wagtail's Page/Revision)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"
    SUPERSEDED = "superseded", "已被替代"


S = TypeVar("S", ReviewStatus, RevisionState)


@dataclass(frozen=True)
class Transition(Generic[S]):
    """One move of an item (ReviewStatus) or of one of its versions (RevisionState)."""

    action: ReviewAction
    sources: frozenset[S]
    target: S


def _by_action(*transitions: Transition[S]) -> dict[ReviewAction, Transition[S]]:
    return {t.action: t for t in transitions}


TRANSITIONS: dict[ReviewAction, Transition[ReviewStatus]] = _by_action(
    Transition(
        ReviewAction.SUBMIT, frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED}), ReviewStatus.SUBMITTED
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


# The review of a version: submitted from a draft or a returned version, then approved or returned.
REVISION_TRANSITIONS: dict[ReviewAction, Transition[RevisionState]] = _by_action(
    Transition(
        ReviewAction.SUBMIT, frozenset({RevisionState.DRAFT, RevisionState.RETURNED}), RevisionState.SUBMITTED
    ),
    Transition(ReviewAction.APPROVE, frozenset({RevisionState.SUBMITTED}), RevisionState.APPROVED),
    Transition(ReviewAction.RETURN, frozenset({RevisionState.SUBMITTED}), RevisionState.RETURNED),
)
EDITABLE_REVISION_STATES = REVISION_TRANSITIONS[ReviewAction.SUBMIT].sources
# An item in one of these states is closed: none of its versions moves any more.
CLOSED_STATUSES = (ReviewStatus.WITHDRAWN, ReviewStatus.ARCHIVED)


# The refusal codes each move can raise (wrong state; §5.5 separation of duties; a required comment):
# listed per operation in the API docs.
REFUSAL_CODES: dict[ReviewAction, tuple[str, ...]] = {
    ReviewAction.SUBMIT: ("wrong_state",),
    ReviewAction.APPROVE: ("wrong_state", "self_review"),
    ReviewAction.RETURN: ("wrong_state", "self_review", "comment_required", "comment_too_long"),
    ReviewAction.WITHDRAW: ("wrong_state", "comment_required", "comment_too_long"),
    ReviewAction.ARCHIVE: ("wrong_state",),
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


def allowed_revision_actions(revision_state: str | None, item_status: str) -> list[ReviewAction]:
    """What may happen to an item that has versions: the version's review (submit, approve, return)
    while the item is open, and the item's own moves (withdraw, archive)."""
    moves = []
    if revision_state is not None and item_status not in CLOSED_STATUSES:
        moves = [action for action, t in REVISION_TRANSITIONS.items() if revision_state in t.sources]
    return moves + [action for action in allowed_actions(item_status) if action not in REVISION_TRANSITIONS]


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
