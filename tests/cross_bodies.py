"""Valid request bodies aimed at branch A, for the cross-station matrix (tests/test_cross_station.py).

`VALID_BODIES[row]` is a body that A's own writer (`WRITERS[row]`, A's station admin unless named) may send
to the row's URL to really write something of A; tests/test_cross_station.py proves that (the positive
control) and then sends the same body, to the same URL, as every role of branch B and as a member of
another organisation of A, and finds nothing written. `TARGETS[row]` points a row at an object in the
state its action needs (the access matrix points approve and return at a draft, which no one may approve);
`EXTRA_ROWS` are further cases of URLs the access matrix covers once (the other news workflow moves).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.accounts.models import Role
from tests.access import Row, _new_unit_in_a, statuses
from tests.factories import UserFactory, grant, valid_uscc

Body = Callable[[Any], dict[str, Any]]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date.today()


def png() -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile("现场照片.png", out.getvalue(), content_type="image/png")


def prepare_targets(world: Any) -> None:
    """Objects in the states the bodies need, on top of what the capabilities' `prepare` made."""
    from dangjian.accounts.models import User
    from dangjian.news import services as news

    world.instructor_a = User.objects.get(username="matrix_instructor_a")
    world.disclosure_instructor_a = User.objects.get(username="matrix_disclosure_instructor")
    world.platform_admin = UserFactory(username="cross_platform_admin")
    grant(world.platform_admin, Role.PLATFORM_ADMIN, world.hq)
    content = {
        "column": world.column,
        "title": "万达广场分站党员志愿服务活动",
        "body": "<p>待审核的正文</p>",
        "audience": "public",
    }
    world.article_submitted = news.article_create(actor=world.worker_a, station=world.a, content=content)
    news.article_submit(actor=world.worker_a, article=world.article_submitted)
    # an HQ article synced to every branch, for 本站隐藏 at A
    hq_worker = UserFactory(username="cross_worker_hq")
    grant(hq_worker, Role.WORKER, world.hq, building=_hq_building(world))
    hq_instructor = UserFactory(username="cross_instructor_hq")
    grant(hq_instructor, Role.INSTRUCTOR, world.hq)
    synced = {**content, "title": "总站：全区楼宇党建工作推进会", "sync_to_all": True}
    world.article_synced = news.article_create(actor=hq_worker, station=world.hq, content=synced)
    news.article_submit(actor=hq_worker, article=world.article_synced)
    news.article_approve(actor=hq_instructor, article=world.article_synced)


def _hq_building(world: Any) -> Any:
    from tests.factories import BuildingFactory

    return BuildingFactory(station=world.hq, name="海陵区党群服务中心")


def _empty(w: Any) -> dict[str, Any]:
    return {}


def _comment(w: Any) -> dict[str, Any]:
    return {"comment": "请补充活动照片后再提交"}


# ---------------------------------------------------------------- stations


def _station_a(w: Any) -> dict[str, Any]:
    return {
        "name": w.a.name,
        "code": w.a.code,
        "address": w.a.address,
        "opening_hours": "周一至周六 8:30–20:00",
        "contact_name": "周敏",
        "contact_phone": "0523-86881234",
        "intro": "楼宇党建阵地",
        "open_to_surroundings": "on",
        "sort_order": "100",
        "is_active": "on",
    }


def _new_station(w: Any) -> dict[str, Any]:
    return {**_station_a(w), "name": "凤凰大厦分站", "code": "fenghuang"}


def _building(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "name": "万达广场写字楼B座",
        "address": "泰州市海陵区青年南路12号",
        "operator": "泰州万达商业管理有限公司",
        "floors_above": "20",
        "floors_below": "2",
    }


def _unit(w: Any) -> dict[str, Any]:
    return {
        "name": "泰州凤城云数据有限公司",
        "uscc": valid_uscc(8080),
        "building": w.building_a.pk,
        "industry": "it",
        "headcount": "30",
        "party_member_count": "3",
        "contact_name": "陈晓燕",
        "contact_phone": "13805267777",
        "moved_in_on": "2024-05-01",
        "is_active": "on",
    }


