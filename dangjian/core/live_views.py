"""`/events/<channel>/`: the live events of a channel as server-sent events (DB3212/T 1124 §7.1
real-time propagation). Public: events carry only what is public (ids, titles, urls).

The stream really streams under both servers: under ASGI (uvicorn) the body is an async generator —
Django would read a sync iterator to the end before sending anything — and under WSGI (gunicorn,
pytest-django's live server) a sync generator. It subscribes before sending its first line, sends a
`: ping` comment every 15 s so proxies keep it open, and ends after 5 minutes; the browser's
EventSource then reconnects after `retry` milliseconds.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from dangjian.core import live

RETRY_MILLISECONDS = 3000
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0

RETRY = f"retry: {RETRY_MILLISECONDS}\n\n".encode()
PING = b": ping\n\n"


@require_GET
def events(request: HttpRequest, channel: str) -> StreamingHttpResponse:
    if not live.is_valid_channel(channel):
        raise Http404
    stream = async_stream(channel) if isinstance(request, ASGIRequest) else sync_stream(channel)
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def sync_stream(channel: str) -> Iterator[bytes]:
    release_database_connections()
    with live.subscribe(channel) as subscription:
        yield RETRY
        deadline = time.monotonic() + STREAM_SECONDS
        while (wait := next_wait(deadline)) and not subscription.closed:
            yield frame(subscription.get(wait))


async def async_stream(channel: str) -> AsyncIterator[bytes]:
    await sync_to_async(release_database_connections)()
    async with live.subscribe(channel) as subscription:
        yield RETRY
        deadline = time.monotonic() + STREAM_SECONDS
        while (wait := next_wait(deadline)) and not subscription.closed:
            yield frame(await subscription.async_get(wait))


def next_wait(deadline: float) -> float:
    """Seconds to wait for the next event: up to the next heartbeat, 0 once the stream is over."""
    return max(min(HEARTBEAT_SECONDS, deadline - time.monotonic()), 0.0)


def frame(message: live.Message | None) -> bytes:
    """One SSE frame: the event, or a heartbeat comment when there was none."""
    if message is None:
        return PING
    data = json.dumps(message.get("data", {}), cls=DjangoJSONEncoder, ensure_ascii=False)
    event = str(message.get("event", "message")).replace("\n", " ").replace("\r", " ")
    return f"event: {event}\ndata: {data}\n\n".encode()


def release_database_connections() -> None:
    """A stream lasts minutes and needs no database: close the connections the middleware opened
    (session, user) instead of holding one per open page. `close_old_connections` would keep them
    under CONN_MAX_AGE. A connection inside an atomic block (a test's transaction) is left alone."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
