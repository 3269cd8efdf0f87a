"""Text messages (短信) to mobile numbers: one interface, the gateway chosen by a setting.

No real SMS gateway is reachable from the build machine, so the default `ConsoleSmsSender` writes each
message to the log (and the console) instead of sending it; production names its provider's adapter in
`SMS_SENDER` (a dotted path to a class with a `send(*, mobile, text)` method, made without arguments).
Chinese carriers deliver only messages that carry a registered signature, so every text leaves through
`send_sms`, which puts the platform's signature 【楼宇党建】 in front.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from functools import cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SIGNATURE = "【楼宇党建】"
DEFAULT_SENDER = "dangjian.core.sms.ConsoleSmsSender"


@runtime_checkable
class SmsSender(Protocol):
    """A gateway adapter. `text` already carries the signature; raise `SmsError` if it was not taken."""

    def send(self, *, mobile: str, text: str) -> None: ...


class SmsError(Exception):
    """The gateway refused or could not be reached."""


class ConsoleSmsSender:
    """Development and test gateway: the message goes to the log and to standard error, nowhere else."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.warning("SMS to %s: %s", mobile, text)
        print(f"[短信] {mobile}: {text}", file=sys.stderr)


@dataclass(frozen=True)
class SentMessage:
    mobile: str
    text: str


# Messages taken by `LocmemSmsSender`, oldest first (tests read and clear it, like `mail.outbox`).
outbox: list[SentMessage] = []


class LocmemSmsSender:
    """Keeps messages in `outbox` instead of sending them (tests)."""

    def send(self, *, mobile: str, text: str) -> None:
        outbox.append(SentMessage(mobile=mobile, text=text))


@cache
def _sender_class(path: str) -> type:
    return import_string(path)  # type: ignore[no-any-return]


def sms_sender() -> SmsSender:
    """The configured gateway (`settings.SMS_SENDER`), a fresh instance per call."""
    sender = _sender_class(getattr(settings, "SMS_SENDER", DEFAULT_SENDER))()
    if not isinstance(sender, SmsSender):
        raise TypeError(f"{type(sender).__name__} is not an SmsSender (it needs send(*, mobile, text))")
    return sender


def signed(text: str) -> str:
    """The text with the platform's signature in front (once)."""
    text = text.strip()
    return text if text.startswith(SIGNATURE) else f"{SIGNATURE}{text}"


def send_sms(*, mobile: str, text: str) -> None:
    """Send one signed message through the configured gateway."""
    sms_sender().send(mobile=mobile, text=signed(text))
