"""Access-matrix rows of funds (经费管理). The objects belong to branch A (world.a): an income
(`fu_income`), an expense of A's building with a voucher (`fu_expense`, `fu_voucher`) and a budget of
the year. A's admins and workers and HQ keep A's ledger; another branch's admin sees only their own
(the lists answer them with their rows, A's objects are a 404); residents and members get 403 on the
lists and 404 on A's objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    MANAGE_OBJECT_GET,
    Row,
    everyone,
    statuses,
)

GET_ONLY = statuses(302, 405, 405, 405, 405, 405)
WRITE_OBJECT = statuses(302, 404, 404, 404, 302, 302)
# the create forms: B's admin cannot pick station A (the form answers again, 200)
CREATE_POST = statuses(302, 403, 403, 200, 302, 302)
API_READ = statuses(401, 200, 200, 200, 200, 200)
API_OBJECT = statuses(401, 404, 404, 404, 200, 200)
API_CREATE = statuses(401, 404, 404, 404, 201, 201)
ENTRY_DATE = "2025-06-18"  # a past day: the rows do not depend on the day of the run


def prepare(world: Any) -> None:
    from dangjian.funding import services
    from tests.funding.builders import on, pdf_upload, record

    admin = world.own_admin
    world.fu_income = record(admin, world.a, "income", "dues", "20000.00", summary="2025年党费拨付")
    world.fu_expense = record(
        admin,
        world.a,
        "expense",
        "equipment",
        "3280.00",
        building=world.building_a,
        summary="党员活动室投影仪维修",
        voucher=pdf_upload(),
        when=on(4),
    )
    world.fu_voucher = world.fu_expense.vouchers.get()
    services.budget_set(actor=admin, station=world.a, year=2025, amounts={("expense", "equipment"): "5000"})


def entry_body(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "building": w.building_a.pk,
        "line": "dues",
        "amount": "12000.00",
        "occurred_on": ENTRY_DATE,
        "summary": "区委组织部党费返还",
        "counterparty": "中共泰州市海陵区委组织部",
    }


def expense_body(w: Any) -> dict[str, Any]:
    return {
        **entry_body(w),
        "line": "activities",
        "summary": "主题党日活动物料",
        "counterparty": "泰州凤城文印店",
    }


def api_entry_body(w: Any) -> dict[str, Any]:
    return {**entry_body(w), "kind": "income"}


def reverse_body(w: Any) -> dict[str, Any]:
    return {"reason": "金额登记错误"}


def voucher_body(w: Any) -> dict[str, Any]:
    from tests.funding.builders import pdf_upload

    return {"file": pdf_upload("维修发票.pdf")}


def budget_body(w: Any) -> dict[str, Any]:
    return {"expense_construction": "30000", "expense_equipment": "6000.00", "income_dues": "20000"}


def _pk(attr: str, name: str = "pk") -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, attr).pk}


STATION_A = _pk("a")

ROWS: dict[str, Row] = {
    "funding:ledger": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "funding:ledger_export": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "funding:income_create": Row(get=ADMIN_PAGE, post=CREATE_POST, post_data=entry_body),
    "funding:expense_create": Row(get=ADMIN_PAGE, post=CREATE_POST, post_data=expense_body),
    "funding:entry_detail": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("fu_expense")),
    "funding:entry_reverse": Row(
        get=GET_ONLY, post=WRITE_OBJECT, kwargs=_pk("fu_expense"), post_data=reverse_body
    ),
    "funding:voucher_add": Row(
        get=GET_ONLY, post=WRITE_OBJECT, kwargs=_pk("fu_expense"), post_data=voucher_body
    ),
    "funding:voucher": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=_pk("fu_voucher")),
    "funding:stations": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "funding:budgets": Row(get=MANAGE_OBJECT_GET, post=WRITE_OBJECT, kwargs=STATION_A, post_data=budget_body),
    "funding:report": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=STATION_A),
    "funding:report_export": Row(get=MANAGE_OBJECT_GET, post=GET_ONLY, kwargs=STATION_A),
    "api:funding_entries": Row(get=API_READ, post=API_CREATE, post_data=api_entry_body, json=True),
    "api:funding_entry_create": Row(get=API_READ, post=API_CREATE, post_data=api_entry_body, json=True),
    "api:funding_entry_detail": Row(get=API_OBJECT, post=everyone(405), kwargs=_pk("fu_expense", "entry_id")),
    "api:funding_entry_reverse": Row(
        get=everyone(405),
        post=API_CREATE,
        kwargs=_pk("fu_expense", "entry_id"),
        post_data=reverse_body,
        json=True,
    ),
    "api:funding_report": Row(get=API_OBJECT, post=everyone(405), kwargs=_pk("a", "station_id")),
}