def _unit_edit(w: Any) -> dict[str, Any]:
    return {**_unit(w), "name": w.unit_a.name, "uscc": w.unit_a.uscc, "headcount": "99"}


def _grid(w: Any) -> dict[str, Any]:
    return {"building": w.building_a.pk, "name": "A座低区网格", "note": "1至6层"}


def _place(w: Any) -> dict[str, Any]:
    return {"station": w.a.pk, "kind": "community", "name": "五一路社区", "address": "五一路88号"}


# ---------------------------------------------------------------- organisations


def _organization(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "name": "中共泰州凤城云数据有限公司支部委员会",
        "kind": "branch",
        "formal_superior": "中共泰州市海陵区委两新工委",
        "term_start": "2025-01-01",
        "term_end": "2029-12-31",
        "is_active": "on",
    }


def _organization_edit(w: Any) -> dict[str, Any]:
    return {**_organization(w), "name": w.org_a.name, "contact_phone": "0523-86880000"}


def _committee_add(w: Any) -> dict[str, Any]:
    return {"login": w.member_profile_a.user.username, "position": "organization"}


def _alliance(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "name": "万达商圈楼宇党建联盟（二期）",
        "lead_organization": w.org_a.pk,
        "organizations": [w.org_a.pk, w.org_a2.pk],
        "established_on": "2025-03-01",
        "purpose": "资源共享、活动共办",
    }


def _alliance_edit(w: Any) -> dict[str, Any]:
    return {
        **_alliance(w),
        "name": w.alliance_a.name,
        "organizations": [w.org_a.pk, w.org_b.pk],
        "purpose": "联建共促",
    }


def _agreement(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "title": "万达—凤城联学共建协议",
        "organizations": [w.org_a.pk, w.org_a2.pk],
        "signed_on": "2025-03-01",
        "content": "每月联合开展一次主题党日",
    }


def _agreement_edit(w: Any) -> dict[str, Any]:
    return {**_agreement(w), "title": w.agreement_a.title, "organizations": [w.org_a.pk, w.org_b.pk]}


# ---------------------------------------------------------------- accounts


def _role_grant(w: Any) -> dict[str, Any]:
    return {"login": w.member.username, "role": Role.GUIDE, "station": w.a.pk}


def _person(w: Any) -> dict[str, Any]:
    return {
        "real_name": "吴海燕",
        "mobile": "13605268888",
        "email": "",
        "person_kind": "staff",
        "home_station": w.a.pk,
        "resident_unit": w.unit_a.pk,
        "is_active": "on",
    }


def _person_edit(attr: str) -> Body:
    def body(w: Any) -> dict[str, Any]:
        person = getattr(w, attr)
        return {
            "real_name": person.real_name,
            "mobile": person.mobile or "",
            "email": "changed@example.cn",
            "person_kind": person.person_kind,
            "home_station": w.a.pk,
            "is_active": "on",
        }

    return body


# ---------------------------------------------------------------- members


def _member_create(w: Any) -> dict[str, Any]:
    from tests.members.builders import id_number

    birth = date(1990, 3, 15)
    return {
        "real_name": "郑小龙",
        "gender": "male",
        "mobile": "13705269999",
        "id_number": id_number(birth, 77),
        "birth_date": birth.isoformat(),
        "ethnicity": "01",
        "organization": w.org_a.pk,
        "category": "formal",
        "admitted_on": "2015-07-01",
        "full_member_on": "2016-07-01",
        "education": "bachelor",
        "job_title": "工程师",
        "affiliation_organization": w.org_a.name,
        "status": "normal",
        "dues_category": "employed",
    }


def _member_edit(w: Any) -> dict[str, Any]:
    profile = w.member_profile_a
    return {
        "real_name": profile.user.real_name,
        "gender": profile.gender,
        "mobile": profile.user.mobile or "",
        "id_number": "",
        "birth_date": profile.birth_date.isoformat(),
        "ethnicity": profile.ethnicity,
        "organization": profile.organization_id,
        "category": profile.category,
        "admitted_on": profile.admitted_on.isoformat(),
        "full_member_on": profile.full_member_on.isoformat(),
        "education": profile.education,
        "job_title": "党务专员",
        "affiliation_organization": profile.affiliation_organization,
        "status": profile.status,
        "dues_category": profile.dues_category,
    }


