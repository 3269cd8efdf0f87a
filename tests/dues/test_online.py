"""Online payment through the payment-provider interface (DB3212/T 1124 §6.3 党费收缴): the demo gateway's
signed callback is verified, amount-checked and idempotent — the same callback delivered 10 times, one
after the other or all at once from threads, records exactly one payment (PostgreSQL and SQLite)."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from dangjian.core.models import AuditEvent
from dangjian.dues import online
from dangjian.dues.models import DuesLine, DuesPayment, OrderStatus, PaymentOrder
from dangjian.dues.periods import period_key
from dangjian.dues.providers import SIGNATURE_HEADER, DemoProvider, canonical_json
from tests.dues.builders import MONTHLY, count, generate, lines_of, months_ago, now

CALLBACK_URL = "/dues/callback/demo/"
DELIVERIES = 10


def make_order(dues: Any, periods: list | None = None, extra: Decimal = Decimal("0")) -> PaymentOrder:
    return online.order_create(
        member=dues.payer, periods=periods or [now()], actor=dues.payer.user, extra=extra
    )


def signed(payment_order: PaymentOrder, **changes: Any) -> tuple[bytes, str]:
    """The demo gateway's callback for `order`; `changes` alter the payload and are signed too."""
    provider = DemoProvider()
    body, headers = provider.signed_callback(provider.notice_for(payment_order))
    if changes:
        body = canonical_json({**json.loads(body), **changes})
        headers = {SIGNATURE_HEADER: provider.sign(body)}
    return body, headers[SIGNATURE_HEADER]


def deliver(client: Client, body: bytes, signature: str) -> Any:
    return client.post(
        CALLBACK_URL, data=body, content_type="application/json", headers={SIGNATURE_HEADER: signature}
    )


def refusals() -> list[dict[str, Any]]:
    with scopes_disabled():
        return [e.data for e in AuditEvent.objects.filter(action="dues.callback.refused").order_by("id")]


@pytest.mark.django_db
def test_the_same_callback_ten_times_in_a_row_records_one_payment(dues, client) -> None:
    order = make_order(dues)
    body, signature = signed(order)
    answers = [deliver(client, body, signature) for _ in range(DELIVERIES)]
    assert [a.status_code for a in answers] == [200] * DELIVERIES
    assert [a.json()["duplicate"] for a in answers] == [False] + [True] * (DELIVERIES - 1)
    assert len({a.json()["receipt_no"] for a in answers}) == 1
    assert count(DuesPayment) == 1
    with scopes_disabled():
        payment = DuesPayment.objects.get()
        order.refresh_from_db()
    assert (payment.amount, payment.method, payment.order_id) == (MONTHLY, "online", order.pk)
    assert order.status == OrderStatus.PAID
    assert lines_of(dues.payer)[0].payment_id == payment.pk


def _deliver_from_thread(body: bytes, signature: str, barrier: threading.Barrier, answers: list) -> None:
    try:
        barrier.wait(timeout=30)
        response = deliver(Client(), body, signature)
        answers.append((response.status_code, response.json()))
    finally:
        connection.close()  # each thread has its own connection; close it before the thread ends


