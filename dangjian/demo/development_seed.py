"""Demo member-development pipelines (发展党员): in the demo branches that have a secretary and enough full
members, applicants at every stage of the five — a fresh application, one whose talk is overdue, activists
with their contact person's evaluations (one half-year evaluation due), a development target in training,
one waiting for the superior committee's approval and one whose approval is overdue, a probationary
member, a new full member, a withdrawn application — and one premature step refused (the audit trail
shows the rule and the earliest day).

Written through the services, acted by each branch's secretary, so the step rules hold, the probationary
and full members' records exist in the roster and the audit trail reads like real work. Dates are months
before `today`; the same plan of step days as a real file (talk ten days after the application, the
activist two months later, the development target a year after that…).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core.validators import id_number_check_character
from dangjian.development import selectors, services
from dangjian.development.models import Candidate, PersonRole
from dangjian.development.rules import RULES_2014, add_months, add_working_days
from dangjian.development.timers import reports_due
from dangjian.members.models import ACTIVE_STATUSES, Category, MemberProfile
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit

# The day of each step, as (months, days) after the application.
PLAN: dict[str, tuple[int, int]] = {
    "talk": (0, 10),
    "activist": (2, 0),
    "activist_filed": (2, 5),
    "contacts": (2, 5),
    "cultivation": (14, 0),
    "target": (14, 0),
    "target_filed": (14, 3),
    "introducers": (14, 3),
    "political_review": (14, 10),
    "training": (14, 20),
    "committee_review": (15, 0),
    "pre_review": (16, 0),
    "application_form": (16, 3),
    "branch_meeting": (17, 0),
    "superior_talk": (17, 5),
    "approval": (18, 0),
    "approval_filed": (18, 5),
    "assigned": (18, 5),
    "oath": (18, 10),
    "probation_education": (28, 0),
    "full_request": (29, 0),
    "full_meeting": (29, 5),
    "full_approval": (30, 0),
    "archived": (30, 5),
}
EVALUATION_TEXT = (
    "该同志政治立场坚定，能主动学习党的创新理论，积极参加楼宇志愿服务和支部组织的活动，群众评价较好。"
)


@dataclass(frozen=True)
class DemoCandidate:
    name: str
    gender: str
    birth: date
    education: str
    months_ago: int  # the application, months before today
    until: str | None  # the last step done (None: only the application)
    close: str = ""  # "withdrawn" / "refused"


CANDIDATES = (
    DemoCandidate("周子涵", "male", date(1998, 3, 14), "bachelor", 0, None),
    DemoCandidate("陈思远", "male", date(1996, 11, 2), "postgraduate", 2, None),  # the talk is overdue
    DemoCandidate("吴佳琪", "female", date(1997, 6, 21), "bachelor", 7, "contacts"),
    DemoCandidate(
        "刘子轩", "male", date(1995, 9, 8), "associate", 12, "contacts"
    ),  # target refused: too early
    DemoCandidate("黄雨桐", "female", date(1994, 1, 30), "bachelor", 15, "political_review"),
    DemoCandidate("孙浩然", "male", date(1993, 5, 17), "bachelor", 19, "superior_talk"),
    DemoCandidate("朱梦瑶", "female", date(1996, 12, 5), "postgraduate", 21, "superior_talk"),  # overdue
    DemoCandidate("马俊杰", "male", date(1992, 8, 26), "bachelor", 26, "oath"),  # in probation
    DemoCandidate("林婉清", "female", date(1991, 4, 9), "bachelor", 32, "archived"),
    DemoCandidate("郭志强", "male", date(1990, 10, 12), "high_school", 4, "talk", close="withdrawn"),
)


@dataclass
class Branch:
    organization: PartyOrganization
    secretary: User
    members: list[User]  # full members other than the secretary
    units: list[ResidentUnit]


def create_development(today: date | None = None) -> int:
    """Candidates of the demo branches; returns how many were made (0 without a suitable branch)."""
    today = today or timezone.localdate()
    branches = _branches()
    made = 0
    for index, spec in enumerate(CANDIDATES):
        if not branches:
            break
        branch = branches[index % len(branches)]
        _create(branch, spec, today, sequence=index + 1)
        made += 1
    return made


def _branches() -> list[Branch]:
    """Branches with a secretary (who is a member) and at least four other full members."""
    with scopes_disabled():
        found = []
        for organization in PartyOrganization.objects.filter(is_active=True).order_by("id"):
            secretary = role_holders(Role.ORG_SECRETARY, organization_id=organization.pk).first()
            full = list(
                MemberProfile.objects.filter(
                    organization=organization, category=Category.FORMAL, status__in=ACTIVE_STATUSES
                )
                .exclude(user=secretary)
                .select_related("user")
                .order_by("id")
            )
            if secretary is not None and len(full) >= 4:
                units = list(
                    ResidentUnit.objects.filter(station_id=organization.station_id).order_by("id")[:5]
                )
                found.append(Branch(organization, secretary, [p.user for p in full], units))
        return found[:3]


def _id_number(birth: date, sequence: int, male: bool) -> str:
    code = sequence * 2 + (1 if male else 0)
    first17 = f"321202{birth:%Y%m%d}{(500 + code) % 1000:03d}"
    return first17 + id_number_check_character(first17)


def _create(branch: Branch, spec: DemoCandidate, today: date, *, sequence: int) -> Candidate:
    applied = add_months(today, -spec.months_ago) - timedelta(days=3 if spec.months_ago else 0)
    unit = branch.units[sequence % len(branch.units)] if branch.units else None
    candidate = services.candidate_create(
        actor=branch.secretary,
        organization=branch.organization,
        applicant=services.Applicant(
            name=spec.name,
            gender=spec.gender,
            birth_date=spec.birth,
            education=spec.education,
            phone=f"1395236{sequence:04d}",
            id_number=_id_number(spec.birth, sequence, spec.gender == "male"),
            applied_on=applied,
            job_title="职员",
            resident_unit_id=unit.pk if unit else None,
        ),
    )
    if spec.until:
        candidate = _walk(branch, candidate, spec.until)
    if spec.name == "刘子轩":
        _premature_target(branch, candidate, today)
    if spec.close:
        services.candidate_close(
            actor=branch.secretary, candidate=candidate, status=spec.close, note="本人因工作调动申请撤回"
        )
    return candidate


def _day(candidate: Candidate, step: str) -> date:
    months, days = PLAN[step]
    return add_months(candidate.applied_on, months) + timedelta(days=days)


def _fresh(candidate: Candidate) -> Candidate:
    return selectors.with_pipeline(Candidate.all_objects.filter(pk=candidate.pk)).get()


def _figures(branch: Branch, candidate: Candidate, step: str) -> dict[str, Any]:
    if step in ("branch_meeting", "full_meeting"):
        entitled = selectors.entitled_voters(branch.organization.pk)
        return {"entitled": entitled, "present": entitled, "votes_for": entitled}
    if step == "training":
        return {"training_days": 3, "training_hours": 24}
    if step == "pre_review":
        start = _day(candidate, "committee_review") + timedelta(days=1)
        return {"notice_from": start, "notice_until": add_working_days(start, 5)}
    return {}


def _before(branch: Branch, candidate: Candidate, step: str) -> None:
    """What a step needs: the contact person, the evaluations and reports due, the introducers."""
    if step == "contacts":
        services.person_assign(
            actor=branch.secretary, candidate=candidate, user=branch.members[0], role=PersonRole.CONTACT
        )
    elif step == "cultivation":
        for item in reports_due(selectors.facts_of(_fresh(candidate)), _day(candidate, step)):
            services.report_file(
                actor=branch.members[0],
                candidate=candidate,
                kind=item.kind,
                filed_on=item.due,
                content=EVALUATION_TEXT,
            )
    elif step == "introducers":
        for user in branch.members[1:3]:
            services.person_assign(
                actor=branch.secretary, candidate=candidate, user=user, role=PersonRole.INTRODUCER
            )


def _walk(branch: Branch, candidate: Candidate, until: str) -> Candidate:
    for step in RULES_2014.steps[1:]:
        current = _fresh(candidate)
        if step.stage > current.stage:
            services.stage_advance(actor=branch.secretary, candidate=current)
        _before(branch, candidate, step.key)
        services.step_complete(
            actor=branch.secretary,
            candidate=_fresh(candidate),
            step=step.key,
            data=services.StepInput(
                done_on=_day(candidate, step.key), note="", **_figures(branch, candidate, step.key)
            ),
        )
        if step.key == until:
            break
    return _fresh(candidate)


def _premature_target(branch: Branch, candidate: Candidate, today: date) -> None:
    """The secretary tries to make an activist of less than a year a development target: refused, and
    the refusal (with the rule and the earliest day) stays in the audit trail."""
    with suppress(ValidationError):
        services.step_complete(
            actor=branch.secretary,
            candidate=_fresh(candidate),
            step="target",
            data=services.StepInput(done_on=today),
        )