def _member_import(w: Any) -> dict[str, Any]:
    from tests.members.workbooks import workbook_bytes

    return {"file": SimpleUploadedFile("党员.xlsx", workbook_bytes(2, w.org_a.name, start=300))}


# ---------------------------------------------------------------- dues


def _payer(w: Any) -> Any:
    return w.dues_payment.member


def _declaration(w: Any) -> dict[str, Any]:
    return {
        "member": _payer(w).pk,
        "year": str(TODAY.year),
        "effective_month": "1",
        "monthly_base": "6200.00",
        "note": "年度申报",
    }


def _payment(w: Any) -> dict[str, Any]:
    from tests.dues.builders import months_ago

    return {"member": _payer(w).pk, "months": [f"{months_ago(2):%Y-%m}"], "method": "cash"}


def _relief(w: Any) -> dict[str, Any]:
    return {
        "member": _payer(w).pk,
        "kind": "waiver",
        "start": f"{TODAY:%Y-%m}",
        "reason": "生活困难，经支部委员会研究同意免交",
    }


# ---------------------------------------------------------------- news and disclosures


def _article(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "column": w.column.pk,
        "title": "万达广场分站召开楼宇党建联席会议",
        "summary": "会议部署了下一阶段重点工作",
        "body": "<p>会议通报了共建项目进展。</p>",
        "audience": "public",
    }


def _article_edit(w: Any) -> dict[str, Any]:
    body = _article(w)
    del body["station"]
    return {**body, "title": "万达广场分站开展主题党日活动（修订）"}


def _disclosure(w: Any) -> dict[str, Any]:
    return {
        "organization": w.org_a.pk,
        "category": "dues",
        "title": "2026年第四季度党费收缴与使用情况公示",
        "period_start": "2026-10-01",
        "period_end": "2026-12-31",
        "visibility": "public",
        "body": "<p>本季度应交党费 3,860.00 元，实交 3,860.00 元。</p>",
    }


def _disclosure_edit(w: Any) -> dict[str, Any]:
    return {**_disclosure(w), "title": "2026年第三季度党费收缴与使用情况公示（更正）"}


def _column(w: Any) -> dict[str, Any]:
    return {"name": "楼宇风采", "slug": "louyu", "sort_order": "50", "is_active": "on"}


def _column_edit(w: Any) -> dict[str, Any]:
    return {"name": w.column.name, "slug": w.column.slug, "sort_order": "5", "is_active": "on"}


# ---------------------------------------------------------------- venues (pages)


def _venue(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "building": w.building_a.pk,
        "name": "万达广场党群讲堂",
        "kind": "lecture",
        "capacity": "60",
        "floor_label": "3F",
        "room": "301",
        "audience": "surroundings",
        "needs_approval": "on",
        "min_advance_minutes": "60",
        "max_advance_days": "30",
        "max_duration_minutes": "240",
        "monthly_quota": "8",
        "is_active": "on",
    }


def _venue_edit(w: Any) -> dict[str, Any]:
    return {**_venue(w), "name": w.api_venue.name, "kind": "book_bar", "capacity": "40", "audience": "public"}


def _venue_hours(w: Any) -> dict[str, Any]:
    days = {f"opens_{d}": "09:00" for d in range(6)} | {f"closes_{d}": "18:00" for d in range(6)}
    return {"form": "hours", **days}


def _equipment(w: Any) -> dict[str, Any]:
    return {"kind": "audio", "name": "无线音响", "quantity": "2", "state": "good", "note": ""}


# ---------------------------------------------------------------- activities (pages)


def _activity(w: Any) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.localtime() + timedelta(days=10)
    return {
        "title": "万达广场党员志愿服务主题党日",
        "activity_type": "theme_day",
        "theme": "学习雷锋精神",
        "lead": w.org_a.pk,
        "starts_at": f"{start:%Y-%m-%d}T09:00",
        "ends_at": f"{start:%Y-%m-%d}T11:00",
        "location_text": "党群综合馆",
        "capacity": "30",
        "audience": "organization",
        "counts_for_life": "on",
        "offer_hold_hours": "24",
        "description": "<p>集中学习</p>",
    }