@pytest.mark.django_db(transaction=True)
def test_the_same_callback_ten_times_at_once_records_one_payment(dues) -> None:
    generate(dues.org_a, now())
    order = make_order(dues)
    body, signature = signed(order)
    barrier = threading.Barrier(DELIVERIES)
    answers: list = []
    threads = [
        threading.Thread(target=_deliver_from_thread, args=(body, signature, barrier, answers))
        for _ in range(DELIVERIES)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == DELIVERIES
    assert {status for status, _ in answers} == {200}
    assert sorted(answer["duplicate"] for _, answer in answers) == [False] + [True] * (DELIVERIES - 1)
    assert len({answer["receipt_no"] for _, answer in answers}) == 1
    assert count(DuesPayment) == 1
    with scopes_disabled():
        assert DuesLine.objects.filter(payment__isnull=False).count() == 1
        assert PaymentOrder.objects.get(pk=order.pk).status == OrderStatus.PAID


@pytest.mark.django_db
def test_a_forged_signature_is_refused_and_audited(dues, client) -> None:
    order = make_order(dues)
    body, signature = signed(order)
    forged = body.replace(b'"amount":"45.68"', b'"amount":"0.01"')
    for payload, sig in ((forged, signature), (body, "0" * 64), (body, "")):
        response = deliver(client, payload, sig)
        assert response.status_code == 400
        assert response.json()["code"] == "bad_signature"
    assert count(DuesPayment) == 0
    assert [r["code"] for r in refusals()] == ["bad_signature"] * 3


@pytest.mark.django_db
def test_a_wrong_amount_is_refused_and_audited(dues, client) -> None:
    order = make_order(dues)
    body, signature = signed(order, amount="0.01")  # correctly signed, but not the order's amount
    response = deliver(client, body, signature)
    assert response.status_code == 400
    assert response.json()["code"] == "amount_mismatch"
    assert count(DuesPayment) == 0
    with scopes_disabled():
        event = AuditEvent.objects.get(action="dues.callback.refused")
        order.refresh_from_db()
    assert event.data["code"] == "amount_mismatch" and event.station_id == dues.a.pk
    assert event.target_id == str(order.pk)
    assert order.status == OrderStatus.PENDING  # a genuine callback may still come


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"not json", "malformed"),
        (b"[1, 2]", "malformed"),
        (canonical_json({"order": "x"}), "malformed"),
        (
            canonical_json({"order": "x", "transaction_id": "t", "amount": 45.68, "paid_at": "2026-01-01"}),
            "malformed",
        ),
    ],
)
def test_malformed_callbacks_are_refused(dues, client, body: bytes, code: str) -> None:
    response = deliver(client, body, DemoProvider().sign(body))
    assert response.status_code == 400 and response.json()["code"] == code
    assert refusals()[-1]["code"] == code


@pytest.mark.django_db
def test_unknown_order_and_provider(dues, client) -> None:
    order = make_order(dues)
    body, signature = signed(order, order="DO-NO-SUCH-ORDER")
    assert deliver(client, body, signature).json()["code"] == "unknown_order"
    response = client.post("/dues/callback/nopay/", data=b"{}", content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "unknown_provider"
    assert client.get(CALLBACK_URL).status_code == 405


@pytest.mark.django_db
def test_back_payment_older_than_six_months_cannot_be_ordered(dues, client) -> None:
    client.force_login(dues.payer.user)
    response = client.post(
        "/api/v1/me/dues/pay", {"months": [period_key(months_ago(7))]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "补交党费一般不超过 6 个月" in response.json()["message"]
    assert count(PaymentOrder) == 0


@pytest.mark.django_db
def test_the_whole_demo_flow_through_the_pages(dues, client, django_capture_on_commit_callbacks) -> None:
    """Order → the demo gateway's confirmation page → its signed callback → line paid → receipt."""
    generate(dues.org_a, months_ago(1))
    client.force_login(dues.payer.user)
    page = client.get("/me/dues/")
    assert page.status_code == 200
    keys = [o.key for o in page.context["options"]]
    assert period_key(months_ago(1)) in keys and period_key(now()) in keys

    response = client.post(
        "/me/dues/pay/", {"months": [period_key(months_ago(1)), period_key(now())], "extra": "4.64"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        order = PaymentOrder.objects.get()
    assert response["Location"] == f"/dues/pay/demo/{order.number}/"
    assert order.amount == MONTHLY * 2 + Decimal("4.64")

    gateway = client.get(response["Location"])
    assert gateway.status_code == 200 and "确认支付" in gateway.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    with scopes_disabled():
        payment = DuesPayment.objects.get()
    assert confirmed["Location"] == f"/dues/receipts/{payment.pk}/"
    assert [line.payment_id for line in lines_of(dues.payer)] == [payment.pk, payment.pk]
    assert sum(line.extra_paid for line in lines_of(dues.payer)) == Decimal("4.64")

    receipt = client.get(confirmed["Location"]).content.decode()
    assert payment.receipt_no in receipt and "96.00 元" in receipt

    # The gateway may repeat its callback; nothing changes.
    body, signature = signed(order)
    assert deliver(Client(), body, signature).json() == {
        "code": "ok",
        "receipt_no": payment.receipt_no,
        "duplicate": True,
    }
    assert client.post(response["Location"]).status_code == 302  # confirming twice: same payment
    assert count(DuesPayment) == 1
    with scopes_disabled():
        assert dues.payer.user.notifications.filter(title__startswith="党费缴纳成功").exists()


@pytest.mark.django_db
def test_a_member_cannot_pay_someone_elses_order(dues, client) -> None:
    order = make_order(dues)
    other = dues.treasurer_a
    client.force_login(other)
    assert client.get(f"/dues/pay/demo/{order.number}/").status_code == 404
    assert client.post(f"/dues/pay/demo/{order.number}/").status_code == 404
    assert count(DuesPayment) == 0
