"""Cross-station entries of the development pipeline (merged by tests/cross_bodies.py and
tests/test_cross_station.py): a valid body for every write, aimed at branch A's candidates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

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
WRITERS = {"development:report": "dev_contact"}
