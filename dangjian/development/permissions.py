"""Rules of the development capability (`development.<action>`), built from the role predicates of accounts.

A candidate's file is personal data kept like a member record (`dangjian.members.permissions`): the
secretary and officers of the candidate's organisation, the station admins and party-affairs workers of
its station, and HQ/platform admins (whose grants reach every station). The applicant sees their own
progress; a contact person (培养联系人) files the evaluations of the candidates assigned to them.

Objects are a `Candidate` or, for "for an organisation", a `PartyOrganization`.
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    OFFICER_ROLES,
    holds_role_anywhere,
    is_officer_of,
    is_station_admin_of,
    is_worker_of,
)

STATION_ROLES = (Role.STATION_ADMIN, Role.WORKER)


def organization_of(obj: Any) -> Any:
    """The organisation of a candidate, or the organisation itself."""
    return obj.organization if hasattr(obj, "id_number_hash") else obj


@rules.predicate
def is_officer_of_its_organization(user: Any, obj: Any) -> bool:
    return bool(is_officer_of(user, organization_of(obj)))


@rules.predicate
def is_any_development_keeper(user: Any) -> bool:
    return holds_role_anywhere(user, *STATION_ROLES, *OFFICER_ROLES)


@rules.predicate
def is_the_applicant(user: Any, candidate: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(candidate, "user_id", None) == user.pk


@rules.predicate
def is_contact_person_of(user: Any, candidate: Any) -> bool:
    """A contact person assigned to the candidate (read once per candidate object)."""
    if not getattr(user, "is_authenticated", False) or not hasattr(candidate, "id_number_hash"):
        return False
    from dangjian.development.models import CandidatePerson, PersonRole

    return CandidatePerson.all_objects.filter(
        candidate_id=candidate.pk, user_id=user.pk, role=PersonRole.CONTACT
    ).exists()


can_keep = is_station_admin_of | is_worker_of | is_officer_of_its_organization

rules.add_perm("development.manage", is_any_development_keeper)  # the candidates list, the create form
rules.add_perm("development.manage_for", can_keep)  # obj: organisation or candidate
rules.add_perm("development.view_candidate", can_keep)
rules.add_perm("development.file_report", can_keep | is_contact_person_of)
