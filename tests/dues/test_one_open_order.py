"""One open order per member and month (security probe finding 11a): twenty concurrent `POST /api/v1/me/dues/pay`
for one month made twenty pending orders, and paying two of them charged the month twice. Now the database
keeps each month in at most one open order (a partial unique constraint, so it holds on PostgreSQL too), and
a second request gets the open order back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django_scopes import scopes_disabled

from dangjian.dues import online
from dangjian.dues.models import DuesLine, DuesPayment, OrderLine, OrderStatus, PaymentOrder
from dangjian.dues.periods import period_key
from tests.concurrency import run_at_once
from tests.dues.builders import MONTHLY, count, generate, lines_of, months_ago, now
from tests.dues.test_online import CALLBACK_URL, deliver, signed

REQUESTS = 20
PAY_URL = "/api/v1/me/dues/pay"


def _at_once(clients: list[Client], body: dict) -> list[tuple[int, dict[str, Any]]]:
    def pay(index: int) -> tuple[int, dict[str, Any]]:
        response = clients[index].post(PAY_URL, body, content_type="application/json")
        return response.status_code, response.json()

    return run_at_once(pay, len(clients), timeout=120)  # type: ignore[return-value]


def _open_claims() -> list[tuple[int, int]]:
    with scopes_disabled():
        return list(OrderLine.objects.filter(open=True).values_list("order_id", "line_id"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sheet_generated", [True, False], ids=["billed-month", "month-not-yet-billed"])
def test_twenty_concurrent_pay_requests_make_one_order_and_one_charge(dues, sheet_generated: bool) -> None:
    if sheet_generated:
        generate(dues.org_a, now())
    clients = []
    for _ in range(REQUESTS):
        client = Client()
        client.force_login(dues.payer.user)
        clients.append(client)

    answers = _at_once(clients, {"months": [period_key(now())]})

    assert len(answers) == REQUESTS
    assert {status for status, _ in answers} == {201}, answers
    assert len({answer["order"] for _, answer in answers}) == 1  # every request got the same order
    assert count(PaymentOrder) == 1
    [line] = lines_of(dues.payer)
    with scopes_disabled():
        order = PaymentOrder.objects.get()
    assert _open_claims() == [(order.pk, line.pk)]

    # Pay it — the gateway calling back from many threads at once — and the month is charged once.
    body, signature = signed(order)
    paid = _at_once_callbacks(body, signature)
    assert sorted(duplicate for _, duplicate in paid) == [False] + [True] * (len(paid) - 1)
    assert count(DuesPayment) == 1
    with scopes_disabled():
        payment = DuesPayment.objects.get()
        assert payment.amount == MONTHLY
        assert DuesLine.objects.get(pk=line.pk).payment_id == payment.pk
        assert PaymentOrder.objects.get().status == OrderStatus.PAID
    assert _open_claims() == []  # a paid order holds no month open

    # Asking to pay the month again is refused: it is paid.
    again = clients[0].post(PAY_URL, {"months": [period_key(now())]}, content_type="application/json")
    assert again.status_code == 400 and "已缴纳" in again.json()["message"]
    assert count(PaymentOrder) == 1 and count(DuesPayment) == 1


def _at_once_callbacks(body: bytes, signature: str, n: int = 5) -> list[tuple[int, bool]]:
    def deliver_once(_: int) -> tuple[int, bool]:
        response = Client().post(
            CALLBACK_URL, data=body, content_type="application/json", headers={"X-Dues-Signature": signature}
        )
        return response.status_code, response.json()["duplicate"]

    answers = run_at_once(deliver_once, n)
    assert {status for status, _ in answers} == {200}, answers
    return answers


@pytest.mark.django_db
def test_asking_again_for_the_same_months_returns_the_open_order(dues, client) -> None:
    months = [months_ago(1), now()]
    generate(dues.org_a, months_ago(1))
    first = online.order_create(member=dues.payer, periods=months, actor=dues.payer.user, extra=Decimal("2"))
    again = online.order_create(
        member=dues.payer, periods=list(reversed(months)), actor=dues.payer.user, extra=Decimal("2.00")
    )
    assert again.pk == first.pk
    client.force_login(dues.payer.user)
    response = client.post(
        PAY_URL, {"months": [period_key(p) for p in months], "extra": "2"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["order"] == first.number
    assert count(PaymentOrder) == 1
    # The pay page shows the open order and where to go on paying it.
    page = client.get("/me/dues/").content.decode()
    assert first.number in page and f"/dues/pay/demo/{first.number}/" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("months_back", "extra"),
    [((1,), "0"), ((1, 0, -1), "0"), ((1, 0), "5")],
    ids=["fewer-months", "more-months", "other-extra"],
)
def test_other_months_while_some_are_in_an_open_order_are_refused(dues, client, months_back, extra) -> None:
    generate(dues.org_a, months_ago(1))
    order = online.order_create(member=dues.payer, periods=[months_ago(1), now()], actor=dues.payer.user)
    wanted = [months_ago(n) for n in months_back]
    with pytest.raises(ValidationError) as refused:
        online.order_create(member=dues.payer, periods=wanted, actor=dues.payer.user, extra=Decimal(extra))
    assert refused.value.code == "order_pending" and order.number in refused.value.messages[0]

    client.force_login(dues.payer.user)
    body = {"months": [period_key(p) for p in wanted], "extra": extra}
    response = client.post(PAY_URL, body, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "order_pending" and "请先完成该订单的支付" in response.json()["message"]
    page = client.post("/me/dues/pay/", {"months": body["months"], "extra": extra}, follow=True)
    assert "请先完成该订单的支付" in page.content.decode()
    assert count(PaymentOrder) == 1


@pytest.mark.django_db
def test_a_month_left_out_of_a_paid_order_can_be_ordered(dues) -> None:
    generate(dues.org_a, months_ago(1))
    order = online.order_create(member=dues.payer, periods=[now()], actor=dues.payer.user)
    body, signature = signed(order)
    assert deliver(Client(), body, signature).status_code == 200
    later = online.order_create(member=dues.payer, periods=[months_ago(1)], actor=dues.payer.user)
    assert later.pk != order.pk and count(PaymentOrder) == 2


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_open_order_for_a_month(dues) -> None:
    """The rule is a constraint, not only code: a row written past the service is refused too."""
    order = online.order_create(member=dues.payer, periods=[now()], actor=dues.payer.user)
    [line] = lines_of(dues.payer)
    with scopes_disabled():
        other = PaymentOrder.objects.create(
            number="DO-SECOND",
            member=dues.payer,
            organization=dues.org_a,
            station=dues.a,
            provider="demo",
            amount=MONTHLY,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            OrderLine.objects.create(order=other, line=line, station=dues.a)
        OrderLine.objects.create(order=other, line=line, station=dues.a, open=False)  # a closed one may
        assert OrderLine.objects.filter(line=line, open=True).get().order_id == order.pk