def _activity_edit(w: Any) -> dict[str, Any]:
    return {**_activity(w), "title": w.api_activity.title, "capacity": "40"}


def _unit_patch(w: Any) -> dict[str, Any]:
    return {"headcount": 88, "contact_phone": "13805260000"}


def _earlier_month(w: Any) -> dict[str, Any]:
    from tests.dues.builders import months_ago

    period = months_ago(2)
    return {"organization": w.org_a.pk, "year": period.year, "month": period.month}


# ---------------------------------------------------------------- joint meetings (HQ convenes)


def _joint_meeting(w: Any) -> dict[str, Any]:
    from tests.activities.api_rows import joint_meeting_body

    return joint_meeting_body(w)


def _joint_record(w: Any) -> dict[str, Any]:
    from tests.activities.api_rows import joint_record_body

    return joint_record_body(w)


def _joint_record_page(w: Any) -> dict[str, Any]:
    """The API's record as the page's form has it: `attended_<org>` and `representative_<org>`."""
    record = _joint_record(w)
    body: dict[str, Any] = {"minutes": record["minutes"]}
    for line in record["attended"]:
        body[f"attended_{line['organization']}"] = "on"
        body[f"representative_{line['organization']}"] = line["representative"]
    return body


def _joint_decision(w: Any) -> dict[str, Any]:
    from tests.activities.api_rows import joint_decision_body

    return joint_decision_body(w)


def _joint_cancel(w: Any) -> dict[str, Any]:
    return {"reason": "与区委会议冲突，改期"}


def _follow_up(w: Any) -> dict[str, Any]:
    return {"status": "in_progress", "note": "已收集 5 家"}


# ---------------------------------------------------------------- courseware


def _courseware_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("党课讲义.pdf", PDF, content_type="application/pdf")


def _courseware_details(w: Any) -> dict[str, Any]:
    return {
        "title": "基层党建工作实务课件",
        "description": "支部工作讲解",
        "tags": "党建 实务",
        "sharing": "station",
    }


def _courseware_upload(w: Any) -> dict[str, Any]:
    return {**_courseware_details(w), "station": w.a.pk, "file": _courseware_pdf()}


# ---------------------------------------------------------------- learning


def _course(w: Any) -> dict[str, Any]:
    return {"title": "党支部工作条例专题", "category": "constitution", "description": "逐章学习"}


def _lesson(w: Any) -> dict[str, Any]:
    from tests.learning.builders import pdf_upload

    return {"title": "条例原文", "kind": "document", "upload": pdf_upload(), "page_count": "2"}


def _question(w: Any) -> dict[str, Any]:
    return {
        "kind": "single",
        "text": "党支部党员大会一般每季度召开几次？",
        "choices": "1次\n2次",
        "answer": "1",
        "explanation": "《中国共产党支部工作条例（试行）》",
        "points": "1",
    }


def _quiz(w: Any) -> dict[str, Any]:
    return {
        "title": "结业考试",
        "draw_count": "1",
        "pass_percent": "60",
        "max_attempts": "3",
        "is_exam": "on",
    }


def _assign(w: Any) -> dict[str, Any]:
    from datetime import timedelta

    return {
        "course": w.learning.course.pk,
        "deadline": (TODAY + timedelta(days=30)).isoformat(),
        "organizations": [w.org_a.pk],
        "kind": "required",
        "note": "请于月底前完成",
    }


def _article_id(attr: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"article_id": getattr(w, attr).pk}


def _action(attr: str, action: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"pk": getattr(w, attr).pk, "action": action}


# The other news workflow moves on A's articles (the access matrix covers `submit` only).
_MOVE = Row(get=statuses(302, 405, 405, 405, 405, 405), post=statuses(302, 404, 404, 404, 302, 302))
EXTRA_ROWS: dict[str, Row] = {
    "news:manage_action [approve]": Row(
        get=_MOVE.get, post=_MOVE.post, kwargs=_action("article_submitted", "approve")
    ),
    "news:manage_action [return]": Row(
        get=_MOVE.get, post=_MOVE.post, kwargs=_action("article_submitted", "return")
    ),
    "news:manage_action [withdraw]": Row(
        get=_MOVE.get, post=_MOVE.post, kwargs=_action("article_live", "withdraw")
    ),
    "news:manage_action [archive]": Row(
        get=_MOVE.get, post=_MOVE.post, kwargs=_action("article_live", "archive")
    ),
    "news:manage_action [recommend]": Row(
        get=_MOVE.get, post=_MOVE.post, kwargs=_action("article_live", "recommend")
    ),
}

