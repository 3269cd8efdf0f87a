"""Dues are personal data (DESIGN.md; DB3212/T 1124 §6.3): a member sees only their own; another
organisation's treasurer (in the same station or another) and another station's admin or worker get a
404 on every dues page and API call about org_a, as if it did not exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from dangjian.dues import online
from dangjian.dues.models import DuesPayment
from tests.dues.builders import count, generate, make_member, months_ago, now, pay_cash
from tests.dues.conftest import audit_actions

pytestmark = pytest.mark.django_db

OUTSIDERS = ("treasurer_b", "treasurer_c", "other_admin", "worker_b")


def _objects(dues: Any) -> dict[str, Any]:
    sheet = generate(dues.org_a, now()).sheet
    payment = pay_cash(dues.payer, [months_ago(1)])
    order = online.order_create(member=dues.payer, periods=[now()], actor=dues.payer.user)
    month = {"organization": dues.org_a.pk, "year": sheet.period.year, "month": sheet.period.month}
    org = {"organization": dues.org_a.pk}
    pages = {
        "dues:sheet": month,
        "dues:sheet_generate": month,
        "dues:sheet_close": month,
        "dues:arrears": org,
        "dues:payment_list": org,
        "dues:payment_create": org,
        "dues:declaration_list": org,
        "dues:declaration_create": org,
        "dues:relief_list": org,
        "dues:relief_create": org,
        "dues:setting_edit": org,
        "dues:receipt": {"pk": payment.pk},
        "dues:demo_pay": {"order": order.number},
    }
    api = {
        "api:dues_sheet": {
            "organization_id": dues.org_a.pk,
            "year": sheet.period.year,
            "month": sheet.period.month,
        }
    }
    return {"pages": pages, "api": api, "payment": payment}


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_on_every_dues_page_and_api_of_org_a(dues, client, outsider: str) -> None:
    objects = _objects(dues)
    client.force_login(getattr(dues, outsider))
    wrong = []
    for name, kwargs in {**objects["pages"], **objects["api"]}.items():
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (404, 405):
                wrong.append(f"{method.upper()} {url}: {status}")
            if method == "get" and name in ("dues:sheet", "dues:receipt", "api:dues_sheet") and status != 404:
                wrong.append(f"GET {url} must be 404, got {status}")
    assert not wrong, wrong
    assert count(DuesPayment) == 1
    assert audit_actions("dues.payment.") == ["dues.payment.record"]


def test_outsiders_do_not_see_org_a_in_lists_and_reports(dues, client) -> None:
    _objects(dues)
    for outsider in OUTSIDERS:
        client.force_login(getattr(dues, outsider))
        for url in (
            "/manage/dues/",
            "/manage/dues/reports/",
            f"/manage/dues/reports/?organization={dues.org_a.pk}",
        ):
            body = client.get(url).content.decode()
            assert dues.org_a.name not in body, (outsider, url)
            assert "45.68" not in body


def test_a_member_sees_only_their_own_dues(dues, client) -> None:
    objects = _objects(dues)
    other = make_member(dues.org_a)
    client.force_login(other.user)
    assert client.get(reverse("dues:receipt", kwargs={"pk": objects["payment"].pk})).status_code == 404
    page = client.get("/me/dues/")
    assert objects["payment"].receipt_no not in page.content.decode()
    api = client.get("/api/v1/me/dues").json()
    assert api["payments"] == [] and all(line["status"] != "paid" for line in api["lines"])
    assert client.get("/manage/dues/").status_code == 403


def test_the_payer_and_org_a_keepers_open_the_receipt(dues, client) -> None:
    payment = _objects(dues)["payment"]
    url = reverse("dues:receipt", kwargs={"pk": payment.pk})
    for person in (
        dues.payer.user,
        dues.treasurer_a,
        dues.secretary_a,
        dues.own_admin,
        dues.worker_a,
        dues.hq_admin,
    ):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, person
        assert payment.receipt_no in response.content.decode()


def test_station_admins_look_but_do_not_record(dues, client) -> None:
    _objects(dues)
    client.force_login(dues.own_admin)
    url = reverse("dues:payment_create", kwargs={"organization": dues.org_a.pk})
    assert client.get(url).status_code == 403
    response = client.post(url, {"member": dues.payer.pk, "months": [f"{now():%Y-%m}"], "method": "cash"})
    assert response.status_code == 403
    with scopes_disabled():
        assert DuesPayment.objects.count() == 1
