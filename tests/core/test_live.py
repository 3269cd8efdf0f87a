"""Live events (DB3212/T 1124 §7.1 real-time propagation): the brokers, and `/events/<channel>/`
streaming under WSGI (pytest-django's threaded live server) and ASGI (an async generator)."""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connections, transaction
from django.test import AsyncClient, Client
from django.urls import reverse

from dangjian.core import live, live_views
from dangjian.core.live import publish, subscribe

ARTICLE = {"id": 7, "title": "万达广场分站开展主题党日活动", "url": "/news/7/"}
WAIT = 5.0  # seconds a test waits for something that should take milliseconds
T = TypeVar("T")


@pytest.fixture
def in_process(settings) -> None:
    """The embedded default's broker, even when the PostgreSQL pass sets REDIS_URL."""
    settings.REDIS_URL = ""


@pytest.fixture
def streams_end() -> Iterator[None]:
    """End the server-side streams a test opened, so no live-server thread keeps waiting."""
    yield
    live.close_subscriptions()


def publish_and_close(channel: str, event: str, data: dict) -> None:
    """`publish` from a thread of its own, in autocommit (delivered at once); closes the thread's
    database connection, which would otherwise outlive the test."""
    try:
        publish(channel, event, data)
    finally:
        connections.close_all()


def run_async(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on a fresh event loop in a thread of its own (the main thread may already run
    Playwright's loop, where asgiref's async_to_sync refuses to work)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario()).result(timeout=30)


def published(django_capture_on_commit_callbacks, channel: str, event: str, data: dict) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish(channel, event, data)


# ---------------------------------------------------------------- brokers


@pytest.mark.django_db
def test_every_subscriber_of_the_channel_gets_the_event(in_process, django_capture_on_commit_callbacks):
    with subscribe("station-1") as one, subscribe("station-1") as two, subscribe("station-2") as other:
        published(django_capture_on_commit_callbacks, "station-1", "article.published", ARTICLE)

        expected = {"event": "article.published", "data": ARTICLE}
        assert one.get(WAIT) == expected
        assert two.get(WAIT) == expected
        assert other.get(0.2) is None


@pytest.mark.django_db
def test_nothing_is_delivered_before_commit_or_after_rollback(in_process, django_capture_on_commit_callbacks):
    with subscribe("platform") as subscription:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            publish("platform", "article.published", ARTICLE)
            assert subscription.get(0.1) is None  # not yet committed
            transaction.set_rollback(True)
        assert subscription.get(0.2) is None


@pytest.mark.django_db
def test_a_subscriber_in_another_thread_gets_the_event(in_process, django_capture_on_commit_callbacks):
    received: list[object] = []
    with subscribe("platform") as subscription:
        reader = threading.Thread(target=lambda: received.append(subscription.get(WAIT)))
        reader.start()
        published(django_capture_on_commit_callbacks, "platform", "ping", {"n": 1})
        reader.join(WAIT)
    assert received == [{"event": "ping", "data": {"n": 1}}]


@pytest.mark.django_db(transaction=True)
def test_an_async_subscriber_is_woken_by_a_publishing_thread(in_process):
    async def scenario() -> object:
        async with subscribe("station-3") as subscription:
            assert await subscription.async_get(0.05) is None
            await asyncio.to_thread(publish_and_close, "station-3", "ping", {"n": 2})
            return await subscription.async_get(WAIT)

    assert run_async(scenario) == {"event": "ping", "data": {"n": 2}}


def test_closing_ends_a_waiting_subscriber(in_process):
    with subscribe("platform") as subscription:
        closer = threading.Timer(0.1, live.close_subscriptions)
        closer.start()
        assert subscription.get(WAIT) is None
        assert subscription.closed
        closer.join()


@pytest.mark.parametrize("channel", ["", "station-", "station-x", "station-1234567890123", "platform-2"])
def test_bad_channel_names_are_refused(channel: str):
    assert not live.is_valid_channel(channel)
    with pytest.raises(ValueError):
        publish(channel, "ping", {})
    with pytest.raises(ValueError):
        subscribe(channel)


# ---------------------------------------------------------------- Redis (the production broker)

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set")


