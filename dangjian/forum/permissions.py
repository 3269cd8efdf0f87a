"""Rules of the forum capability (`forum.<action>`), built from the role predicates of accounts.

- Reading: every active board and its published topics are public (anyone, signed in or not, reads the
  discussion of a building, §6.3); posting, replying, liking and reporting need an account.
- Moderation (hide, lock, pin, approve held posts, handle reports) belongs to the board's station: its
  party-affairs workers (any building of the station) and its station admin; HQ roles reach every branch
  and keep the platform-wide board (which has no station, so only HQ grants cover it).
- 问指导员: the station's instructors (HQ instructors for the platform board) answer questions and mark the
  answer; the asker may also mark an instructor's reply as the answer.

Objects: a `Board`, `Topic`, `Reply` or `Report`; each carries its board's `station_id`.
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.permissions import (
    is_any_instructor,
    is_any_station_admin,
    is_any_worker,
    is_authenticated,
    is_instructor_of,
    is_station_admin_of,
    is_worker_of,
)


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    return getattr(obj, "author_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_asker(user: Any, obj: Any) -> bool:
    """The author of the question a reply belongs to (or of the topic itself)."""
    topic = getattr(obj, "topic", None) if getattr(obj, "topic_id", None) else obj
    return getattr(topic, "author_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_open_board(user: Any, obj: Any) -> bool:
    board = getattr(obj, "board", obj)
    return bool(getattr(board, "is_active", False))


is_moderator = is_worker_of | is_station_admin_of

rules.add_perm("forum.view_board", is_open_board | is_moderator)
rules.add_perm("forum.post", is_authenticated & is_open_board)  # obj: board
rules.add_perm("forum.reply", is_authenticated & is_open_board)  # obj: topic (its lock is the service's)
rules.add_perm("forum.like", is_authenticated)  # obj: topic or reply
rules.add_perm("forum.report", is_authenticated)  # obj: topic or reply
rules.add_perm("forum.moderate", is_moderator)  # obj: board, topic, reply or report
rules.add_perm("forum.enter_moderation", is_any_worker | is_any_station_admin)
rules.add_perm("forum.answer", is_instructor_of)  # obj: a question; reply as the station's instructor
rules.add_perm("forum.mark_answer", is_instructor_of | is_asker | is_moderator)  # obj: reply
rules.add_perm("forum.view_questions", is_any_instructor)
