"""The demo payment gateway is off unless a setting turns it on, and its callback key is its own (security probe
finding 7: callbacks were forgeable with a key derived from the repository's default SECRET_KEY, and `demo` was
always a provider and the default). The default value of the setting itself is checked in a clean process in
tests/test_deploy_settings.py."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from dangjian.dues import online
from dangjian.dues.checks import check_demo_provider_key, check_demo_provider_off_in_production
from dangjian.dues.models import DuesPayment, OrderStatus, PaymentOrder
from dangjian.dues.periods import period_key
from dangjian.dues.providers import DemoProvider, canonical_json, providers
from tests.dues.builders import count, now
from tests.dues.test_online import deliver, make_order, refusals, signed

pytestmark = pytest.mark.django_db


def _secret_key_signature(secret_key: str, body: bytes) -> str:
    """A signature with the key the platform used to derive from SECRET_KEY when none was configured."""
    derived = hmac.new(secret_key.encode(), b"dangjian-dues-demo-provider", hashlib.sha256).digest()
    return hmac.new(derived, body, hashlib.sha256).hexdigest()


def test_with_the_setting_off_there_is_no_demo_gateway(dues, client, settings) -> None:
    order = make_order(dues)  # made while the gateway was on
    body, signature = signed(order)
    settings.DUES_DEMO_PROVIDER = False
    assert providers() == {}

    # A genuinely signed callback finds no such provider: 404, nothing paid.
    response = deliver(Client(), body, signature)
    assert response.status_code == 404 and response.json()["code"] == "unknown_provider"
    assert count(DuesPayment) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING

    # Neither the pages nor the API offer it.
    client.force_login(dues.payer.user)
    assert client.get(f"/dues/pay/demo/{order.number}/").status_code == 404
    assert client.post(f"/dues/pay/demo/{order.number}/").status_code == 404
    page = client.get("/me/dues/").content.decode()
    assert "去支付" not in page and "暂未开通在线缴纳党费" in page
    assert f"/dues/pay/demo/{order.number}/" not in page  # the open order has nowhere to be paid
    assert client.get("/api/v1/me/dues").json()["online_payment"] is False
    response = client.post(
        "/api/v1/me/dues/pay", {"months": [period_key(now())]}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "online_unavailable"
    assert "暂未开通在线缴纳党费" in response.json()["message"]
    followed = client.post("/me/dues/pay/", {"months": [period_key(now())]}, follow=True)
    assert "暂未开通在线缴纳党费" in followed.content.decode()
    with pytest.raises(ValidationError) as refused:
        online.order_create(member=dues.payer, periods=[now()], actor=dues.payer.user)
    assert refused.value.code == "online_unavailable"
    with pytest.raises(ValidationError):
        online.order_create(member=dues.payer, periods=[now()], actor=dues.payer.user, provider="demo")
    assert count(PaymentOrder) == 1 and count(DuesPayment) == 0


def test_with_the_setting_on_the_pages_and_api_offer_it(dues, client) -> None:
    client.force_login(dues.payer.user)
    page = client.get("/me/dues/").content.decode()
    assert "去支付" in page and "暂未开通在线缴纳党费" not in page
    assert client.get("/api/v1/me/dues").json()["online_payment"] is True


def test_turned_on_without_its_own_key_it_stays_off_and_the_check_says_why(dues, settings) -> None:
    settings.DUES_DEMO_PROVIDER_KEY = ""
    assert providers() == {}
    [error] = check_demo_provider_key()
    assert error.id == "dues.E001" and "DUES_DEMO_PROVIDER_KEY" in error.msg
    settings.DUES_DEMO_PROVIDER_KEY = "short"
    assert providers() == {}
    assert "至少需要 32 个字符" in check_demo_provider_key()[0].msg
    settings.DUES_DEMO_PROVIDER = False
    assert check_demo_provider_key() == [] and check_demo_provider_off_in_production() == []


def test_a_deploy_check_warns_while_it_is_on(settings) -> None:
    [warning] = check_demo_provider_off_in_production()
    assert warning.id == "dues.W001" and "生产环境不应开启" in warning.msg


def test_the_callback_key_is_not_derived_from_secret_key(dues, settings) -> None:
    """Whoever knows SECRET_KEY (its default is in the repository) cannot sign a callback: with the gateway's
    own key configured such a signature is refused; with none configured there is no gateway to call."""
    order = make_order(dues)
    body = canonical_json(json.loads(signed(order)[0]))
    forged = _secret_key_signature(settings.SECRET_KEY, body)
    assert DemoProvider().sign(body) != forged

    response = deliver(Client(), body, forged)
    assert response.status_code == 400 and response.json()["code"] == "bad_signature"
    settings.DUES_DEMO_PROVIDER_KEY = ""
    response = deliver(Client(), body, forged)
    assert response.status_code == 404 and response.json()["code"] == "unknown_provider"
    assert count(DuesPayment) == 0
    assert [r["code"] for r in refusals()] == ["bad_signature"]
