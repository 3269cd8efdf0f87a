"""Access-matrix rows of activities: the pages' rows (`PAGE_ROWS`) and the API's (`API_ROWS`,
tests/activities/api_rows.py), on objects of branch A that `prepare` makes.

The objects are the API rows' (a published activity for A's organisation's members that the matrix member
has not registered for; a full one whose seat is offered to the member, with the member's pending leave
request; one held three days ago with its record; the organisation's secretary), plus a draft. The list
is public; an activity for the organisation's members is seen by them and by the admins who manage it
(another station's people meet it as missing; visitors are sent to sign in); the member's registration
is the member's. The management pages answer 403 to people without a role, 404 to another station's
staff on A's objects; leave is decided by the organisation's secretary only, themes and the plan are
kept by its secretary and officers only."""

from __future__ import annotations

from typing import Any

from tests.access import PUBLIC, Row, everyone, statuses
from tests.activities.api_rows import API_ROWS, prepare_api

SIGNED_IN_ONLY_METHOD = statuses(302, 405, 405, 405, 405, 405)
LOGGED_IN = statuses(302, 200, 200, 200, 200, 200)
# A's activity for its organisation's members: the member, and A's and HQ's admins who manage it.
MEMBER_OR_MANAGER = statuses(302, 404, 200, 404, 200, 200)
MEMBER_OR_MANAGER_MOVE = statuses(302, 404, 302, 404, 302, 302)
# The admins are not in the audience: asking leave is refused on the page again (200).
MEMBER_LEAVE = statuses(302, 404, 302, 404, 200, 200)
MEMBERS_OWN = statuses(302, 404, 200, 404, 404, 404)
MEMBERS_OWN_MOVE = statuses(302, 404, 302, 404, 404, 404)
STAFF_LIST = statuses(302, 403, 403, 200, 200, 200)
STAFF_OBJECT = statuses(302, 403, 403, 404, 200, 200)
STAFF_MOVE = statuses(302, 403, 403, 404, 302, 302)
OFFICERS_ONLY = statuses(302, 403, 403, 404, 404, 404)  # the secretary or officers of A's organisation


def prepare(world: Any) -> None:
    prepare_api(world)  # keep: the API rows point at the objects it makes
    from datetime import timedelta

    from django.utils import timezone

    from tests.activities.builders import new_activity

    world.activity_draft = new_activity(
        world.own_admin, [world.org_a], publish=False, title="七一主题党日（草稿）", capacity=20
    )
    # under way now: check-in is open (the member, of the organiser, is expected)
    world.activity_ongoing = new_activity(
        world.own_admin,
        [world.org_a],
        title="党小组集中学习",
        activity_type="group_meeting",
        starts_at=timezone.now() - timedelta(minutes=30),
    )


def _pk(attr: str) -> Any:
    return lambda w: {"pk": getattr(w, attr).pk}


def _get(get: dict[str, int], kwargs: Any = lambda w: {}) -> Row:
    return Row(get=get, post=SIGNED_IN_ONLY_METHOD, kwargs=kwargs)


def _post(post: dict[str, int], kwargs: Any = lambda w: {}, body: Any = lambda w: {}) -> Row:
    return Row(get=SIGNED_IN_ONLY_METHOD, post=post, kwargs=kwargs, post_data=body)


ACTIVITY = _pk("api_activity")
FULL = _pk("api_full")
OFFER = _pk("api_offer")
ORG = _pk("org_a")

