"""The funds API: the ledger list (filters, paging, constant queries), recording and reversing entries
with each refusal keeping its code (documented in the OpenAPI schema), budget against actual."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dangjian.funding import services
from dangjian.funding.models import Entry
from tests.api.test_error_codes import documented_codes
from tests.funding.builders import YEAR, on, record

pytestmark = pytest.mark.django_db
API = "/api/v1/funding"


def _post(client, user, path: str, body: dict[str, Any]):
    client.force_login(user)
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _get(client, user, path: str):
    client.force_login(user)
    return client.get(f"{API}{path}")


def _body(fu, **more: Any) -> dict[str, Any]:
    return {
        "station": fu.a.pk,
        "building": fu.tower_a.pk,
        "kind": "expense",
        "line": "activities",
        "amount": "1280.50",
        "occurred_on": on(7).isoformat(),
        "summary": "七一主题党日活动",
        "counterparty": "泰州凤城文印店",
        **more,
    }


def test_the_list_filters_and_pages(fu, client, django_assert_max_num_queries) -> None:
    dues = record(fu.admin_a, fu.a, "income", "dues", "20000")
    record(fu.admin_a, fu.a, "expense", "equipment", "300", when=on(3, year=YEAR - 1))
    record(fu.admin_b, fu.b, "income", "dues", "100")
    services.entry_reverse(actor=fu.admin_a, entry=dues, reason="重复登记")
    response = _get(client, fu.instructor_a, "/entries")
    assert response.status_code == 200 and response.json()["count"] == 3
    assert _get(client, fu.hq_admin, "/entries").json()["count"] == 4
    assert _get(client, fu.hq_admin, f"/entries?station={fu.b.pk}").json()["count"] == 1
    assert _get(client, fu.worker_a, f"/entries?year={YEAR}&kind=income").json()["count"] == 2
    assert _get(client, fu.worker_a, "/entries?line=equipment").json()["count"] == 1
    assert _get(client, fu.member, "/entries").json()["count"] == 0
    assert _get(client, fu.worker_a, "/entries?kind=loan").status_code == 422
    first = _get(client, fu.worker_a, f"/entries/{dues.pk}").json()
    assert first["amount"] in ("20000.00", 20000.0) and first["reversal_id"] is not None
    assert first["line_label"] == "党费拨付" and first["kind_label"] == "收入"
    assert _get(client, fu.admin_b, f"/entries/{dues.pk}").status_code == 404
    client.force_login(fu.hq_admin)
    with django_assert_max_num_queries(8):  # session (read, save), user, grants, count, page: not per row
        assert len(client.get(f"{API}/entries").json()["items"]) == 4


def test_an_entry_is_recorded_and_reversed(fu, client) -> None:
    created = _post(client, fu.worker_a, "/entries", _body(fu))
    assert created.status_code == 201, created.json()
    entry = Entry.objects.get(pk=created.json()["id"])
    assert entry.building == fu.tower_a and str(entry.amount) == "1280.50"
    reversed_ = _post(client, fu.admin_a, f"/entries/{entry.pk}/reverse", {"reason": "活动取消"})
    assert reversed_.status_code == 201 and reversed_.json()["reverses_id"] == entry.pk
    again = _post(client, fu.hq_admin, f"/entries/{entry.pk}/reverse", {"reason": "再冲销"})
    assert again.status_code == 400 and again.json()["code"] == "already_reversed"
    of_reversal = _post(client, fu.hq_admin, f"/entries/{reversed_.json()['id']}/reverse", {"reason": "x"})
    assert of_reversal.json()["code"] == "is_reversal"
    assert "already_reversed" in documented(client, "/entries/{entry_id}/reverse", 400)


def documented(client, path: str, status: int) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return documented_codes(schema, schema["paths"][f"{API}{path}"]["post"], status)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"amount": "-5"}, 400, "amount_not_positive"),
        ({"amount": "0"}, 400, "amount_not_positive"),
        ({"amount": "1.234"}, 422, "invalid"),
        ({"amount": "abc"}, 422, "invalid"),
        ({"line": "dues"}, 400, "invalid_line"),
        ({"line": "loan"}, 422, "invalid"),
        ({"occurred_on": "2199-01-01"}, 400, "future_date"),
        ({"summary": ""}, 422, "invalid"),
    ],
)
def test_bad_bodies_keep_their_code_and_change_nothing(fu, client, change, status, code) -> None:
    response = _post(client, fu.admin_a, "/entries", _body(fu, **change))
    assert (response.status_code, response.json()["code"]) == (status, code), response.json()
    assert not Entry.objects.exists()
    if status == 400:
        assert code in documented(client, "/entries", 400)


def test_a_foreign_building_and_a_reader_are_refused(fu, client) -> None:
    hq_body = _body(fu, building=fu.tower_b.pk)
    wrong = _post(client, fu.hq_admin, "/entries", hq_body)
    assert (wrong.status_code, wrong.json()["code"]) == (400, "wrong_building")
    assert _post(client, fu.admin_a, "/entries", hq_body).status_code == 404  # B's building: not A's to name
    assert _post(client, fu.instructor_a, "/entries", _body(fu, building=None)).status_code == 403
    assert _post(client, fu.admin_b, "/entries", _body(fu, building=None)).status_code == 404
    assert not Entry.objects.exists()


def test_budget_against_actual(fu, client) -> None:
    services.budget_set(
        actor=fu.admin_a, station=fu.a, year=YEAR, amounts={("expense", "activities"): "1000"}
    )
    record(fu.admin_a, fu.a, "expense", "activities", "1280.50")
    response = _get(client, fu.instructor_a, f"/stations/{fu.a.pk}/report?year={YEAR}")
    assert response.status_code == 200
    rows = {row["line"]: row for row in response.json()["expense"]}
    assert rows["activities"]["over"] and float(rows["activities"]["rate"]) == 128.1
    assert rows["training"]["budget"] is None and not rows["training"]["over"]
    assert _get(client, fu.admin_b, f"/stations/{fu.a.pk}/report").status_code == 404
    assert _get(client, fu.admin_a, f"/stations/{fu.a.pk}/report?year=99999").status_code == 422


def test_every_error_of_the_funding_operations_documents_known_codes(client) -> None:
    from dangjian.core.api_errors import ERROR_CODES

    schema = client.get("/api/v1/openapi.json").json()
    problems = []
    for path, operations in schema["paths"].items():
        if not path.startswith(API):
            continue
        for method, operation in operations.items():
            for status in operation["responses"]:
                if int(status) >= 400:
                    codes = documented_codes(schema, operation, int(status))
                    if not codes or set(codes) - set(ERROR_CODES):
                        problems.append(f"{method} {path} {status}: {codes}")
            if "{" in path and not {"404", "422"} <= set(operation["responses"]):
                problems.append(f"{method} {path}: no 404/422")
    assert not problems, problems
