"""Live events: publish now, every open page of a channel hears it at once (DB3212/T 1124 §7.1
real-time propagation; display screens and portal pages).

`publish("station-12", "article.published", {...})` delivers `{"event": ..., "data": ...}` to every
subscriber of the channel once the current transaction commits. Channels are `platform` and
`station-<id>`. Events are public (the stream needs no login): put only ids, titles and urls in `data`.

Two brokers, chosen by settings:
- `REDIS_URL` set: Redis pub/sub (key `dangjian:live:<channel>`), so the WSGI workers that publish and
  the ASGI process that streams need not be the same process;
- otherwise an in-process broker (per-subscriber queues), which serves every thread of one process:
  `make run` and pytest-django's live server.

Subscribers: `with subscribe(ch) as s: s.get(timeout)` in sync code, `async with subscribe(ch) as s:
await s.async_get(timeout)` under ASGI. `get` answers a message dict, or None on timeout or once the
subscription was closed by `close_subscriptions()`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import re
import threading
import time
import weakref
from abc import ABC, abstractmethod
from functools import cache
from types import TracebackType
from typing import Any, Protocol, Self

import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

logger = logging.getLogger(__name__)

CHANNEL_PATTERN = re.compile(r"^(platform|station-\d{1,12})$")
REDIS_KEY_PREFIX = "dangjian:live:"
# A subscriber this far behind is not reading; further events for it are dropped, not hoarded.
MAX_PENDING = 1000
# Longest single wait on Redis, so a closed subscription notices within this time.
REDIS_POLL_SECONDS = 1.0
SUBSCRIBE_CONFIRM_SECONDS = 5.0

Message = dict[str, Any]


def is_valid_channel(channel: str) -> bool:
    return bool(CHANNEL_PATTERN.fullmatch(channel))


def station_channel(station_id: int) -> str:
    return f"station-{station_id}"


def publish(channel: str, event: str, data: dict[str, Any]) -> None:
    """Deliver `{"event": event, "data": data}` to the channel's subscribers after the current
    transaction commits (at once outside a transaction; never if it rolls back)."""
    if not is_valid_channel(channel):
        raise ValueError(f"invalid live channel {channel!r}")
    payload = json.dumps({"event": event, "data": data}, cls=DjangoJSONEncoder, ensure_ascii=False)
    transaction.on_commit(lambda: _broker().deliver(channel, payload), robust=True)


def subscribe(channel: str) -> Subscription:
    """A subscription to `channel`, listening once entered (`with` or `async with`)."""
    if not is_valid_channel(channel):
        raise ValueError(f"invalid live channel {channel!r}")
    return _broker().subscription(channel)


def close_subscriptions() -> None:
    """End every open subscription of this process: their streams finish and browsers reconnect.
    For a graceful shutdown, and for tests that must not leave streams running."""
    for subscription in _open_subscriptions.snapshot():
        subscription.close()


class Broker(Protocol):
    def deliver(self, channel: str, payload: str) -> None: ...

    def subscription(self, channel: str) -> Subscription: ...


def _broker() -> Broker:
    return _broker_for(settings.REDIS_URL or "")


@cache
def _broker_for(redis_url: str) -> Broker:
    return RedisBroker(redis_url) if redis_url else InProcessBroker()


def _decode(payload: str | bytes) -> Message:
    message: Message = json.loads(payload)
    return message


class _Registry:
    """The open subscriptions of this process (weakly held), for `close_subscriptions`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: weakref.WeakSet[Subscription] = weakref.WeakSet()

    def add(self, subscription: Subscription) -> None:
        with self._lock:
            self._items.add(subscription)

    def discard(self, subscription: Subscription) -> None:
        with self._lock:
            self._items.discard(subscription)

    def snapshot(self) -> list[Subscription]:
        with self._lock:
            return list(self._items)


_open_subscriptions = _Registry()


class Subscription(ABC):
    """One listener on one channel; enter it with `with` (sync) or `async with` (ASGI)."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.closed = False

    def __enter__(self) -> Self:
        self._open()
        _open_subscriptions.add(self)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        _open_subscriptions.discard(self)
        self._close()

    async def __aenter__(self) -> Self:
        await self._async_open()
        _open_subscriptions.add(self)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        _open_subscriptions.discard(self)
        await self._async_close()

    def close(self) -> None:
        """Make `get`/`async_get` answer None from now on (callable from any thread)."""
        self.closed = True

    @abstractmethod
    def get(self, timeout: float) -> Message | None:
        """The next message, or None after `timeout` seconds or once closed."""

    @abstractmethod
    async def async_get(self, timeout: float) -> Message | None:
        """`get` for async code: waits without blocking the event loop."""

    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _close(self) -> None: ...

    @abstractmethod
    async def _async_open(self) -> None: ...

    @abstractmethod
    async def _async_close(self) -> None: ...


# ---------------------------------------------------------------- in-process broker


class InProcessBroker:
    """Thread-safe registry of per-subscriber queues: one process, any number of threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[LocalSubscription]] = {}

    def deliver(self, channel: str, payload: str) -> None:
        with self._lock:
            targets = list(self._subscribers.get(channel, ()))
        for subscription in targets:
            subscription.put(payload)

    def subscription(self, channel: str) -> LocalSubscription:
        return LocalSubscription(self, channel)

    def add(self, subscription: LocalSubscription) -> None:
        with self._lock:
            self._subscribers.setdefault(subscription.channel, set()).add(subscription)

    def remove(self, subscription: LocalSubscription) -> None:
        with self._lock:
            listeners = self._subscribers.get(subscription.channel, set())
            listeners.discard(subscription)
            if not listeners:
                self._subscribers.pop(subscription.channel, None)


