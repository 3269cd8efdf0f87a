"""Access-matrix rows of 示范引领 (§9). The objects belong to branch A (world.a): a draft nomination with
an attachment (`hn_draft`), one submitted (`hn_submitted`) and one reviewed by A's instructor
(`hn_reviewed`), each for its own organisation of A, a free organisation (`hn_free_org`) for the
nomination forms, and a publicity record with its clipping (`hn_publicity`). Every page of a nomination
or record is a 404 outside A and HQ; the honour roll is public."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    MANAGE_OBJECT_GET,
    NOT_ALLOWED,
    PUBLIC,
    Row,
    everyone,
    statuses,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GET_ONLY = statuses(302, 405, 405, 405, 405, 405)
OWN_OBJECT_POST = statuses(302, 404, 404, 404, 302, 302)
API_READ = statuses(401, 200, 200, 200, 200, 200)
API_OBJECT = statuses(401, 404, 404, 404, 200, 200)
API_CREATE = statuses(401, 404, 404, 404, 201, 201)
ORGANIZATIONS = (
    ("hn_org_draft", "泰州凤城河文化传媒有限公司党支部"),
    ("hn_org_submitted", "江苏海陵会计师事务所党支部"),
    ("hn_org_reviewed", "泰州稻河古街商业运营有限公司党支部"),
    ("hn_free_org", "泰州梅兰芳大剧院管理有限公司党支部"),
)
DEEDS = "坚持“支部建在楼上”，组织驻楼企业党员开展志愿服务 60 余次，带动 3 家企业新建党组织。"


def _year() -> int:
    return timezone.localdate().year


def prepare(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.accounts.models import Role
    from dangjian.honors import services
    from tests import factories as f

    for attr, name in ORGANIZATIONS:
        setattr(world, attr, f.PartyOrganizationFactory(station=world.a, name=name))
    world.hn_instructor = f.UserFactory(username="honors_instructor_a")
    f.grant(world.hn_instructor, Role.INSTRUCTOR, world.a)

    def nominate(attr: str, attachment: Any = None) -> Any:
        return services.nomination_create(
            actor=world.worker_a,
            organization=getattr(world, attr),
            data=services.NominationInput(
                kind="organization", year=_year(), deeds=DEEDS, attachment=attachment
            ),
        )

    world.hn_draft = nominate("hn_org_draft", SimpleUploadedFile("推荐材料.pdf", PDF))
    world.hn_submitted = nominate("hn_org_submitted")
    services.nomination_act(actor=world.worker_a, nomination=world.hn_submitted, action="submit")
    world.hn_reviewed = nominate("hn_org_reviewed")
    services.nomination_act(actor=world.worker_a, nomination=world.hn_reviewed, action="submit")
    services.nomination_act(actor=world.hn_instructor, nomination=world.hn_reviewed, action="approve")
    world.hn_publicity = services.publicity_create(
        actor=world.worker_a,
        station=world.a,
        data=services.PublicityInput(
            outlet="泰州日报",
            level="city",
            published_on=date(_year(), 1, 1),
            title="海陵区万达广场：楼宇党建激活“红色引擎”",
            clipping=SimpleUploadedFile("泰州日报剪报.pdf", PDF),
        ),
    )


def nomination_body(w: Any) -> dict[str, Any]:
    return {"organization": w.hn_free_org.pk, "kind": "organization", "year": _year(), "deeds": DEEDS}


def publicity_body(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "outlet": "新华日报",
        "level": "province",
        "published_on": date(_year(), 1, 1).isoformat(),
        "title": "泰州海陵：楼宇里的党建共享平台",
        "link": "https://www.xhby.net/",
    }


def event_body(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "kind": "on_site",
        "title": "全区楼宇党建工作现场会",
        "held_on": date(_year(), 1, 1).isoformat(),
        "place": "万达广场党群服务中心",
        "summary": "观摩万达广场分站阵地建设",
        "attendees": [w.worker_a.pk],
        "visitor_count": 2,
        "visitors": "姜堰区委组织部 王某\n高港区委组织部 李某",
    }


def edit_body(w: Any) -> dict[str, Any]:
    return {"deeds": DEEDS + "全年开展主题党日 12 次。"}


def submit_body(w: Any) -> dict[str, Any]:
    return {"comment": ""}


def api_submit_body(w: Any) -> dict[str, Any]:
    return {"action": "submit"}


def _pk(attr: str, name: str = "pk", **more: Any) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, attr).pk, **more}


ROWS: dict[str, Row] = {
    "honors:roll": Row(get=PUBLIC, post=NOT_ALLOWED),
    "honors:list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "honors:create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "honors:detail": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("hn_draft")),
    "honors:edit": Row(get=MANAGE_OBJECT_GET, post=MANAGE_OBJECT_GET, kwargs=_pk("hn_draft")),
    "honors:attachment": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("hn_draft")),
    "honors:act": Row(get=GET_ONLY, post=OWN_OBJECT_POST, kwargs=_pk("hn_draft", action="submit")),
    "honors:publicity_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "honors:publicity_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "honors:publicity_check": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "honors:publicity_clipping": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("hn_publicity")),
    "honors:event_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "honors:event_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "api:honors_roll": Row(get=PUBLIC, post=everyone(405)),
    "api:honors_nominations": Row(get=API_READ, post=API_CREATE, post_data=nomination_body, json=True),
    "api:honors_nominate": Row(get=API_READ, post=API_CREATE, post_data=nomination_body, json=True),
    "api:honors_nomination_act": Row(
        get=everyone(405),
        post=API_OBJECT,
        kwargs=_pk("hn_draft", "nomination_id"),
        post_data=api_submit_body,
        json=True,
    ),
    "api:honors_publicity": Row(get=API_READ, post=API_CREATE, post_data=publicity_body, json=True),
    "api:honors_publicity_create": Row(get=API_READ, post=API_CREATE, post_data=publicity_body, json=True),
}
