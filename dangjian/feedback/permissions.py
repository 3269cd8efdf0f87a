"""Rules of the feedback capability (`feedback.<action>`), built from the role predicates of accounts.

- Anyone may submit feedback to any station, also without an account (`feedback.submit`).
- The station's staff — its admin, party-affairs workers and guides — handle it: enter paper submissions
  (投诉箱, 意见簿), assign, start, reply, decide a complaint's validity, close (`feedback.handle`). HQ, whose
  grants reach every branch, may too.
- The submitter (signed in) sees their own feedback and its contact details; so do the handlers
  (`feedback.view`, `feedback.view_contact`). A tracking-code holder is checked by the code, not here.
- Only the submitter rates, confirms or reopens (`feedback.follow_up`), once it was replied to or closed.

Objects: a `Station`, or a `Feedback` (anything with a `station_id`).
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.permissions import (
    is_any_guide,
    is_any_station_admin,
    is_any_worker,
    is_guide_of,
    is_station_admin_of,
    is_worker_of,
)


@rules.predicate
def is_submitter(user: Any, obj: Any) -> bool:
    submitter_id = getattr(obj, "submitter_id", None)
    return submitter_id is not None and submitter_id == getattr(user, "pk", object())


@rules.predicate
def anyone(user: Any, obj: Any = None) -> bool:
    return True


handles_feedback = is_station_admin_of | is_worker_of | is_guide_of

rules.add_perm("feedback.submit", anyone)  # obj: station
rules.add_perm("feedback.enter_management", is_any_station_admin | is_any_worker | is_any_guide)
rules.add_perm("feedback.handle", handles_feedback)  # obj: station or feedback
rules.add_perm("feedback.view", is_submitter | handles_feedback)
rules.add_perm("feedback.view_contact", is_submitter | handles_feedback)
rules.add_perm("feedback.follow_up", is_submitter)  # rate, confirm, reopen (signed in)
