"""A member cancels a pending online order, or it closes by itself after two hours; its months may then be
ordered again with other months or another amount, and a payment the provider still reports is recorded."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.dues import online
from dangjian.dues.models import DuesPayment, OrderStatus, PaymentOrder
from tests.dues.builders import MONTHLY, count, make_member, now
from tests.dues.conftest import audit_actions
from tests.dues.test_online import deliver, make_order, signed

pytestmark = pytest.mark.django_db


def status_of(order: PaymentOrder) -> str:
    with scopes_disabled():
        return PaymentOrder.objects.get(pk=order.pk).status


def test_a_pending_order_blocks_other_amounts_until_the_member_cancels_it(dues) -> None:
    order = make_order(dues)
    with pytest.raises(ValidationError) as pending:
        make_order(dues, extra=Decimal("10"))
    assert pending.value.code == "order_pending"
    online.order_cancel(order=order, actor=dues.payer.user)
    assert status_of(order) == OrderStatus.CLOSED
    again = make_order(dues, extra=Decimal("10"))
    assert again.pk != order.pk and again.amount == MONTHLY + Decimal("10")
    assert "dues.order.cancel" in audit_actions()


@pytest.mark.parametrize("who", ["treasurer_a", "secretary_a", "own_admin", "other"])
def test_only_the_member_cancels_their_order(dues, who: str) -> None:
    order = make_order(dues)
    actor = make_member(dues.org_a).user if who == "other" else getattr(dues, who)
    with pytest.raises(PermissionDenied):
        online.order_cancel(order=order, actor=actor)
    assert status_of(order) == OrderStatus.PENDING


def test_a_paid_order_cannot_be_cancelled(dues, client) -> None:
    order = make_order(dues)
    deliver(client, *signed(order))
    with pytest.raises(ValidationError) as refused:
        online.order_cancel(order=order, actor=dues.payer.user)
    assert refused.value.code == "order_not_pending"
    assert status_of(order) == OrderStatus.PAID


def test_a_payment_reported_after_cancelling_is_still_recorded(dues, client) -> None:
    order = make_order(dues)
    online.order_cancel(order=order, actor=dues.payer.user)
    answer = deliver(client, *signed(order))
    assert answer.status_code == 200 and count(DuesPayment) == 1
    assert status_of(order) == OrderStatus.PAID


def test_orders_older_than_two_hours_close_and_newer_ones_stay(dues) -> None:
    old = make_order(dues, periods=[now()])
    with scopes_disabled():
        PaymentOrder.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(hours=2, minutes=1)
        )
    fresh_member = make_member(dues.org_a)
    fresh = online.order_create(member=fresh_member, periods=[now()], actor=fresh_member.user)
    assert online.orders_expire() == 1
    assert (status_of(old), status_of(fresh)) == (OrderStatus.CLOSED, OrderStatus.PENDING)
    assert online.orders_expire() == 0  # nothing left to close: idempotent
    assert "dues.order.expire" in audit_actions()
    assert online.orders_expire(now=timezone.now() + online.ORDER_LIFETIME + timedelta(seconds=1)) == 1


def test_the_member_cancels_on_the_page(dues, client) -> None:
    order = make_order(dues)
    client.force_login(dues.payer.user)
    page = client.get("/me/dues/").content.decode()
    assert f"/me/dues/orders/{order.number}/cancel/" in page and "取消订单" in page
    answer = client.post(f"/me/dues/orders/{order.number}/cancel/", follow=True)
    assert "已取消订单" in answer.content.decode()
    assert status_of(order) == OrderStatus.CLOSED


def test_another_persons_order_is_a_404_on_the_page_and_in_the_api(dues, client) -> None:
    order = make_order(dues)
    client.force_login(make_member(dues.org_a).user)
    assert client.post(f"/me/dues/orders/{order.number}/cancel/").status_code == 404
    assert client.post(f"/api/v1/me/dues/orders/{order.number}/cancel").status_code == 404
    assert status_of(order) == OrderStatus.PENDING


def test_the_api_cancels_and_keeps_the_refusal_code(dues, client) -> None:
    order = make_order(dues)
    client.force_login(dues.payer.user)
    url = f"/api/v1/me/dues/orders/{order.number}/cancel"
    first = client.post(url)
    assert first.status_code == 200 and first.json() == {"order": order.number, "status": "closed"}
    second = client.post(url)
    assert second.status_code == 400 and second.json()["code"] == "order_not_pending"
    assert make_order(dues).status == OrderStatus.PENDING
