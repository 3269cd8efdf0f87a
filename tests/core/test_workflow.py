"""The one review workflow (core/workflow.py): item states and version states, and the actions a page
offers derived from them (DB3212/T 1124 §5.5: workers publish, instructors review)."""

import pytest

from dangjian.core.workflow import (
    ReviewAction,
    ReviewStatus,
    RevisionState,
    allowed_revision_actions,
)

A = ReviewAction


@pytest.mark.parametrize(
    ("revision", "status", "expected"),
    [
        (RevisionState.DRAFT, ReviewStatus.DRAFT, [A.SUBMIT]),
        (RevisionState.SUBMITTED, ReviewStatus.SUBMITTED, [A.APPROVE, A.RETURN]),
        (RevisionState.RETURNED, ReviewStatus.RETURNED, [A.SUBMIT]),
        # a published article with a new version in review keeps withdraw/archive as well
        (RevisionState.SUBMITTED, ReviewStatus.PUBLISHED, [A.APPROVE, A.RETURN, A.WITHDRAW, A.ARCHIVE]),
        (RevisionState.APPROVED, ReviewStatus.PUBLISHED, [A.WITHDRAW, A.ARCHIVE]),
        (RevisionState.DRAFT, ReviewStatus.PUBLISHED, [A.SUBMIT, A.WITHDRAW, A.ARCHIVE]),
        # a closed item moves no version any more
        (RevisionState.DRAFT, ReviewStatus.WITHDRAWN, [A.ARCHIVE]),
        (RevisionState.SUBMITTED, ReviewStatus.ARCHIVED, []),
        (None, ReviewStatus.PUBLISHED, [A.WITHDRAW, A.ARCHIVE]),
    ],
)
def test_actions_follow_from_the_item_and_version_states(revision, status, expected) -> None:
    assert allowed_revision_actions(revision, status) == expected
