"""Who may do what with activities and organisation life (DB3212/T 1124 §5.5, §6.3 活动邀约, §7.3).

- An activity is organised by the secretary or an officer of an organiser organisation (several for
  联学共建), or by the admins and party-affairs workers of its station (HQ grants reach every branch).
- Everyone in its audience may see a published activity and register: the organisers' members
  (organisation), the people of the station, the people of every station, or the public including the
  surrounding communities (§4.7). Drafts are seen by the organisers only.
- A registration is the person's own: only they accept or decline an offer; they or the organisers cancel.
- 请假: a member of an organiser asks; the secretary of that member's organisation decides.
- Themes and the annual plan are kept by the organisation's secretary or officers; compliance is seen by
  them and by the admins, workers and instructors of its station.

Role look-ups are the predicates of `dangjian.accounts.permissions` (the one visibility authority); the
audience checks below read only the person's own attributes (organisation, home station, kind).
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.models import PersonKind
from dangjian.accounts.permissions import (
    OFFICER_ROLES,
    is_any_guide,
    is_any_instructor,
    is_any_officer,
    is_any_station_admin,
    is_any_worker,
    is_authenticated,
    is_guide_of,
    is_hq_admin,
    is_instructor_of,
    is_officer_of,
    is_officer_of_organizer,
    is_platform_admin,
    is_secretary_of_organization,
    is_station_admin_of,
    is_worker_of,
    organization_ids_with_role,
)

HIDDEN_STATUSES = ("draft",)


def person_station_ids(user: Any) -> set[int]:
    """The stations a person belongs to: their home station and their organisation's station."""
    ids = {getattr(user, "home_station_id", None)}
    organization = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
    ids.add(getattr(organization, "station_id", None))
    return {i for i in ids if i is not None}


def audience_admits(user: Any, activity: Any) -> bool:
    """Is the person in the activity's audience (whatever its status)?"""
    audience = activity.audience
    if audience == "public":
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if audience == "all_stations":
        return getattr(user, "person_kind", "") != PersonKind.RESIDENT
    if audience == "station":
        return activity.station_id in person_station_ids(user)
    return getattr(user, "organization_id", None) in activity.organizer_ids


@rules.predicate
def is_published(user: Any, activity: Any) -> bool:
    return getattr(activity, "status", "draft") not in HIDDEN_STATUSES


@rules.predicate
def is_in_audience(user: Any, activity: Any) -> bool:
    return audience_admits(user, activity)


@rules.predicate
def is_member_of_organizer(user: Any, activity: Any) -> bool:
    """A person whose organisation (所在党组织) organises the activity: expected to attend (请假 otherwise)."""
    org_id = getattr(user, "organization_id", None)
    return (
        bool(getattr(user, "is_authenticated", False))
        and org_id is not None
        and org_id in activity.organizer_ids
    )


