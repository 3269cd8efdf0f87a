"""The treasurer's pages and the JSON API of dues (DB3212/T 1124 §6.3 党费收缴): forms go through the
services and explain refusals in Chinese; the API answers amounts as decimal strings."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from dangjian.dues.models import DuesLine, DuesPayment, DuesRelief, IncomeDeclaration, PaymentOrder
from dangjian.dues.periods import period_key
from tests.dues.builders import MONTHLY, count, generate, lines_of, make_member, months_ago, now, pay_cash

pytestmark = pytest.mark.django_db


def sheet_url(dues, period=None) -> str:
    period = period or now()
    return f"/manage/dues/organizations/{dues.org_a.pk}/{period.year}-{period.month}/"


def test_treasurer_generates_and_sees_the_sheet(dues, client) -> None:
    client.force_login(dues.treasurer_a)
    page = client.get(sheet_url(dues))
    assert "尚未生成" in page.content.decode()
    response = client.post(sheet_url(dues) + "generate/", follow=True)
    assert "已生成 1 条党费明细" in response.content.decode()
    client.post(sheet_url(dues) + "generate/")
    assert count(DuesLine) == 1
    body = client.get(sheet_url(dues)).content.decode()
    assert dues.payer.user.display_name in body and "45.68" in body


def test_treasurer_records_cash_through_the_form(dues, client) -> None:
    client.force_login(dues.treasurer_a)
    url = f"/manage/dues/organizations/{dues.org_a.pk}/payments/new/?member={dues.payer.pk}"
    assert client.get(url).status_code == 200
    data = {"member": dues.payer.pk, "months": [period_key(now())], "method": "cash", "extra": "5"}
    response = client.post(url, data)
    with scopes_disabled():
        payment = DuesPayment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dues/receipts/{payment.pk}/"
    assert payment.amount == MONTHLY + Decimal("5.00") and payment.recorded_by == dues.treasurer_a
    again = client.post(url, data)
    assert again.status_code == 200 and "已缴纳，请勿重复缴纳" in again.content.decode()


def test_old_back_payment_refused_on_the_form_with_chinese_message(dues, client) -> None:
    client.force_login(dues.treasurer_a)
    url = f"/manage/dues/organizations/{dues.org_a.pk}/payments/new/"
    response = client.post(
        url, {"member": dues.payer.pk, "months": [period_key(months_ago(7))], "method": "cash"}
    )
    assert response.status_code == 200
    assert "不是可用的选项" in response.content.decode() or "选择一个有效的选项" in response.content.decode()
    assert count(DuesPayment) == 0


@pytest.mark.parametrize(
    ("url", "data", "model"),
    [
        (
            "declarations/new/",
            {"year": "2026", "effective_month": "7", "monthly_base": "8000.00"},
            IncomeDeclaration,
        ),
        (
            "reliefs/new/",
            {
                "kind": "reduction",
                "reduced_amount": "2.00",
                "start": "2026-01",
                "reason": "下岗，支委会研究同意",
            },
            DuesRelief,
        ),
    ],
)
def test_declaration_and_relief_forms(dues, client, url, data, model) -> None:
    client.force_login(dues.treasurer_a)
    full = f"/manage/dues/organizations/{dues.org_a.pk}/{url}"
    response = client.post(full, {"member": dues.payer.pk, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert count(model, member=dues.payer) >= 1


@pytest.mark.parametrize(
    "data",
    [
        {"year": "2026", "effective_month": "13", "monthly_base": "1"},
        {"year": "2026", "effective_month": "1", "monthly_base": "-1"},
        {"year": "2026", "effective_month": "1", "monthly_base": "1e30"},
        {"year": "99999", "effective_month": "1", "monthly_base": "1"},
    ],
)
def test_bad_declarations_are_refused_on_the_form(dues, client, data) -> None:
    client.force_login(dues.treasurer_a)
    before = count(IncomeDeclaration)
    response = client.post(
        f"/manage/dues/organizations/{dues.org_a.pk}/declarations/new/", {"member": dues.payer.pk, **data}
    )
    assert response.status_code == 200
    assert count(IncomeDeclaration) == before


def test_setting_refuses_a_farmer_amount_outside_the_rule(dues, client) -> None:
    client.force_login(dues.treasurer_a)
    url = f"/manage/dues/organizations/{dues.org_a.pk}/settings/"
    assert "1.00" in client.post(url, {"farmer_amount": "1.20"}).content.decode()
    assert client.post(url, {"farmer_amount": "0.50"}).status_code == 302


def test_arrears_list_flags_six_months(dues, client) -> None:
    for n in range(1, 8):
        generate(dues.org_a, months_ago(n))
    client.force_login(dues.treasurer_a)
    body = client.get(f"/manage/dues/organizations/{dues.org_a.pk}/arrears/").content.decode()
    assert "已满 6 个月" in body and "超过补交期限" in body and "319.76" in body  # 7 × 45.68


def test_report_page_and_excel(dues, client) -> None:
    generate(dues.org_a, now())
    other = make_member(dues.org_a, base=Decimal("12000.00"))  # 240.00
    generate(dues.org_a, now())
    pay_cash(dues.payer, [now()])
    client.force_login(dues.hq_admin)
    page = client.get(f"/manage/dues/reports/?year={now().year}")
    body = page.content.decode()
    assert page.status_code == 200 and dues.org_a.name in body
    assert "285.68" in body and "45.68" in body and "16.0%" in body  # due, paid, rate
    response = client.get(f"/manage/dues/reports/export/?year={now().year}&month={now().month}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["按月", "按党组织", "按站点"]
    org_rows = list(book["按党组织"].iter_rows(min_row=3, values_only=True))
    assert org_rows == [(dues.org_a.name, dues.a.name, 285.68, 45.68, 16.0, 240.0, 0.0, 2, 1)]
    assert other.pk


def test_rules_page_shows_the_2008_rule(dues, client) -> None:
    client.force_login(dues.own_admin)
    body = client.get("/manage/dues/rules/").content.decode()
    assert "中组发〔2008〕3号" in body and "1.5%" in body and "3,000.00 元" in body


# ---------------------------------------------------------------- API


def test_api_my_dues(dues, client) -> None:
    generate(dues.org_a, now())
    payment = pay_cash(dues.payer, [now()])
    client.force_login(dues.payer.user)
    data = client.get("/api/v1/me/dues").json()
    assert data["is_member"] and data["organization"] == dues.org_a.name
    [line] = data["lines"]
    assert (
        line["amount_due"] == "45.68"
        and line["status"] == "paid"
        and line["receipt_no"] == payment.receipt_no
    )
    assert data["payments"][0]["months"] == [period_key(now())]
    assert data["unpaid_months"] == 0 and all(isinstance(o["amount"], str) for o in data["payable"])


def test_api_pay_returns_the_providers_url(dues, client) -> None:
    client.force_login(dues.payer.user)
    response = client.post(
        "/api/v1/me/dues/pay",
        {"months": [period_key(now()), period_key(months_ago(1))], "extra": "1.50"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    with scopes_disabled():
        order = PaymentOrder.objects.get()
    assert data["pay_url"] == f"/dues/pay/demo/{order.number}/" and data["amount"] == "92.86"
    assert data["months"] == [period_key(months_ago(1)), period_key(now())]
    assert len(lines_of(dues.payer)) == 2  # the months' lines were made for the order


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"months": []}, 422),
        ({"months": ["2026-13"]}, 422),
        ({"months": ["yesterday"]}, 422),
        ({"months": ["2026-01"], "extra": "-1"}, 422),
        ({"months": ["2026-01"], "extra": 1e30}, 422),
    ],
)
def test_api_pay_refuses_bad_input(dues, client, payload, status) -> None:
    client.force_login(dues.payer.user)
    response = client.post("/api/v1/me/dues/pay", payload, content_type="application/json")
    assert response.status_code == status and response.json()["code"] == "invalid"
    assert count(PaymentOrder) == 0


def test_api_sheet_for_officers(dues, client) -> None:
    generate(dues.org_a, now())
    url = f"/api/v1/organizations/{dues.org_a.pk}/dues-sheets/{now().year}-{now().month}"
    client.force_login(dues.treasurer_a)
    data = client.get(url + "?page_size=1").json()
    assert data["totals"]["due"] == "45.68" and data["count"] == 1
    assert data["lines"][0]["member_name"] == dues.payer.user.display_name
    assert client.get(f"/api/v1/organizations/{dues.org_a.pk}/dues-sheets/2001-1").status_code == 404
    assert client.get(f"/api/v1/organizations/{dues.org_a.pk}/dues-sheets/2001-13").status_code == 404
    client.force_login(dues.treasurer_b)
    assert client.get(url).status_code == 404
