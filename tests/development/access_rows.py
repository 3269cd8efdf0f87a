"""Access-matrix rows of the development pipeline (发展党员). The objects belong to branch A (world.org_a):
an applicant (`dev_candidate`, only the application done), one whose talk is done (`dev_candidate_talked`,
ready for the next stage) and an activist with a contact person (`dev_candidate_activist`, whose
contact person `dev_contact` files evaluations). Candidates are personal data: every page of one is a
404 outside A and HQ, like a member record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    LOGGED_IN_PAGE,
    MANAGE_OBJECT_GET,
    Row,
    everyone,
    statuses,
)

GET_ONLY = statuses(302, 405, 405, 405, 405, 405)
OWN_OBJECT_POST = statuses(302, 404, 404, 404, 302, 302)
NO_ONES_OWN = statuses(302, 404, 404, 404, 404, 404)  # none of the matrix roles is a contact person


def _day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def _applicant(name: str, sequence: int, applied: int) -> Any:
    from dangjian.development.services import Applicant
    from tests.members.builders import id_number

    birth = date(1995, 4, 16)
    return Applicant(
        name=name,
        gender="female",
        birth_date=birth,
        education="bachelor",
        phone=f"1370523{sequence:04d}",
        id_number=id_number(birth, sequence, male=False),
        applied_on=_day(applied),
    )


def prepare(world: Any) -> None:
    from dangjian.development import services
    from dangjian.development.models import PersonRole
    from tests.members.builders import make_profile

    admin, org = world.own_admin, world.org_a
    world.dev_candidate = services.candidate_create(
        actor=admin, organization=org, applicant=_applicant("孙悦", 701, -5)
    )
    world.dev_candidate_talked = services.candidate_create(
        actor=admin, organization=org, applicant=_applicant("钱雨萱", 702, -8)
    )
    services.step_complete(
        actor=admin,
        candidate=world.dev_candidate_talked,
        step="talk",
        data=services.StepInput(done_on=_day(-6)),
    )
    activist = services.candidate_create(
        actor=admin, organization=org, applicant=_applicant("蒋欣怡", 703, -20)
    )
    services.step_complete(
        actor=admin, candidate=activist, step="talk", data=services.StepInput(done_on=_day(-15))
    )
    services.stage_advance(actor=admin, candidate=activist)
    services.step_complete(
        actor=admin, candidate=activist, step="activist", data=services.StepInput(done_on=_day(-10))
    )
    world.dev_contact = make_profile(org).user
    world.dev_member = make_profile(org).user
    services.person_assign(actor=admin, candidate=activist, user=world.dev_contact, role=PersonRole.CONTACT)
    world.dev_candidate_activist = activist
    world.dev_signed = services.signed_document_upload(
        actor=admin,
        candidate=world.dev_candidate_talked,
        step="talk",
        title="谈话记录",
        upload=SimpleUploadedFile("谈话记录.pdf", b"%PDF-1.4\n%%EOF\n"),
    )


API_KEEPER_WRITE = statuses(401, 404, 404, 404, 201, 201)


def _application_body(world: Any) -> dict[str, Any]:
    applicant = _applicant("许梦琪", 709, -3)
    return {
        "organization": world.org_a.pk,
        "name": applicant.name,
        "gender": applicant.gender,
        "birth_date": applicant.birth_date.isoformat(),
        "education": applicant.education,
        "phone": applicant.phone,
        "id_number": applicant.id_number,
        "applied_on": applicant.applied_on.isoformat(),
    }


def _pk(attr: str, **more: Any) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"pk": getattr(w, attr).pk, **more}


ROWS: dict[str, Row] = {
    "development:list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "development:create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "development:detail": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("dev_candidate")),
    "development:step": Row(
        get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("dev_candidate", step="talk")
    ),
    "development:people": Row(get=GET_ONLY, post=OWN_OBJECT_POST, kwargs=_pk("dev_candidate")),
    "development:advance": Row(get=GET_ONLY, post=OWN_OBJECT_POST, kwargs=_pk("dev_candidate_talked")),
    "development:close": Row(get=GET_ONLY, post=OWN_OBJECT_POST, kwargs=_pk("dev_candidate")),
    "development:overview": Row(get=ADMIN_PAGE, post=GET_ONLY),
    "development:step_document": Row(
        get=MANAGE_OBJECT_GET,
        post=GET_ONLY,
        kwargs=_pk("dev_candidate_talked", step="talk", index=0, fmt="pdf"),
    ),
    "development:dossier": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("dev_candidate_talked")),
    "development:dossier_download": Row(
        get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("dev_candidate_talked", fmt="zip")
    ),
    "development:signed_upload": Row(get=GET_ONLY, post=OWN_OBJECT_POST, kwargs=_pk("dev_candidate_talked")),
    "development:signed_file": Row(
        get=MANAGE_OBJECT_GET,
        post=GET_ONLY,
        kwargs=lambda w: {"pk": w.dev_candidate_talked.pk, "document": w.dev_signed.pk},
    ),
    "development:contacts": Row(get=LOGGED_IN_PAGE, post=GET_ONLY),
    "development:report": Row(get=NO_ONES_OWN, post=NO_ONES_OWN, kwargs=_pk("dev_candidate_activist")),
    "development:mine": Row(get=LOGGED_IN_PAGE, post=GET_ONLY),
    "api:development_candidates": Row(
        get=statuses(401, 200, 200, 200, 200, 200),
        post=API_KEEPER_WRITE,
        post_data=_application_body,
        json=True,
    ),
    "api:development_candidate_create": Row(
        get=statuses(401, 200, 200, 200, 200, 200),
        post=API_KEEPER_WRITE,
        post_data=_application_body,
        json=True,
    ),
    "api:development_step_complete": Row(
        get=everyone(405),
        post=API_KEEPER_WRITE,
        kwargs=lambda w: {"candidate_id": w.dev_candidate.pk, "step": "talk"},
        post_data=lambda w: {"done_on": _day(-1).isoformat(), "note": "谈话情况良好"},
        json=True,
    ),
    "api:development_person_assign": Row(
        get=everyone(405),
        post=API_KEEPER_WRITE,
        kwargs=lambda w: {"candidate_id": w.dev_candidate.pk},
        post_data=lambda w: {"user": w.dev_member.pk, "role": "contact"},
        json=True,
    ),
    "api:development_stage_advance": Row(
        get=everyone(405),
        post=statuses(401, 404, 404, 404, 200, 200),
        kwargs=lambda w: {"candidate_id": w.dev_candidate_talked.pk},
        json=True,
    ),
    "api:development_report_file": Row(
        get=everyone(405),
        post=API_KEEPER_WRITE,
        kwargs=lambda w: {"candidate_id": w.dev_candidate_activist.pk},
        post_data=lambda w: {
            "kind": "thought_report",
            "filed_on": _day(0).isoformat(),
            "content": "认真学习党章，对党的认识进一步加深。",
        },
        json=True,
    ),
    "api:development_candidate": Row(
        get=statuses(401, 404, 404, 404, 200, 200),
        post=everyone(405),
        kwargs=lambda w: {"candidate_id": w.dev_candidate.pk},
    ),
    "api:development_my_application": Row(get=statuses(401, 200, 200, 200, 200, 200), post=everyone(405)),
}