@rules.predicate
def is_own_registration(user: Any, registration: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and registration.person_id == user.pk


@rules.predicate
def manages_registration_activity(user: Any, registration: Any) -> bool:
    return bool(can_manage_activity(user, registration.activity))


@rules.predicate
def is_secretary_of_leave_organization(user: Any, leave: Any) -> bool:
    """The secretary of the organisation the person asked leave in (an organiser of the activity)."""
    return bool(is_secretary_of_organization(user, leave.organization))


can_organize_for = is_officer_of | is_station_admin_of | is_worker_of  # obj: an organisation
can_manage_activity = is_station_admin_of | is_worker_of | is_officer_of_organizer  # obj: an activity

rules.add_perm("activities.organize", can_organize_for)  # obj: an organiser organisation
rules.add_perm("activities.add_activity", is_station_admin_of | is_worker_of)  # obj: the station
rules.add_perm("activities.manage_activity", can_manage_activity)  # edit, publish, cancel, record
rules.add_perm("activities.view_activity", can_manage_activity | (is_published & is_in_audience))
rules.add_perm("activities.register", is_authenticated & is_published & is_in_audience)
rules.add_perm("activities.view_registrations", can_manage_activity | is_guide_of)  # obj: an activity
rules.add_perm("activities.respond_offer", is_own_registration)  # accept or decline an offered seat
rules.add_perm("activities.cancel_registration", is_own_registration | manages_registration_activity)
rules.add_perm("activities.view_registration", is_own_registration | manages_registration_activity)
rules.add_perm("activities.request_leave", is_member_of_organizer)  # obj: an activity
rules.add_perm("activities.decide_leave", is_secretary_of_leave_organization)  # obj: a leave request
rules.add_perm("activities.manage_life", is_officer_of)  # obj: an organisation — themes, annual plan
rules.add_perm(
    "activities.view_compliance", is_officer_of | is_station_admin_of | is_worker_of | is_instructor_of
)  # obj: an organisation


# ---------------------------------------------------------------- invitations, check-in, joint meetings


@rules.predicate
def answers_invitation(user: Any, invitation: Any) -> bool:
    """Who answers an invitation (活动邀约): the invited person; the secretary or an officer of the invited
    organisation, of the alliance's lead organisation, or of an organisation covering the invited unit;
    for a unit also the admins and workers of its station (who liaise with units without a party
    organisation)."""
    if not getattr(user, "is_authenticated", False):
        return False
    kind = invitation.kind
    if kind == "person":
        return invitation.person_id == user.pk
    if kind == "organization":
        return bool(is_officer_of(user, invitation.organization))
    if kind == "alliance":
        return bool(is_officer_of(user, invitation.alliance.lead_organization))
    unit = invitation.unit
    if is_station_admin_of(user, unit) or is_worker_of(user, unit):
        return True
    covering = set(unit.organizations.values_list("pk", flat=True))
    return bool(covering & organization_ids_with_role(user, *OFFICER_ROLES))


@rules.predicate
def is_registered_or_expected(user: Any, activity: Any) -> bool:
    """Registered for the activity (a seat), or a member of an organiser (expected to attend)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_member_of_organizer(user, activity):
        return True
    return activity.registrations.filter(person_id=user.pk, status="registered").exists()


@rules.predicate
def is_decision_owner(user: Any, decision: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and decision.owner_id == user.pk


@rules.predicate
def represents_invited_organization(user: Any, meeting: Any) -> bool:
    """The secretary or an officer of an organisation invited to the joint meeting."""
    invited = set(meeting.invitees.values_list("organization_id", flat=True))
    return bool(invited & organization_ids_with_role(user, *OFFICER_ROLES))


can_check_in_others = can_manage_activity | is_guide_of  # obj: an activity
can_convene = is_platform_admin | is_hq_admin  # the supervising unit (§7.4)

rules.add_perm("activities.invite", can_manage_activity)  # obj: an activity — send invitations, see answers
rules.add_perm("activities.answer_invitation", answers_invitation)  # obj: an invitation
rules.add_perm("activities.check_in_others", can_check_in_others)  # obj: an activity — scan QR, search name
rules.add_perm("activities.check_in_self", is_published & is_registered_or_expected)  # obj: an activity
rules.add_perm("activities.view_signin_sheet", can_check_in_others)  # obj: an activity — print, enter ticks
rules.add_perm("activities.convene_joint_meeting", can_convene)  # no object / a meeting
rules.add_perm(
    "activities.view_joint_meeting", can_convene | represents_invited_organization
)  # obj: a meeting
rules.add_perm("activities.follow_up_decision", can_convene | is_decision_owner)  # obj: a decision

# Who sees 活动管理 in the management menu (no object).
ENTER_MANAGEMENT = "activities.enter_management"
rules.add_perm(
    ENTER_MANAGEMENT, is_any_station_admin | is_any_worker | is_any_guide | is_any_instructor | is_any_officer
)
