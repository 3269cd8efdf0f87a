"""Cross-station entries of the development pipeline (merged by tests/cross_bodies.py and
tests/test_cross_station.py): a valid body for every write, aimed at branch A's candidates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


def _today() -> date:
    return timezone.localdate()


def _application(w: Any) -> dict[str, Any]:
    from tests.members.builders import id_number

    birth = date(1993, 10, 2)
    return {
        "organization": w.org_a.pk,
        "name": "许嘉怡",
        "gender": "female",
        "ethnicity": "01",
        "birth_date": birth.isoformat(),
        "education": "bachelor",
        "phone": "13705238899",
        "id_number": id_number(birth, 812, male=False),
        "applied_on": (_today() - timedelta(days=2)).isoformat(),
    }


VALID_BODIES = {
    "development:create": _application,
    "development:step": lambda w: {
        "done_on": (_today() - timedelta(days=1)).isoformat(),
        "note": "谈话情况良好",
    },
    "development:people": lambda w: {"role": "contact", "user": w.dev_member.pk},
    "development:advance": lambda w: {},
    "development:close": lambda w: {"status": "withdrawn", "note": "本人申请撤回"},
    "development:report": lambda w: {
        "kind": "evaluation",
        "filed_on": _today().isoformat(),
        "content": "该同志积极参加楼宇志愿服务，思想进步明显。",
    },
}
VALID_BODIES |= {
    "development:signed_upload": lambda w: {
        "document": "talk:谈话记录",
        "file": SimpleUploadedFile("谈话记录（签字）.pdf", b"%PDF-1.4\n%%EOF\n"),
    },
    "api:development_candidates": lambda w: {**_application(w), "phone": "13705238898"},
    "api:development_candidate_create": lambda w: {**_application(w), "phone": "13705238898"},
    "api:development_step_complete": VALID_BODIES["development:step"],
    "api:development_person_assign": lambda w: {"role": "contact", "user": w.dev_member.pk},
    "api:development_stage_advance": lambda w: {},
    "api:development_report_file": lambda w: {
        "kind": "thought_report",
        "filed_on": _today().isoformat(),
        "content": "认真学习党章，对党的认识进一步加深。",
    },
}
WRITERS = {"development:report": "dev_contact", "api:development_report_file": "dev_contact"}
