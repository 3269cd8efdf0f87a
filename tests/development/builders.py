"""Builders of the development tests: a branch with a roster, and candidates walked through the steps by
the services on dates relative to today's local (Asia/Shanghai) day, months apart, so no test depends on
the hour it runs at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import PersonKind, Role, User
from dangjian.demo.development_seed import PLAN  # one plausible schedule of the 25 steps
from dangjian.development import services
from dangjian.development.models import Candidate, PersonRole, ReportKind
from dangjian.development.rules import RULES_2014, add_months, add_working_days
from dangjian.development.selectors import facts_of, records_of, with_pipeline
from dangjian.development.timers import reports_due
from dangjian.members.models import Category
from tests import factories as f
from tests.members.builders import id_number, make_profile

_sequence = iter(range(100, 10_000))


@dataclass
class Branch:
    station: Any
    organization: Any
    secretary: User
    members: list[User]  # full members (the roster entitled to vote)
    probationary: list[User]


def make_branch(station: Any = None, *, full: int = 9, probationary: int = 2, name: str = "") -> Branch:
    if station is None:
        number = next(_sequence)
        station = f.StationFactory(code=f"st{number}", name=f"楼宇党建分站{number}")
    organization = f.PartyOrganizationFactory(station=station, **({"name": name} if name else {}))
    secretary = f.UserFactory(person_kind=PersonKind.MEMBER, organization=organization, home_station=station)
    f.grant(secretary, Role.ORG_SECRETARY, station, organization=organization)
    make_profile(organization, user=secretary)
    members = [make_profile(organization).user for _ in range(full)]
    probation = [
        make_profile(
            organization, category=Category.PROBATIONARY, full_member_on=None, admitted_on=date(2025, 7, 1)
        ).user
        for _ in range(probationary)
    ]
    return Branch(station, organization, secretary, [secretary, *members], probation)


def today() -> date:
    return timezone.localdate()


def applicant(applied_on: date, /, **fields: Any) -> services.Applicant:
    birth = fields.pop("birth_date", date(1996, 8, 18))
    number = fields.pop(
        "id_number", id_number(birth, next(_sequence), male=fields.get("gender", "male") == "male")
    )
    values: dict[str, Any] = {
        "name": "周子涵",
        "gender": "male",
        "birth_date": birth,
        "education": "bachelor",
        "phone": f"137{next(_sequence):08d}",
        "id_number": number,
        "applied_on": applied_on,
    }
    values.update(fields)
    return services.Applicant(**values)


def make_candidate(branch: Branch, applied_on: date | None = None, **fields: Any) -> Candidate:
    return services.candidate_create(
        actor=branch.secretary,
        organization=branch.organization,
        applicant=applicant(applied_on or today() - timedelta(days=5), **fields),
    )


START_MONTHS_AGO = 32  # the whole plan lies in the past


def plan_day(candidate: Candidate, step: str) -> date:
    months, days = PLAN[step]
    return add_months(candidate.applied_on, months) + timedelta(days=days)


def figures(branch: Branch, candidate: Candidate, step: str) -> dict[str, Any]:
    if step in ("branch_meeting", "full_meeting"):
        entitled = len(branch.members)
        return {"entitled": entitled, "present": entitled - 1, "votes_for": entitled - 2}
    if step == "training":
        return {"training_days": 3, "training_hours": 24}
    if step == "pre_review":
        start = plan_day(candidate, "committee_review") + timedelta(days=1)
        return {"notice_from": start, "notice_until": add_working_days(start, 5)}
    return {}


def prepare(branch: Branch, candidate: Candidate, step: str) -> None:
    """What a step needs before it: contact persons, evaluations and reports, introducers."""
    if step == "contacts":
        services.person_assign(
            actor=branch.secretary, candidate=candidate, user=branch.members[1], role=PersonRole.CONTACT
        )
    if step == "cultivation":
        day = plan_day(candidate, step)
        for item in reports_due(facts_of(_fresh(candidate)), day):
            services.report_file(
                actor=branch.members[1],
                candidate=candidate,
                kind=item.kind,
                filed_on=item.due,
                content="该同志政治立场坚定，工作积极主动，能按时参加党组织活动。",
            )
    if step == "introducers":
        for user in branch.members[2:4]:
            services.person_assign(
                actor=branch.secretary, candidate=candidate, user=user, role=PersonRole.INTRODUCER
            )


def _fresh(candidate: Candidate) -> Candidate:
    return with_pipeline(Candidate.all_objects.filter(pk=candidate.pk)).get()


def walk(branch: Branch, candidate: Candidate, until: str) -> Candidate:
    """Do every step up to and including `until` on its plan day, advancing the stages on the way."""
    done = {record.step for record in records_of(candidate)}
    for step in RULES_2014.steps[1:]:
        if step.key in done:
            continue
        current = _fresh(candidate)
        if step.stage > current.stage:
            services.stage_advance(actor=branch.secretary, candidate=current)
        prepare(branch, candidate, step.key)
        services.step_complete(
            actor=branch.secretary,
            candidate=_fresh(candidate),
            step=step.key,
            data=services.StepInput(
                done_on=plan_day(candidate, step.key), **figures(branch, candidate, step.key)
            ),
        )
        if step.key == until:
            break
    return _fresh(candidate)


def old_candidate(branch: Branch, months_ago: int = START_MONTHS_AGO, **fields: Any) -> Candidate:
    return make_candidate(branch, add_months(today(), -months_ago), **fields)


__all__ = ["Branch", "ReportKind", "make_branch", "make_candidate", "old_candidate", "walk"]
