"""Payment providers for online dues payment (DB3212/T 1124 §6.3 党费收缴 online).

A provider takes the payer to its own page (`pay_url`) and later tells the platform, by a signed
callback to `/dues/callback/<name>/`, that an order was paid. `verify_callback` turns the raw callback
into a `PaymentNotice` or refuses it with a `CallbackRefused` carrying a machine-readable code.

`DemoProvider` is built in so the whole online flow can be shown where no real gateway is configured; no
money moves, so it exists only where a setting turns it on (`DUES_DEMO_PROVIDER=1`, which `make run` sets) and
`DUES_DEMO_PROVIDER_KEY` holds its own random key (at least 32 characters; never derived from SECRET_KEY,
whose default is in the repository). Otherwise there is no `demo` provider: its callbacks get 404, its payer
page 404, and the pay page and API offer no online payment. Its payer page is `/dues/pay/demo/<order>/`, and
its callbacks are JSON signed with HMAC-SHA256 over the canonical body (keys sorted, no spaces, UTF-8) with
that key, sent in the `X-Dues-Signature` header as hex.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dangjian.dues.amounts import FEN
from dangjian.dues.models import PaymentOrder

SIGNATURE_HEADER = "X-Dues-Signature"
MAX_CALLBACK_BYTES = 4096
DEMO_KEY_MIN_LENGTH = 32


class CallbackRefused(Exception):
    """A callback the platform will not act on; `code` is machine-readable, `message` Chinese."""

    def __init__(self, code: str, message: str, *, order: PaymentOrder | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.order = order


@dataclass(frozen=True)
class PaymentNotice:
    """What a verified callback says: the order was paid this amount in this provider transaction."""

    order_number: str
    transaction_id: str
    amount: Decimal
    paid_at: datetime


class PaymentProvider(Protocol):
    name: str
    label: str

    def pay_url(self, order: PaymentOrder) -> str:
        """Where the payer confirms the payment."""
        ...

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> PaymentNotice:
        """The notice of a genuine callback; `CallbackRefused` for anything else."""
        ...


def canonical_json(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def demo_requested() -> bool:
    """Whether the settings turn the demo gateway on (`DUES_DEMO_PROVIDER`)."""
    return bool(getattr(settings, "DUES_DEMO_PROVIDER", False))


def demo_key_problem() -> str | None:
    """Why `DUES_DEMO_PROVIDER_KEY` cannot sign demo callbacks (Chinese), or None when it can."""
    key = str(getattr(settings, "DUES_DEMO_PROVIDER_KEY", "") or "")
    if not key:
        return "未设置 DUES_DEMO_PROVIDER_KEY（演示支付通道的回调签名密钥）"
    if len(key) < DEMO_KEY_MIN_LENGTH:
        return f"DUES_DEMO_PROVIDER_KEY 过短，至少需要 {DEMO_KEY_MIN_LENGTH} 个字符的随机串"
    return None


def demo_enabled() -> bool:
    """The demo gateway exists only when turned on and given its own key."""
    return demo_requested() and demo_key_problem() is None


def demo_key() -> bytes:
    problem = demo_key_problem()
    if problem is not None:
        raise ImproperlyConfigured(problem)
    return str(getattr(settings, "DUES_DEMO_PROVIDER_KEY", "")).encode()


class DemoProvider:
    """The built-in demo gateway (演示支付): no money moves; everything else is as with a real one."""

    name = "demo"
    label = "演示支付"

    def pay_url(self, order: PaymentOrder) -> str:
        return reverse("dues:demo_pay", kwargs={"order": order.number})

    def sign(self, body: bytes) -> str:
        return hmac.new(demo_key(), body, hashlib.sha256).hexdigest()

    def notice_for(self, order: PaymentOrder) -> PaymentNotice:
        """The gateway's notice of paying `order`. The transaction id is derived from the order, so a payer
        who confirms twice causes the same callback twice — as a real gateway never charges twice."""
        digest = hmac.new(demo_key(), f"txn:{order.number}".encode(), hashlib.sha256).hexdigest()
        return PaymentNotice(order.number, f"DEMO{digest[:24].upper()}", order.amount, timezone.now())

    def signed_callback(self, notice: PaymentNotice) -> tuple[bytes, dict[str, str]]:
        """The body and headers of the callback the gateway sends for `notice`."""
        body = canonical_json(
            {
                "order": notice.order_number,
                "transaction_id": notice.transaction_id,
                "amount": f"{notice.amount:.2f}",
                "paid_at": notice.paid_at.isoformat(),
                "provider": self.name,
            }
        )
        return body, {SIGNATURE_HEADER: self.sign(body)}

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> PaymentNotice:
        payload = _json_object(body)
        signature = str(headers.get(SIGNATURE_HEADER, ""))
        if not hmac.compare_digest(self.sign(canonical_json(payload)).encode(), signature.encode()):
            raise CallbackRefused("bad_signature", "回调签名校验失败")
        return _notice_of(payload)


def _json_object(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_CALLBACK_BYTES:
        raise CallbackRefused("malformed", "回调内容过长")
    try:
        payload = json.loads(body.decode())
    except (UnicodeDecodeError, ValueError):
        raise CallbackRefused("malformed", "回调内容不是有效的 JSON") from None
    if not isinstance(payload, dict):
        raise CallbackRefused("malformed", "回调内容应为 JSON 对象")
    return payload


def _notice_of(payload: Mapping[str, Any]) -> PaymentNotice:
    """Field checks of a signed payload: strings only (the amount a decimal string, never a float)."""
    fields: dict[str, str] = {}
    for name in ("order", "transaction_id", "amount", "paid_at"):
        value = payload.get(name)
        if not isinstance(value, str) or not 0 < len(value) <= 64:
            raise CallbackRefused("malformed", "回调缺少字段或字段格式不正确")
        fields[name] = value
    try:
        amount = Decimal(fields["amount"])
        exact = amount.is_finite() and amount == amount.quantize(FEN)
        paid_at = parse_datetime(fields["paid_at"])
    except (InvalidOperation, ValueError):
        exact, paid_at = False, None
    if not exact or paid_at is None:
        raise CallbackRefused("malformed", "回调金额或时间格式不正确")
    if timezone.is_naive(paid_at):
        paid_at = timezone.make_aware(paid_at)
    return PaymentNotice(fields["order"], fields["transaction_id"], amount, paid_at)


# The Chinese name of every provider this code knows, enabled or not: a receipt outlives a setting.
PROVIDER_LABELS = {DemoProvider.name: DemoProvider.label}


def provider_label(name: str) -> str:
    return PROVIDER_LABELS.get(name, name)


def providers() -> dict[str, PaymentProvider]:
    """The providers the settings enable, the default first; read on every call, so a setting changed
    (or overridden in a test) takes effect at once."""
    enabled: dict[str, PaymentProvider] = {}
    if demo_enabled():
        enabled[DemoProvider.name] = DemoProvider()
    return enabled


def provider_named(name: str) -> PaymentProvider | None:
    """The enabled provider called `name`; None for an unknown or disabled one."""
    return providers().get(name)


def default_provider() -> str | None:
    """The provider new orders go to; None when online payment is not available at all."""
    return next(iter(providers()), None)


def online_payment_available() -> bool:
    return default_provider() is not None