PAGE_ROWS: dict[str, Row] = {
    # public and personal
    "activities:list": Row(get=PUBLIC, post=everyone(405)),
    "activities:detail": Row(get=MEMBER_OR_MANAGER, post=everyone(405), kwargs=ACTIVITY),
    # the member registers; the admins manage it but are not in its audience: told so, sent back
    "activities:register": _post(MEMBER_OR_MANAGER_MOVE, ACTIVITY),
    "activities:leave": _post(MEMBER_LEAVE, ACTIVITY, lambda w: {"reason": "参加区委组织部培训"}),
    "activities:my": _get(LOGGED_IN),
    "activities:invitations": _get(LOGGED_IN),
    # the member invited in person answers
    "activities:invitation_answer": _post(MEMBERS_OWN_MOVE, _pk("api_invitation")),
    "activities:registration": _get(MEMBERS_OWN, OFFER),
    "activities:offer_accept": _post(MEMBERS_OWN_MOVE, OFFER),
    "activities:offer_decline": _post(MEMBERS_OWN_MOVE, OFFER),
    "activities:registration_cancel": _post(MEMBERS_OWN_MOVE, OFFER),
    # staff: activities
    "activities:manage_list": _get(STAFF_LIST),
    "activities:create": Row(get=STAFF_LIST, post=STAFF_LIST),  # empty: the form again, with errors
    "activities:manage_detail": _get(STAFF_OBJECT, ACTIVITY),
    "activities:edit": Row(get=STAFF_OBJECT, post=STAFF_OBJECT, kwargs=ACTIVITY),
    "activities:publish": _post(STAFF_MOVE, _pk("activity_draft")),
    "activities:cancel": _post(STAFF_OBJECT, ACTIVITY),  # no reason: the page again, with the error
    "activities:registrations": _get(STAFF_OBJECT, FULL),
    "activities:staff_registration_cancel": _post(STAFF_MOVE, OFFER),
    "activities:record": Row(get=STAFF_OBJECT, post=STAFF_OBJECT, kwargs=_pk("api_past")),
    "activities:activity_invitations": Row(
        get=STAFF_OBJECT, post=STAFF_OBJECT, kwargs=ACTIVITY
    ),  # empty: errors
    # staff: check-in (a name searched) and the sign-in sheet, on the activity under way
    "activities:checkin_list": _get(STAFF_LIST),
    "activities:checkin": Row(get=STAFF_OBJECT, post=STAFF_OBJECT, kwargs=_pk("activity_ongoing")),
    "activities:signin_sheet": Row(get=STAFF_OBJECT, post=STAFF_OBJECT, kwargs=_pk("activity_ongoing")),
    # camera check-in: the guide's scan page and the door code; the attendee's own scan page (no code
    # posted: the page again, with the error)
    "activities:scan": _get(STAFF_OBJECT, _pk("activity_ongoing")),
    "activities:door_code": _get(STAFF_OBJECT, _pk("activity_ongoing")),
    "activities:self_scan": Row(
        get=MEMBER_OR_MANAGER, post=MEMBER_OR_MANAGER, kwargs=_pk("activity_ongoing")
    ),
    # staff: leave, themes and plans (the organisation's secretary / officers), compliance
    "activities:leave_requests": _get(STAFF_LIST),
    "activities:leave_decide": _post(OFFICERS_ONLY, _pk("api_leave")),
    "activities:life": _get(STAFF_LIST),
    "activities:life_org": _get(OFFICERS_ONLY, ORG),
    "activities:theme_set": _post(OFFICERS_ONLY, ORG),
    "activities:plan_submit": _post(OFFICERS_ONLY, ORG),
    "activities:compliance": _get(STAFF_LIST),
    "activities:compliance_org": _get(STAFF_OBJECT, ORG),
    # the records (台账) of the organisation's year: the printable page and the Excel download
    "activities:records_print": _get(STAFF_OBJECT, ORG),
    "activities:records_export": _get(STAFF_OBJECT, ORG),
}


ROWS = {**PAGE_ROWS, **API_ROWS}


# ---------------------------------------------------------------- joint meetings (联席会议, §7.4)
# Appended: `prepare` also makes the joint meetings' objects (api_rows.prepare_joint). The list is for the
# people who enter management; convening, changing, recording and cancelling for the supervising unit
# (of the matrix roles only the HQ station's admin; others 403); a meeting is missing (404) to staff who
# neither convene nor represent an invited organisation; a decision is its owner's (the member) to follow up.
_prepare_before_joint = prepare


def prepare(world: Any) -> None:
    from tests.activities.api_rows import prepare_joint

    _prepare_before_joint(world)
    prepare_joint(world)


CONVENER_PAGE = statuses(302, 403, 403, 403, 403, 200)
JOINT_MEETING = statuses(302, 403, 403, 404, 404, 200)
DECISION_OWNER = statuses(302, 404, 200, 404, 404, 200)
HELD_MEETING = _pk("joint_held")
PLANNED_MEETING = _pk("joint_planned")
JOINT_DECISION = _pk("joint_decision")

ROWS.update(
    {
        "activities:joint_list": _get(STAFF_LIST),
        "activities:joint_create": Row(get=CONVENER_PAGE, post=CONVENER_PAGE),  # empty: the form again
        "activities:joint_meeting": _get(JOINT_MEETING, HELD_MEETING),
        "activities:joint_edit": Row(get=CONVENER_PAGE, post=CONVENER_PAGE, kwargs=PLANNED_MEETING),
        "activities:joint_record": Row(get=CONVENER_PAGE, post=CONVENER_PAGE, kwargs=HELD_MEETING),
        "activities:joint_cancel": _post(
            CONVENER_PAGE, PLANNED_MEETING
        ),  # no reason: the page, with the error
        "activities:joint_decision_add": _post(CONVENER_PAGE, HELD_MEETING),  # empty: the page, with errors
        "activities:joint_decisions": _get(LOGGED_IN),
        "activities:joint_decision": Row(get=DECISION_OWNER, post=DECISION_OWNER, kwargs=JOINT_DECISION),
        "activities:joint_decision_edit": Row(get=CONVENER_PAGE, post=CONVENER_PAGE, kwargs=JOINT_DECISION),
    }
)
