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

from dangjian.accounts.permissions import (
    KEEPER_STATION_ROLES,
    keeps_any_organization,
    keeps_organization,
)

STATION_ROLES = KEEPER_STATION_ROLES


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


rules.add_perm("development.manage", keeps_any_organization)  # the candidates list, the create form
rules.add_perm("development.manage_for", keeps_organization)  # obj: organisation or candidate
rules.add_perm("development.view_candidate", keeps_organization)
rules.add_perm("development.file_report", keeps_organization | is_contact_person_of)
