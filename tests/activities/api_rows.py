"""Access-matrix rows of the activities API (`/api/v1/activities/…`), merged into `ROWS` by
tests/activities/access_rows.py, whose `prepare` calls `prepare_api`.

The objects belong to branch A, organised by A's organisation (the matrix member's): a published
activity for the organisation's members (the member has not registered yet); a full activity of one seat
offered to the member, with the member's pending leave request; an activity held three days ago with its
record; an activity under way; an invitation of the member in person. Another station's admin meets all of them as missing (404); A's and HQ's station admins manage
them (but are not in the audience: registering or asking leave is refused, 403); the member registers,
answers their own offer and asks leave; only the secretary of the member's organisation decides leave.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from tests.access import API_PUBLIC_READ, Row, everyone, statuses

SIGNED_IN = statuses(401, 200, 200, 200, 200, 200)
# An object of A seen by A's organisation's member and managed by A's and HQ's admins.
MEMBER_OR_STAFF = statuses(401, 404, 200, 404, 200, 200)
STAFF = statuses(401, 404, 404, 404, 200, 200)
MEMBERS_OWN = statuses(401, 404, 200, 404, 404, 404)


def prepare_api(world: Any) -> None:
    from django.utils import timezone

    from dangjian.accounts.models import Role
    from dangjian.activities.models import Invitation, LeaveRequest, Registration, RegistrationStatus
    from dangjian.activities.services import record_file
    from tests import factories as f
    from tests.activities.builders import new_activity

    now = timezone.now()
    admin, org = world.own_admin, world.org_a
    world.api_secretary = f.UserFactory(username="matrix_activities_secretary", real_name="孙立新")
    f.grant(world.api_secretary, Role.ORG_SECRETARY, world.a, organization=org)
    world.api_activity = new_activity(
        admin, [org], title="学习贯彻党的二十届三中全会精神主题党日", capacity=30, location_text="党群综合馆"
    )
    world.api_full = new_activity(admin, [org], title="书记讲党课", activity_type="party_lecture", capacity=1)
    world.api_offer = Registration.objects.create(
        activity=world.api_full,
        person=world.member,
        station=world.a,
        status=RegistrationStatus.OFFERED,
        queued_at=now - timedelta(hours=3),
        offered_at=now - timedelta(hours=1),
        offer_expires_at=now + timedelta(hours=23),
    )
    world.api_leave = LeaveRequest.objects.create(
        activity=world.api_full, person=world.member, organization=org, station=world.a, reason="出差在外"
    )
    world.api_past = new_activity(
        admin, [org], title="支部委员会", activity_type="committee_meeting", starts_at=now - timedelta(days=3)
    )
    record_file(actor=admin, activity=world.api_past, summary="研究第三季度发展党员工作")
    world.api_invitation = Invitation.objects.create(
        activity=world.api_full, station=world.a, kind="person", person=world.member, sent_by=admin
    )
    world.api_now = new_activity(
        admin, [org], title="党小组会", activity_type="group_meeting", starts_at=now - timedelta(minutes=10)
    )


def _pk(attr: str, name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, attr).pk}


def _get(kwargs: Callable[[Any], dict[str, Any]], get: dict[str, int]) -> Row:
    return Row(get=get, post=everyone(405), kwargs=kwargs)


def _post(
    kwargs: Callable[[Any], dict[str, Any]],
    post: dict[str, int],
    body: Callable[[Any], dict[str, Any]] = lambda w: {},
) -> Row:
    return Row(get=everyone(405), post=post, kwargs=kwargs, post_data=body, json=True)


def leave_body(w: Any) -> dict[str, Any]:
    return {"reason": "参加区委组织部培训"}


def decision_body(w: Any) -> dict[str, Any]:
    return {"approve": True, "note": "同意，请会后补学"}


def check_in_body(w: Any) -> dict[str, Any]:
    return {"nonce": "matrix-scan-1", "person": w.member.pk}


def invite_body(w: Any) -> dict[str, Any]:
    return {"organizations": [w.org_b.pk], "note": "诚邀贵支部共同参加"}


def answer_body(w: Any) -> dict[str, Any]:
    return {"accept": True, "head_count": 1}


def record_body(w: Any) -> dict[str, Any]:
    return {"summary": "研究第三季度发展党员工作，确定两名入党积极分子"}


ACTIVITY = _pk("api_activity", "activity_id")
OFFER = _pk("api_offer", "registration_id")
LEAVE = _pk("api_leave", "leave_id")
PAST = _pk("api_past", "activity_id")

API_ROWS: dict[str, Row] = {
    "api:activity_list": API_PUBLIC_READ,
    # for the organisation's members: anonymous visitors and others meet it as missing
    "api:activity_detail": Row(
        get=statuses(404, 404, 200, 404, 200, 200), post=everyone(405), kwargs=ACTIVITY
    ),
    # the admins manage it but are not in its audience (403 from the service)
    "api:activity_register": _post(ACTIVITY, statuses(401, 404, 201, 404, 403, 403)),
    "api:activity_registrations": _get(ACTIVITY, STAFF),
    "api:my_activity_registrations": Row(get=SIGNED_IN, post=everyone(405)),
    "api:my_activity_offers": Row(get=SIGNED_IN, post=everyone(405)),
    "api:activity_registration_detail": _get(OFFER, MEMBER_OR_STAFF),
    "api:activity_registration_cancel": _post(OFFER, MEMBER_OR_STAFF),
    "api:activity_offer_accept": _post(OFFER, MEMBERS_OWN),
    "api:activity_offer_decline": _post(OFFER, MEMBERS_OWN),
    "api:activity_leave_request": _post(ACTIVITY, statuses(401, 404, 201, 404, 403, 403), leave_body),
    "api:my_leave_requests": Row(get=SIGNED_IN, post=everyone(405)),
    "api:pending_leave_requests": Row(get=SIGNED_IN, post=everyone(405)),
    "api:leave_request_detail": _get(LEAVE, MEMBERS_OWN),
    # only the secretary of the member's organisation decides (no matrix role is)
    "api:leave_request_decide": _post(LEAVE, statuses(401, 404, 404, 404, 404, 404), decision_body),
    # GET the record, POST files or corrects it
    "api:activity_record": Row(get=STAFF, post=STAFF, kwargs=PAST, post_data=record_body, json=True),
    "api:activity_registration_qr": _get(OFFER, MEMBERS_OWN),
    # under way: A's and HQ's admins check the member in by name (the member is of the organiser)
    "api:activity_check_in": _post(_pk("api_now", "activity_id"), STAFF, check_in_body),
    # GET the invitations and their answers, POST sends more (the organisers)
    "api:activity_invitations": Row(
        get=STAFF,
        post=statuses(401, 404, 404, 404, 201, 201),
        kwargs=ACTIVITY,
        post_data=invite_body,
        json=True,
    ),
    "api:my_activity_invitations": Row(get=SIGNED_IN, post=everyone(405)),
    # the member is invited in person: they answer; the organisers see it
    "api:activity_invitation_detail": _get(_pk("api_invitation", "invitation_id"), MEMBER_OR_STAFF),
    "api:activity_invitation_answer": _post(_pk("api_invitation", "invitation_id"), MEMBERS_OWN, answer_body),
    "api:organization_compliance": _get(lambda w: {"organization_id": w.org_a.pk}, STAFF),
}


# ---------------------------------------------------------------- joint meetings (联席会议, §7.4)
# Convened by the supervising unit: of the matrix roles only the HQ station's admin. A meeting held ten days
# ago inviting A's and B's organisations (A's officer represented A), one planned inviting A's, and a
# decision of the held one owned by the matrix member (of A's organisation), who follows it up. The other
# roles neither convene nor represent an invited organisation: the meetings are missing to them (404).

CONVENER = statuses(401, 404, 404, 404, 404, 200)
OWNER_OR_CONVENER = statuses(401, 404, 200, 404, 404, 200)


def prepare_joint(world: Any) -> None:
    from datetime import date

    from django.utils import timezone

    from dangjian.activities.joint import joint_decision_save, joint_meeting_record, joint_meeting_save
    from dangjian.activities.models import JointDecision, JointMeeting

    now, convener = timezone.now(), world.hq_admin
    world.joint_held = joint_meeting_save(
        actor=convener,
        meeting=JointMeeting(title="楼宇党建联席会议", starts_at=now - timedelta(days=10), location="总站"),
        organizations=[world.org_a, world.org_b],
    )
    joint_meeting_record(
        actor=convener,
        meeting=world.joint_held,
        minutes="<p>通报上半年工作</p>",
        attended={world.org_a.pk: world.officer_a},
    )
    world.joint_planned = joint_meeting_save(
        actor=convener,
        meeting=JointMeeting(title="下半年联席会议", starts_at=now + timedelta(days=20)),
        organizations=[world.org_a],
    )
    world.joint_decision = joint_decision_save(
        actor=convener,
        meeting=world.joint_held,
        decision=JointDecision(content="建立共享场地清单", owner=world.member, due_on=date(2099, 12, 31)),
    )


def joint_meeting_body(w: Any) -> dict[str, Any]:
    return {"title": "专题联席会议", "starts_at": "2099-05-10T14:30:00", "organizations": [w.org_a.pk]}


def joint_record_body(w: Any) -> dict[str, Any]:
    return {
        "minutes": "研究共建项目",
        "attended": [{"organization": w.org_a.pk, "representative": w.officer_a.pk}],
    }


def joint_decision_body(w: Any) -> dict[str, Any]:
    return {"content": "编制共建项目清单", "owner": w.member.pk, "due_on": "2099-06-30"}


HELD = _pk("joint_held", "meeting_id")
JOINT_DECISION = _pk("joint_decision", "decision_id")

API_ROWS.update(
    {
        # the list shows what each may see; only the convener creates (the service refuses others: 403)
        "api:joint_meetings": Row(
            get=SIGNED_IN,
            post=statuses(401, 403, 403, 403, 403, 201),
            post_data=joint_meeting_body,
            json=True,
        ),
        "api:joint_meeting": _get(HELD, CONVENER),
        "api:joint_meeting_record": _post(HELD, CONVENER, joint_record_body),
        "api:joint_meeting_cancel": _post(
            _pk("joint_planned", "meeting_id"), CONVENER, lambda w: {"reason": "与区委会议冲突，改期"}
        ),
        "api:joint_meeting_decisions": _post(
            HELD, statuses(401, 404, 404, 404, 404, 201), joint_decision_body
        ),
        # the year's §7.4 status: people who enter management
        "api:joint_year": _get(lambda w: {"year": 2026}, statuses(401, 403, 403, 200, 200, 200)),
        "api:joint_decisions": Row(get=SIGNED_IN, post=everyone(405)),
        "api:joint_decision": _get(JOINT_DECISION, OWNER_OR_CONVENER),
        "api:joint_decision_follow_up": _post(
            JOINT_DECISION, OWNER_OR_CONVENER, lambda w: {"status": "in_progress", "note": "已收集 5 家"}
        ),
    }
)