_WAKE = ""  # put in a queue by `close()`: not a payload, just ends the wait


class LocalSubscription(Subscription):
    """A queue filled by the publishing thread. An async reader is woken on its own event loop."""

    def __init__(self, broker: InProcessBroker, channel: str) -> None:
        super().__init__(channel)
        self._broker = broker
        self._queue: queue.Queue[str] = queue.Queue(maxsize=MAX_PENDING)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready: asyncio.Event | None = None

    def put(self, payload: str) -> None:
        """Called by the broker from the publishing thread."""
        try:
            self._queue.put_nowait(payload)
        except queue.Full:
            logger.warning("live subscriber of %s is not reading; event dropped", self.channel)
            return
        self._wake_async_reader()

    def close(self) -> None:
        super().close()
        self.put(_WAKE)

    def get(self, timeout: float) -> Message | None:
        if self.closed:
            return None
        try:
            payload = self._queue.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None
        return self._message(payload)

    async def async_get(self, timeout: float) -> Message | None:
        if self._ready is None:
            self._loop, self._ready = asyncio.get_running_loop(), asyncio.Event()
        deadline = time.monotonic() + timeout
        while not self.closed:
            self._ready.clear()
            try:
                return self._message(self._queue.get_nowait())
            except queue.Empty:
                pass
            try:
                await asyncio.wait_for(self._ready.wait(), max(deadline - time.monotonic(), 0))
            except TimeoutError:
                return None
        return None

    def _message(self, payload: str) -> Message | None:
        return None if payload == _WAKE or self.closed else _decode(payload)

    def _wake_async_reader(self) -> None:
        loop, ready = self._loop, self._ready
        if loop is not None and ready is not None and not loop.is_closed():
            loop.call_soon_threadsafe(ready.set)

    def _open(self) -> None:
        self._broker.add(self)

    def _close(self) -> None:
        self._broker.remove(self)

    async def _async_open(self) -> None:
        self._open()

    async def _async_close(self) -> None:
        self._close()


# ---------------------------------------------------------------- Redis broker


def redis_key(channel: str) -> str:
    return REDIS_KEY_PREFIX + channel


class RedisBroker:
    """Redis pub/sub: publishers and streamers may be different processes or machines."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = redis.Redis.from_url(url)

    def deliver(self, channel: str, payload: str) -> None:
        self.client.publish(redis_key(channel), payload)

    def subscription(self, channel: str) -> RedisSubscription:
        return RedisSubscription(self, channel)


class RedisSubscription(Subscription):
    """A Redis PUBSUB connection: redis-py's blocking client in sync code, `redis.asyncio` under ASGI.
    Entering waits for Redis to confirm the subscription, so nothing published afterwards is missed."""

    def __init__(self, broker: RedisBroker, channel: str) -> None:
        super().__init__(channel)
        self._broker = broker
        self._pubsub: Any = None
        self._async_client: aioredis.Redis | None = None
        self._async_pubsub: Any = None

    def get(self, timeout: float) -> Message | None:
        deadline = time.monotonic() + timeout
        while not self.closed and (remaining := deadline - time.monotonic()) > 0:
            message = self._pubsub.get_message(
                ignore_subscribe_messages=True, timeout=min(remaining, REDIS_POLL_SECONDS)
            )
            if message is not None:
                return _decode(message["data"])
        return None

    async def async_get(self, timeout: float) -> Message | None:
        deadline = time.monotonic() + timeout
        while not self.closed and (remaining := deadline - time.monotonic()) > 0:
            message = await self._async_pubsub.get_message(
                ignore_subscribe_messages=True, timeout=min(remaining, REDIS_POLL_SECONDS)
            )
            if message is not None:
                return _decode(message["data"])
        return None

    def _open(self) -> None:
        self._pubsub = self._broker.client.pubsub()
        self._pubsub.subscribe(redis_key(self.channel))
        self._pubsub.get_message(timeout=SUBSCRIBE_CONFIRM_SECONDS)  # the "subscribe" confirmation

    def _close(self) -> None:
        self._pubsub.close()

    async def _async_open(self) -> None:
        self._async_client = aioredis.Redis.from_url(self._broker.url)
        self._async_pubsub = self._async_client.pubsub()
        await self._async_pubsub.subscribe(redis_key(self.channel))
        await self._async_pubsub.get_message(timeout=SUBSCRIBE_CONFIRM_SECONDS)

    async def _async_close(self) -> None:
        await self._async_pubsub.aclose()
        if self._async_client is not None:
            await self._async_client.aclose()