VALID_BODIES: dict[str, Body] = {
    # stations
    "stations:station_create": _new_station,
    "stations:station_edit": _station_a,
    "stations:building_create": _building,
    "stations:building_edit": lambda w: {**_building(w), "name": w.building_a.name, "floors_above": "15"},
    "stations:unit_create": _unit,
    "stations:unit_edit": _unit_edit,
    "stations:grid_create": _grid,
    "stations:grid_edit": lambda w: {**_grid(w), "name": w.grid_a.name, "note": "7层以上"},
    "stations:place_create": _place,
    "stations:place_edit": lambda w: {**_place(w), "name": w.place_a.name},
    # organisations
    "orgs:organization_create": _organization,
    "orgs:organization_edit": _organization_edit,
    "orgs:committee": _committee_add,
    "orgs:committee_remove": _empty,
    "orgs:alliance_create": _alliance,
    "orgs:alliance_edit": _alliance_edit,
    "orgs:agreement_create": _agreement,
    "orgs:agreement_edit": _agreement_edit,
    # accounts
    "people:role_create": _role_grant,
    "people:role_revoke": _empty,
    "people:person_create": _person,
    "people:person_edit": _person_edit("member"),
    "people:person_edit [HQ role holder]": _person_edit("holder_at_hq"),
    "people:person_edit [role holder at B]": _person_edit("holder_at_b"),
    "people:person_edit [platform admin]": _person_edit("holder_platform"),
    "people:person_reset_password": _empty,
    "people:person_reset_password [HQ role holder]": _empty,
    "people:person_reset_password [role holder at B]": _empty,
    "people:person_reset_password [platform admin]": _empty,
    "people:member_temporary_password": _empty,
    "people:member_temporary_password [HQ role holder]": _empty,
    "accounts:token_revoke": _empty,
    # the shared kernel: A's worker's notification
    "core:inbox_read": _empty,
    "api:inbox_mark_read": _empty,
    # members
    "members:create": _member_create,
    "members:edit": _member_edit,
    "members:import": _member_import,
    "members:export": lambda w: {"unmasked": "1", "organization": w.org_a.pk},
    "members:reveal": _empty,
    "members:correction_accept": lambda w: {"note": "已核实"},
    "members:correction_reject": lambda w: {"note": "与档案不符"},
    # dues
    "dues:declaration_create": _declaration,
    "dues:payment_create": _payment,
    "dues:relief_create": _relief,
    "dues:setting_edit": lambda w: {"farmer_amount": "0.50"},
    "dues:sheet_generate": _empty,
    "dues:sheet_close": _empty,
    # news
    "news:manage_create": _article,
    "news:manage_edit": _article_edit,
    "news:manage_action": _empty,
    "news:manage_action [approve]": lambda w: {"comment": "同意发布"},
    "news:manage_action [return]": _comment,
    "news:manage_action [withdraw]": lambda w: {"comment": "活动时间调整"},
    "news:manage_action [archive]": _empty,
    "news:manage_action [recommend]": _empty,
    "news:attachment_upload": lambda w: {"file": SimpleUploadedFile("活动方案.pdf", PDF)},
    "news:attachment_delete": _empty,
    "news:body_image": lambda w: {"article": w.article_draft.pk, "image": png()},
    "news:synced": lambda w: {"station": w.a.pk, "article": w.article_synced.pk, "hide": "1"},
    "news:column_create": _column,
    "news:column_edit": _column_edit,
    # disclosures
    "disclosures:disclosure_create": _disclosure,
    "disclosures:disclosure_edit": _disclosure_edit,
    "disclosures:submit": _empty,
    "disclosures:approve": lambda w: {"comment": "同意公开"},
    "disclosures:return": _comment,
    "disclosures:withdraw": lambda w: {"comment": "数据有误，撤回更正"},
    "disclosures:archive": _empty,
    # JSON API
    "api:unit_list": _new_unit_in_a,
    "api:unit_create": _new_unit_in_a,
    "api:unit_update": _unit_patch,
    "api:token_revoke": _empty,
    "api:article_submit": _empty,
    "api:article_approve": lambda w: {"comment": "同意发布"},
    "api:article_return": _comment,
    "api:article_withdraw": lambda w: {"comment": "活动时间调整"},
    "api:disclosure_submit": _empty,
    "api:disclosure_approve": lambda w: {"comment": "同意公开"},
    "api:disclosure_return": _comment,
    "api:disclosure_withdraw": lambda w: {"comment": "数据有误，撤回更正"},
    # venues pages (tests/venues/access_rows.py)
    "venues:cancel": lambda w: {"reason": "场地临时检修"},
    "venues:tour_cancel": _empty,
    "venues:venue_create": _venue,
    "venues:venue_edit": _venue_edit,
    "venues:hours": _venue_hours,
    "venues:closed_day_remove": _empty,
    "venues:equipment": _equipment,
    "venues:equipment_edit": lambda w: {**_equipment(w), "name": "投影仪", "state": "faulty"},
    "venues:approve": _empty,
    "venues:reject": lambda w: {"reason": "当天已安排全站消防演练"},
    "venues:check_in": _empty,
    "venues:no_show": _empty,
    "venues:tour_assign": lambda w: {"person": w.api_guide.pk},
    "venues:tour_confirm": lambda w: {"venue": w.api_venue.pk},
    "venues:tour_decline": lambda w: {"reason": "当天站点闭馆"},
    "venues:tour_record": lambda w: {"actual_count": "18", "feedback": "讲解生动，收获很大"},
    "venues:fault_assign": lambda w: {"person": w.worker_a.pk},
    "venues:fault_repair": lambda w: {"note": "已更换投影仪电源适配器"},
    "venues:six_have": lambda w: {"station": w.a.pk, "item": "flag", "met": "on", "note": "党旗悬挂规范"},
    # activities pages (tests/activities/access_rows.py)
    "activities:register": _empty,
    "activities:leave": lambda w: {"reason": "参加区委组织部培训"},
    "activities:offer_accept": _empty,
    "activities:offer_decline": _empty,
    "activities:registration_cancel": _empty,
    "activities:create": _activity,
    "activities:edit": _activity_edit,
    "activities:publish": _empty,
    "activities:cancel": lambda w: {"reason": "上级临时通知调整时间"},
    "activities:staff_registration_cancel": _empty,
    "activities:record": lambda w: {"summary": "研究第三季度发展党员工作，形成决议两项"},
    "activities:leave_decide": lambda w: {"decision": "approve", "note": "同意"},
    "activities:theme_set": lambda w: {"month": f"{TODAY:%Y-%m}", "theme": "学习贯彻党的二十届三中全会精神"},
    "activities:plan_submit": lambda w: {"year": str(TODAY.year), "planned": "3 主题党日 学习雷锋志愿服务"},
    "activities:checkin": lambda w: {"person": w.member.pk, "nonce": "cross-station-check-in"},
    "activities:activity_invitations": lambda w: {"organizations": [w.org_b.pk], "note": "联学共建"},
    "activities:invitation_answer": lambda w: {"answer": "accept", "head_count": "1"},
    "activities:signin_sheet": lambda w: {"person": w.member.pk},
    "activities:self_scan": lambda w: {"code": w.activity_ongoing.checkin_code, "nonce": "cross-self-scan"},
    # venues API (tests/venues/api_rows.py): the guide's and maintainer's moves on A's objects
    "api:reservation_approve": _empty,
    "api:reservation_reject": lambda w: {"reason": "当天已安排全站消防演练"},
    "api:reservation_cancel": lambda w: {"reason": "场地临时检修"},
    "api:reservation_check_in": _empty,
    "api:fault_assign": lambda w: {"assignee": w.worker_a.pk},
    "api:fault_repair": lambda w: {"note": "已更换投影仪电源适配器"},
    "api:tour_assign": lambda w: {"guide": w.api_guide.pk},
    "api:tour_confirm": lambda w: {"venue": w.api_venue.pk},
    "api:tour_decline": lambda w: {"reason": "当天站点闭馆"},
    "api:tour_record": lambda w: {"actual_count": 18, "feedback": "讲解生动，收获很大"},
    "api:tour_cancel": _empty,
    # activities API (tests/activities/api_rows.py)
    "api:activity_register": _empty,
    "api:activity_registration_cancel": _empty,
    "api:activity_offer_accept": _empty,
    "api:activity_offer_decline": _empty,
    "api:activity_leave_request": lambda w: {"reason": "参加区委组织部培训"},
    "api:leave_request_decide": lambda w: {"approve": True, "note": "同意，请会后补学"},
    "api:activity_record": lambda w: {"summary": "研究第三季度发展党员工作，确定两名入党积极分子"},
    "api:activity_check_in": lambda w: {"nonce": "cross-scan-1", "person": w.member.pk},
    "api:activity_invitations": lambda w: {"organizations": [w.org_b.pk], "note": "诚邀贵支部共同参加"},
    "api:activity_invitation_answer": lambda w: {"accept": True, "head_count": 1},
    # learning API (tests/learning/api_rows.py): the member hands in their own exam
    "api:learning_attempt_submit": lambda w: {"answers": {}},
    # joint meetings (tests/activities/access_rows.py, api_rows.py): convened by HQ; the owner follows up
    "activities:joint_create": _joint_meeting,
    "activities:joint_edit": _joint_meeting,
    "activities:joint_record": _joint_record_page,
    "activities:joint_cancel": _joint_cancel,
    "activities:joint_decision_add": _joint_decision,
    "activities:joint_decision": _follow_up,
    "activities:joint_decision_edit": _joint_decision,
    "api:joint_meetings": _joint_meeting,
    "api:joint_meeting_record": _joint_record,
    "api:joint_meeting_cancel": _joint_cancel,
    "api:joint_meeting_decisions": _joint_decision,
    "api:joint_decision_follow_up": _follow_up,
    # courseware (tests/courseware/access_rows.py): A's draft, kept by A's admin
    "courseware:upload": _courseware_upload,
    "courseware:edit": _courseware_details,
    "courseware:version_add": lambda w: {"file": _courseware_pdf(), "note": "修订第二章"},
    "courseware:delete": _empty,
    "courseware:transition": _empty,
    # learning pages (tests/learning/access_rows.py): A's draft course, kept by A's admin; the member hands
    # in their own open attempt
    "learning:course_create": _course,
    "learning:course_edit": _course,
    "learning:lesson_add": _lesson,
    "learning:question_add": _question,
    "learning:quiz_add": _quiz,
    "learning:course_action": _empty,
    "learning:assign": _assign,
    "learning:attempt": _empty,
}


