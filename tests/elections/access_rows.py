"""Access-matrix rows of committee elections (换届选举). The objects belong to branch A (world.a): four
organisations of A, each with two full members and a term ending soon, whose elections stand at each
step — a request waiting for the superior (`el_requested`), one approved with its candidates
(`el_approved`), one voted (`el_voted`), one whose result is reported (`el_reported`) — and a fifth with
no election (`el_free_org`) for the request form. Every page of an election is a 404 outside A and HQ."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    MANAGE_OBJECT_GET,
    Row,
    everyone,
    statuses,
)

GET_ONLY = statuses(302, 405, 405, 405, 405, 405)
API_READ = statuses(401, 200, 200, 200, 200, 200)
API_OBJECT = statuses(401, 404, 404, 404, 200, 200)
API_CREATE = statuses(401, 404, 404, 404, 201, 201)
ORGANIZATIONS = (
    ("el_org_requested", "泰州华信软件科技有限公司党支部"),
    ("el_org_approved", "江苏凤城律师事务所党支部"),
    ("el_org_voted", "泰州海陵万达广场商业管理有限公司党支部"),
    ("el_org_reported", "泰州鼓楼物业服务有限公司党支部"),
    ("el_free_org", "泰州智汇人力资源有限公司党支部"),
)


def _today() -> date:
    return timezone.localdate()


def prepare(world: Any) -> None:
    from dangjian.elections import services
    from dangjian.elections.models import ElectionCandidate
    from dangjian.organizations.models import CommitteePosition
    from tests import factories as f
    from tests.members.builders import make_profile

    admin, today = world.own_admin, _today()
    for attr, name in ORGANIZATIONS:
        organization = f.PartyOrganizationFactory(
            station=world.a,
            name=name,
            term_start=today - timedelta(days=1000),
            term_end=today + timedelta(days=20),
        )
        setattr(world, attr, organization)
        setattr(world, f"{attr}_members", [make_profile(organization).user for _ in range(2)])

    def request(attr: str) -> Any:
        return services.election_request(
            actor=admin,
            organization=getattr(world, attr),
            data=services.RequestInput(
                seats=1, positions=(CommitteePosition.SECRETARY,), planned_on=today + timedelta(days=10)
            ),
        )

    def approved(attr: str) -> Any:
        election = request(attr)
        services.election_decide(actor=admin, election=election, approve=True)
        services.candidates_set(actor=admin, election=election, users=getattr(world, f"{attr}_members"))
        return election

    def voted(attr: str) -> Any:
        election = approved(attr)
        first, second = ElectionCandidate.objects.filter(election=election).order_by("id")
        services.meeting_record(
            actor=admin,
            election=election,
            data=services.MeetingInput(today, 2, 2, 2, {first.pk: 2, second.pk: 0}),
        )
        return election

    world.el_requested = request("el_org_requested")
    world.el_approved = approved("el_org_approved")
    world.el_voted = voted("el_org_voted")
    world.el_reported = voted("el_org_reported")
    winner = ElectionCandidate.objects.get(election=world.el_reported, elected=True)
    services.result_report(
        actor=admin, election=world.el_reported, positions={winner.pk: CommitteePosition.SECRETARY}
    )


def candidate_ids(election: Any) -> list[int]:
    from dangjian.elections.models import ElectionCandidate

    return list(
        ElectionCandidate.objects.filter(election=election).order_by("id").values_list("pk", flat=True)
    )


def request_body(w: Any) -> dict[str, Any]:
    return {
        "organization": w.el_free_org.pk,
        "seats": 1,
        "positions": ["secretary"],
        "planned_on": (_today() + timedelta(days=12)).isoformat(),
        "reason": "本届任期即将届满，申请换届",
    }


def meeting_body(w: Any) -> dict[str, Any]:
    first, second = candidate_ids(w.el_approved)
    return {
        "meeting_on": _today().isoformat(),
        "present": 2,
        "ballots_issued": 2,
        "ballots_returned": 2,
        f"votes_{first}": 2,
        f"votes_{second}": 0,
    }


def api_meeting_body(w: Any) -> dict[str, Any]:
    first, second = candidate_ids(w.el_approved)
    return {
        "meeting_on": _today().isoformat(),
        "present": 2,
        "ballots_issued": 2,
        "ballots_returned": 2,
        "votes": [{"candidate": first, "votes": 2}, {"candidate": second, "votes": 0}],
    }


def result_body(w: Any) -> dict[str, Any]:
    return {f"position_{candidate_ids(w.el_voted)[0]}": "secretary"}


def api_result_body(w: Any) -> dict[str, Any]:
    return {"positions": [{"candidate": candidate_ids(w.el_voted)[0], "position": "secretary"}]}


def candidates_body(w: Any) -> dict[str, Any]:
    return {"candidates": [user.pk for user in w.el_org_approved_members]}


def approve_body(w: Any) -> dict[str, Any]:
    return {"decision": "approve", "note": "同意"}


def api_approve_body(w: Any) -> dict[str, Any]:
    return {"approve": True, "note": "同意"}


def _pk(attr: str, name: str = "pk") -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, attr).pk}


def _api(attr: str) -> Callable[[Any], dict[str, Any]]:
    return _pk(attr, "election_id")


ROWS: dict[str, Row] = {
    "elections:list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "elections:overdue": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "elections:create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "elections:detail": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("el_requested")),
    "elections:decide": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("el_requested")),
    "elections:candidates": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("el_approved")),
    "elections:meeting": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("el_approved")),
    "elections:result": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("el_voted")),
    "elections:result_decide": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("el_reported")),
    "elections:terms": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("org_a")),
    "api:elections_list": Row(get=API_READ, post=API_CREATE, post_data=request_body, json=True),
    "api:elections_request": Row(get=API_READ, post=API_CREATE, post_data=request_body, json=True),
    "api:elections_detail": Row(get=API_OBJECT, post=everyone(405), kwargs=_api("el_requested")),
    "api:elections_decide": Row(
        get=everyone(405), post=API_OBJECT, kwargs=_api("el_requested"), post_data=api_approve_body, json=True
    ),
    "api:elections_candidates": Row(
        get=everyone(405), post=API_OBJECT, kwargs=_api("el_approved"), post_data=candidates_body, json=True
    ),
    "api:elections_meeting": Row(
        get=everyone(405), post=API_OBJECT, kwargs=_api("el_approved"), post_data=api_meeting_body, json=True
    ),
    "api:elections_result": Row(
        get=everyone(405), post=API_OBJECT, kwargs=_api("el_voted"), post_data=api_result_body, json=True
    ),
    "api:elections_result_decide": Row(
        get=everyone(405), post=API_OBJECT, kwargs=_api("el_reported"), post_data=api_approve_body, json=True
    ),
}