@needs_redis
@pytest.mark.django_db
def test_events_travel_through_redis(django_capture_on_commit_callbacks):
    raw = redis.Redis.from_url(settings.REDIS_URL).pubsub(ignore_subscribe_messages=True)
    raw.subscribe("dangjian:live:station-41")
    raw.get_message(timeout=WAIT)
    with subscribe("station-41") as subscription, subscribe("station-42") as other:
        assert isinstance(subscription, live.RedisSubscription)
        published(django_capture_on_commit_callbacks, "station-41", "article.published", ARTICLE)

        assert subscription.get(WAIT) == {"event": "article.published", "data": ARTICLE}
        assert other.get(0.3) is None
    message = raw.get_message(timeout=WAIT)
    raw.close()
    assert message is not None
    assert json.loads(message["data"]) == {"event": "article.published", "data": ARTICLE}


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_async_subscribers_read_redis_too():
    async def scenario() -> object:
        async with subscribe("platform") as subscription:
            assert isinstance(subscription, live.RedisSubscription)
            await asyncio.to_thread(publish_and_close, "platform", "ping", {"n": 3})
            return await subscription.async_get(WAIT)

    assert run_async(scenario) == {"event": "ping", "data": {"n": 3}}


# ---------------------------------------------------------------- /events/<channel>/


@pytest.mark.parametrize("channel", ["evil", "station-x", "station_1", "station-1234567890123"])
def test_unknown_channel_is_not_found(client: Client, channel: str, db):
    assert client.get(f"/events/{channel}/").status_code == 404


def read_frame(response: http.client.HTTPResponse) -> list[str]:
    """The lines of the next SSE frame (up to its blank line)."""
    lines = []
    while (line := response.readline().decode()) not in ("\n", ""):
        lines.append(line.rstrip("\n"))
    return lines


def open_stream(base_url: str, channel: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=WAIT)
    connection.request("GET", reverse("core:events", kwargs={"channel": channel}))
    return connection, connection.getresponse()


@pytest.mark.django_db(transaction=True)
def test_stream_delivers_an_event_published_after_it_opened(live_server, streams_end):
    connection, response = open_stream(live_server.url, "station-5")
    try:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["X-Accel-Buffering"] == "no"
        assert read_frame(response) == ["retry: 3000"]  # sent once subscribed

        publish("station-6", "article.published", {"id": 1, "title": "别的站点", "url": "/"})
        publish("station-5", "article.published", ARTICLE)  # autocommit: delivered at once

        event, data = read_frame(response)
        assert event == "event: article.published"
        assert json.loads(data.removeprefix("data: ")) == ARTICLE
    finally:
        connection.close()


@pytest.mark.django_db
def test_sync_stream_sends_heartbeats_and_ends(in_process, monkeypatch):
    monkeypatch.setattr(live_views, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(live_views, "STREAM_SECONDS", 0.3)

    frames = list(live_views.sync_stream("platform"))

    assert frames[0] == b"retry: 3000\n\n"
    assert set(frames[1:]) == {b": ping\n\n"}
    assert 2 <= len(frames) <= 8


@pytest.mark.django_db
def test_wsgi_gets_a_sync_stream(client: Client):
    response = client.get(reverse("core:events", kwargs={"channel": "platform"}))
    assert response.status_code == 200
    assert not response.is_async
    response.close()


@pytest.mark.django_db(transaction=True)
def test_asgi_gets_an_async_stream_that_delivers_events():
    """Under ASGI Django would buffer a sync iterator to its end: the body must be an async generator."""

    async def scenario() -> tuple[bytes, bytes]:
        response = await AsyncClient().get(reverse("core:events", kwargs={"channel": "station-9"}))
        assert response.status_code == 200
        assert response.is_async
        frames = aiter(response.streaming_content)
        try:
            first = await asyncio.wait_for(anext(frames), WAIT)
            await asyncio.to_thread(publish_and_close, "station-9", "article.published", ARTICLE)
            second = await asyncio.wait_for(anext(frames), WAIT)
        finally:
            await frames.aclose()  # type: ignore[attr-defined]
        return first, second

    first, second = run_async(scenario)
    assert first == b"retry: 3000\n\n"
    assert (
        second
        == ("event: article.published\ndata: " + json.dumps(ARTICLE, ensure_ascii=False) + "\n\n").encode()
    )