# Who at A may send the body (the positive control); A's station admin unless named here.
WRITERS: dict[str, str] = {
    "stations:station_create": "hq_admin",
    "people:person_edit [HQ role holder]": "hq_admin",
    "people:person_edit [role holder at B]": "hq_admin",
    "people:person_edit [platform admin]": "platform_admin",
    "people:person_reset_password [HQ role holder]": "hq_admin",
    "people:person_reset_password [role holder at B]": "hq_admin",
    "people:person_reset_password [platform admin]": "platform_admin",
    "people:member_temporary_password [HQ role holder]": "hq_admin",
    "accounts:token_revoke": "worker_a",
    "api:token_revoke": "worker_a",
    "core:inbox_read": "worker_a",
    "api:inbox_mark_read": "worker_a",
    "dues:declaration_create": "officer_a",
    "dues:payment_create": "officer_a",
    "dues:relief_create": "officer_a",
    "dues:setting_edit": "officer_a",
    "dues:sheet_generate": "officer_a",
    "dues:sheet_close": "officer_a",
    "news:manage_create": "worker_a",
    "news:manage_edit": "worker_a",
    "news:manage_action": "worker_a",
    "news:manage_action [approve]": "instructor_a",
    "news:manage_action [return]": "instructor_a",
    "news:manage_action [withdraw]": "worker_a",
    "news:manage_action [archive]": "worker_a",
    "news:manage_action [recommend]": "worker_a",
    "news:attachment_upload": "worker_a",
    "news:attachment_delete": "worker_a",
    "news:body_image": "worker_a",
    "news:column_create": "hq_admin",
    "news:column_edit": "hq_admin",
    "api:article_submit": "worker_a",
    "api:article_approve": "instructor_a",
    "api:article_return": "instructor_a",
    "api:article_withdraw": "worker_a",
    "disclosures:approve": "disclosure_instructor_a",
    "disclosures:return": "disclosure_instructor_a",
    "api:disclosure_approve": "disclosure_instructor_a",
    "api:disclosure_return": "disclosure_instructor_a",
    # activities API: the member registers, answers their offer and asks leave; the secretary decides
    "api:activity_register": "member",
    "api:activity_offer_accept": "member",
    "api:activity_offer_decline": "member",
    "api:activity_leave_request": "member",
    "api:leave_request_decide": "api_secretary",
    "api:activity_invitation_answer": "member",
    # activities pages: the same people as the API's; themes and the plan by the organisation's officer
    "activities:register": "member",
    "activities:leave": "member",
    "activities:offer_accept": "member",
    "activities:offer_decline": "member",
    "activities:registration_cancel": "member",
    "activities:leave_decide": "api_secretary",
    "activities:theme_set": "officer_a",
    "activities:invitation_answer": "member",
    "activities:plan_submit": "officer_a",
    "activities:self_scan": "member",
    "api:learning_attempt_submit": "member",
    "learning:attempt": "member",
    # joint meetings: the supervising unit (HQ's admin) convenes; the decision's owner follows it up
    "activities:joint_create": "hq_admin",
    "activities:joint_edit": "hq_admin",
    "activities:joint_record": "hq_admin",
    "activities:joint_cancel": "hq_admin",
    "activities:joint_decision_add": "hq_admin",
    "activities:joint_decision": "member",
    "activities:joint_decision_edit": "hq_admin",
    "api:joint_meetings": "hq_admin",
    "api:joint_meeting_record": "hq_admin",
    "api:joint_meeting_cancel": "hq_admin",
    "api:joint_meeting_decisions": "hq_admin",
    "api:joint_decision_follow_up": "member",
}

