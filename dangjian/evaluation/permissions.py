"""Rules of the evaluation capability (`evaluation.<action>`), built from the role predicates of accounts.

- Service items of a station are kept by its station admin; deliveries are recorded by its workers and
  guides too (they open the venue, give the lecture) — HQ's grants reach every branch.
- Indicators of a station are read by its staff (admin, instructor, worker, guide); HQ compares stations.
- Questionnaires (投票问卷) are opened by a station admin; the people of the station vote.
- A rectification is created and kept by the station admin; its owner reports progress and submits it
  for verification; its verifier (another person) closes it or sends it back.
- A satisfaction invitation is answered by its person only.

Objects: a `Station`, or anything with a `station_id`.
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.permissions import (
    belongs_to_station,
    is_any_guide,
    is_any_instructor,
    is_any_station_admin,
    is_any_worker,
    is_authenticated,
    is_guide_of,
    is_hq_admin,
    is_instructor_of,
    is_station_admin_of,
    is_worker_of,
)


@rules.predicate
def is_invited_person(user: Any, obj: Any) -> bool:
    return getattr(obj, "person_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_owner(user: Any, obj: Any) -> bool:
    return getattr(obj, "owner_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_verifier(user: Any, obj: Any) -> bool:
    return getattr(obj, "verifier_id", None) == getattr(user, "pk", object())


def organization_station_id(user: Any) -> int | None:
    """The station of the person's party organisation (a member belongs to it without a home station)."""
    organization = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
    return getattr(organization, "station_id", None)


@rules.predicate
def in_station_organization(user: Any, obj: Any) -> bool:
    station_id = getattr(obj, "station_id", None)
    return station_id is not None and organization_station_id(user) == station_id


is_station_person = belongs_to_station | in_station_organization
is_station_staff = is_station_admin_of | is_instructor_of | is_worker_of | is_guide_of
delivers_services = is_station_admin_of | is_worker_of | is_guide_of
is_any_staff = is_any_station_admin | is_any_instructor | is_any_worker | is_any_guide

rules.add_perm("evaluation.enter", is_any_staff)
rules.add_perm("evaluation.manage_items", is_station_admin_of)  # obj: station or item
rules.add_perm("evaluation.record_delivery", delivers_services)  # obj: occurrence
rules.add_perm("evaluation.view_items", is_station_staff)  # obj: station or item
rules.add_perm("evaluation.view_indicators", is_station_staff)  # obj: station
rules.add_perm("evaluation.compare_stations", is_hq_admin)
rules.add_perm("evaluation.answer_survey", is_invited_person)  # obj: invitation
rules.add_perm("evaluation.open_questionnaire", is_station_admin_of)  # obj: station
rules.add_perm("evaluation.vote", is_authenticated & is_station_person)  # obj: questionnaire
rules.add_perm("evaluation.view_questionnaire", is_station_person | is_station_admin_of)
rules.add_perm("evaluation.manage_rectification", is_station_admin_of)  # obj: station or measure
rules.add_perm("evaluation.view_rectification", is_station_staff | is_owner | is_verifier)
rules.add_perm("evaluation.report_progress", is_owner | is_station_admin_of)  # obj: measure
rules.add_perm("evaluation.verify", is_verifier)  # obj: measure
