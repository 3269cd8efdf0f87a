"""What dues pages and downloads say: amounts with thousands separators, a Chinese payment channel on the
receipt (it said "demo"), the report downloaded under a Chinese name, Chinese empty choices."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from dangjian.core.templatetags.amounts import yuan
from dangjian.dues import online
from tests.core.test_page_wording import english_words
from tests.dues.builders import generate, make_member, now


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("0"), "0.00"),
        (Decimal("45.68"), "45.68"),
        (Decimal("999.99"), "999.99"),
        (Decimal("1000"), "1,000.00"),
        (Decimal("1234567.8"), "1,234,567.80"),
        (Decimal("-1500.5"), "-1,500.50"),
        ("2500.00", "2,500.00"),
        (None, ""),
    ],
)
def test_yuan(value, shown) -> None:
    assert yuan(value) == shown


@pytest.mark.django_db
def test_sheet_and_report_show_thousands_separators(dues, client) -> None:
    big = make_member(dues.org_b, base=Decimal("250000.00"))  # 2%: 5,000.00 a month
    period = now()
    generate(dues.org_b, period)
    client.force_login(dues.treasurer_b)
    sheet = client.get(
        reverse(
            "dues:sheet", kwargs={"organization": dues.org_b.pk, "year": period.year, "month": period.month}
        )
    ).content.decode()
    assert "250,000.00" in sheet and "5,000.00" in sheet
    assert "250000.00" not in sheet and "5000.00" not in sheet
    report = client.get(reverse("dues:report")).content.decode()
    assert "5,000.00" in report and "5000.00" not in report
    assert big.user.display_name in sheet


@pytest.mark.django_db
def test_receipt_of_an_online_payment_names_the_channel_in_chinese(
    dues, client, django_capture_on_commit_callbacks
) -> None:
    generate(dues.org_a, now())
    order = online.order_create(member=dues.payer, periods=[now()], actor=dues.payer.user)
    with django_capture_on_commit_callbacks(execute=True):
        payment = online.demo_pay(order=order, actor=dues.payer.user).payment
    client.force_login(dues.payer.user)
    body = client.get(reverse("dues:receipt", kwargs={"pk": payment.pk})).content.decode()
    assert "（演示支付，交易号" in body
    assert "demo" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    assert not english_words(body, {dues.payer.user.username})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "name"),
    [("", "党费统计报表-{year}年.xlsx"), ("&month=3", "党费统计报表-{year}年3月.xlsx")],
)
def test_report_downloads_under_a_chinese_name(dues, client, query, name) -> None:
    client.force_login(dues.treasurer_a)
    year = now().year
    response = client.get(f"{reverse('dues:report_export')}?year={year}{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name.format(year=year))}"


@pytest.mark.django_db
def test_treasurer_forms_offer_a_chinese_empty_choice(dues, client) -> None:
    client.force_login(dues.treasurer_a)
    body = client.get(reverse("dues:payment_create", kwargs={"organization": dues.org_a.pk})).content.decode()
    assert "---------" not in body
    assert "请选择…" in body