# Rows pointed at an object in the state their action needs (the matrix points them at a draft).
TARGETS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "api:article_approve": _article_id("article_submitted"),
    "api:article_return": _article_id("article_submitted"),
    "api:article_withdraw": _article_id("article_live"),
    # this month's sheet exists already, last month's line was paid in cash
    "dues:sheet_generate": _earlier_month,
    # the matrix points at the member's submitted attempt: hand in their open one
    "learning:attempt": lambda w: {"pk": w.learning_attempt.pk},
}

# The API operations whose write is not a POST (the access matrix sends GET and POST only).
METHODS: dict[str, str] = {"api:unit_update": "patch", "api:token_revoke": "delete"}


# ---------------------------------------------------------------- capabilities' own entries
# A capability may keep its entries beside its tests: `tests/<app>/cross_entries.py` with any of the
# tables named here (and those of tests/test_cross_station.py: PERSONAL, NO_BODY,
# SAME_AS_MISSING_EXCEPTIONS, AUDITED_AT_B, MISSING_BODIES), merged into the shared ones.
def capability_entries(table: str) -> dict[str, Any]:
    import importlib
    from pathlib import Path

    merged: dict[str, Any] = {}
    for path in sorted(Path(__file__).parent.glob("*/cross_entries.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.cross_entries")
        entries = getattr(module, table, {})
        overlap = set(merged) & set(entries)
        assert not overlap, f"{table} entries defined twice: {overlap}"
        merged.update(entries)
    return merged


for _table, _shared in {
    "VALID_BODIES": VALID_BODIES,
    "WRITERS": WRITERS,
    "TARGETS": TARGETS,
    "METHODS": METHODS,
    "EXTRA_ROWS": EXTRA_ROWS,
}.items():
    _entries = capability_entries(_table)
    assert not set(_shared) & set(_entries), f"{_table} entries defined twice"
    _shared.update(_entries)
