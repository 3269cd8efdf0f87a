"""Anonymous pages and expensive aggregates, cached under keys versioned by what they show
(DESIGN.md "Caching"): nothing published is hidden by a cache, nothing withdrawn stays visible.

A *scope* names one thing pages show: `STATIONS` (every page's header lists stations), `station_news("wanda")`
(that station's own articles and the synced ones it hid), `article(12)`… Each scope has a version in the
cache. A cached page is stored under a key made of its URL, the visitor's language and anonymous session,
and the versions of every scope it shows; the services that change a scope call `bump(scope)`, which gives it
a new version once their transaction commits, so the next request of every page that shows it renders afresh.

Versions are random 62-bit numbers, not counters: a version evicted from Redis (maxmemory) comes back as a
number no stored page was ever keyed by, so an eviction can only cause a miss, never a stale hit.

Only anonymous GETs are served from the cache, and only for the query parameters a view names; anything
personal makes the request bypass it (a signed-in user, a pending message, an unknown parameter). The two
parts of a page that differ per request are *slots*: the page is rendered for the cache with a marker in
their place, and each response fills them in — the visitor's own CSRF token (`csrf_marker`, the last
context processor, overrides Django's `csrf_token` while a page is rendered for the cache) and whatever a
view adds (an article's view count). A page served from the cache is byte for byte the page its view renders.

A hit costs no SQL and, on Redis, no round trip: each process keeps the pages it served last (`_LocalPages`,
by their versioned key) and the versions it read, which it forgets as soon as it hears their renewal on
the cache's pub/sub channel (`_Watcher`). Figures that every request changes (an article's readers) are
*counted* in the cache, in batches per process (`count`).

`PAGE_CACHE_SECONDS` bounds how long a page lives (0: nothing is cached), and a view may end it earlier
(`expires`: the next scheduled publication). With the local-memory backend each process has its own cache
and its own versions: run one process (`make run`), or set `REDIS_URL`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cache as memoize
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import translation

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R", bound=HttpResponseBase)
View = Callable[..., HttpResponseBase]

# ---------------------------------------------------------------- scopes (what pages show)

STATIONS = "stations"  # station rows: the header's switcher and current station, station names on pages
STRUCTURE = "structure"  # buildings, units, organisations, places of any station: the home page's figures
PLATFORM_NEWS = "news"  # every live article of every station: the platform home and /news/
SYNCED_NEWS = "news:synced"  # articles synced to every branch (总站同步)
COLUMNS = "news:columns"  # column names and tabs on every article list


def station_structure(code: str) -> str:
    """One station's buildings, units, organisations and places (its portal page)."""
    return f"structure:{code}"


def station_news(code: str) -> str:
    """One station's own live articles and the synced ones it hid (its portal, list and screen)."""
    return f"news:station:{code}"


def article(pk: int) -> str:
    """One article's page: its live copy and attachments."""
    return f"news:article:{pk}"


def organization(pk: int) -> str:
    """One party organisation's name and state."""
    return f"organization:{pk}"


def organization_disclosures(pk: int) -> str:
    """The public disclosures of one organisation (its 党务公开 index)."""
    return f"disclosures:organization:{pk}"


# ---------------------------------------------------------------- versions

VERSION_PREFIX = "pagecache:v:"
PAGE_PREFIX = "pagecache:page:"
VALUE_PREFIX = "pagecache:value:"
FORMAT = 1  # bumped when the layout of a stored page changes


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def _new_version() -> int:
    return secrets.randbits(62)


def versions(scopes: Iterable[str]) -> tuple[int, ...]:
    """The current version of each scope: from this process's memory while it hears every renewal (Redis
    pub/sub, see `_Watcher`), otherwise one cache round trip (a missing version is created)."""
    wanted = tuple(dict.fromkeys(scopes))
    watcher = _watcher()
    found = watcher.versions(wanted) if watcher is not None else _read_versions(wanted)
    return tuple(found[scope] for scope in wanted)


def _read_versions(scopes: Iterable[str]) -> dict[str, int]:
    keys = {VERSION_PREFIX + scope: scope for scope in scopes}
    found = cache.get_many(list(keys))
    for key in keys:
        if key not in found:
            fresh = _new_version()
            found[key] = fresh if cache.add(key, fresh, timeout=None) else cache.get(key, fresh)
    return {scope: found[key] for key, scope in keys.items()}


RENEWALS_CHANNEL = "pagecache:renewed"
LOCAL_VERSION_SECONDS = 2.0  # the longest a version lives in memory should a renewal go unheard


class _Watcher:
    """The versions this process read, kept in memory while it is subscribed to the renewals channel, so
    that a cached page costs no round trip to Redis. `_renew` publishes the scopes it renewed once it has
    stored their new versions; at every read the watcher first takes (without waiting) what arrived on
    its subscription and forgets the versions named there, then answers the rest from memory and reads
    the others from the cache. A version read while a renewal arrived is not kept (`generation`).

    What arrives late is at most a renewal still on the wire when the request came — the same as a request
    that came just before the commit. A lost subscription (an error, or redis-py resubscribing after a
    reconnection, seen as a new confirmation) forgets every version; a subscription that dies silently
    costs at most `LOCAL_VERSION_SECONDS`, the life of a remembered version."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.lock = threading.Lock()
        self.pubsub: Any = None
        self.generation = 0
        self.known: dict[str, tuple[int, float]] = {}
        self.retry_at = 0.0

    def versions(self, scopes: tuple[str, ...]) -> dict[str, int]:
        with self.lock:
            listening = self._listening()
            now = time.monotonic()
            found = {s: entry[0] for s in scopes if (entry := self.known.get(s)) and entry[1] > now}
            generation = self.generation
        missing = [scope for scope in scopes if scope not in found]
        if missing:
            read = _read_versions(missing)
            found.update(read)
            with self.lock:
                if listening and self.generation == generation:
                    until = now + LOCAL_VERSION_SECONDS
                    self.known.update({scope: (version, until) for scope, version in read.items()})
        return found

    def forget(self, scopes: Iterable[str]) -> None:
        with self.lock:
            self.generation += 1
            for scope in scopes:
                self.known.pop(scope, None)

    def _listening(self) -> bool:
        """Subscribed, with every renewal published so far taken in (under the lock)."""
        if self.pubsub is None:
            if time.monotonic() < self.retry_at:
                return False
            try:
                self.pubsub = self.backend.subscribe(RENEWALS_CHANNEL)
            except Exception:
                logger.warning(
                    "page cache: no renewals subscription; reading versions each time", exc_info=True
                )
                self._lose(retry_in=5.0)
                return False
        try:
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                self.generation += 1
                if message["type"] == "message":
                    for scope in json.loads(message["data"]):
                        self.known.pop(scope, None)
                else:  # (re)subscribed: renewals may have been missed meanwhile
                    self.known.clear()
        except Exception:
            logger.warning("page cache: renewals subscription lost", exc_info=True)
            self._lose(retry_in=1.0)
            return False
        return True

    def _lose(self, *, retry_in: float) -> None:
        self.generation += 1
        self.known.clear()
        if self.pubsub is not None:
            with contextlib.suppress(Exception):
                self.pubsub.close()
        self.pubsub = None
        self.retry_at = time.monotonic() + retry_in


_watchers: dict[tuple[Any, ...], _Watcher] = {}
_watchers_lock = threading.Lock()


def _watcher(*, create: bool = True) -> _Watcher | None:
    """This process's watcher of the cache in use, if that cache can publish (Redis; not local memory)."""
    backend: Any = caches["default"]
    identity = getattr(backend, "bus_identity", None)
    if identity is None:
        return None
    key = (os.getpid(), *identity)
    watcher = _watchers.get(key)
    if watcher is None and create:
        with _watchers_lock:
            watcher = _watchers.setdefault(key, _Watcher(backend))
    return watcher


def bump(*scopes: str) -> None:
    """Give each scope a new version once the current transaction commits (at once outside one), so that
    every cached page and value showing it is rendered afresh. Call it in the service, before anything
    that tells browsers to reload (live events are delivered on commit too, in the order registered)."""
    wanted = tuple(dict.fromkeys(scopes))
    if wanted:
        transaction.on_commit(lambda: _renew(wanted), robust=True)


def structure_changed(code: str, *, before: Mapping[str, Any] | None = None, station_id: Any = None) -> None:
    """A station's buildings, units, organisations or places changed: its portal and the platform's
    figures render afresh on commit. A row that moved from another station (`before["station"]`, the
    audit snapshot, is not `station_id`) renews every page, as a change of a station itself does."""
    moved = before is not None and before.get("station") not in (None, station_id)
    bump(STRUCTURE, station_structure(code), *([STATIONS] if moved else []))


def station_changed(code: str) -> None:
    """A station itself changed: its name is in every page's header, so every page renders afresh."""
    bump(STATIONS, STRUCTURE, station_structure(code))


def _renew(scopes: tuple[str, ...]) -> None:
    cache.set_many({VERSION_PREFIX + scope: _new_version() for scope in scopes}, timeout=None)
    watcher = _watcher(create=False)
    if watcher is not None:
        watcher.forget(scopes)  # this process at once; the others when they hear it
    backend: Any = caches["default"]
    if hasattr(backend, "publish"):
        backend.publish(RENEWALS_CHANNEL, json.dumps(scopes))


def _digest(*material: Any) -> str:
    return hashlib.sha256(repr(material).encode()).hexdigest()[:40]


@memoize
def _release() -> str:
    """A fingerprint of the templates and the static manifest, so that a deployment that changes either
    never serves a page rendered by the previous one."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR).resolve()
    engines: list[dict[str, Any]] = settings.TEMPLATES
    folders = [Path(folder) for engine in engines for folder in engine.get("DIRS", [])]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    for folder in folders:
        folder = folder.resolve()
        if base not in folder.parents or not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------- cached values

_MISSING = object()


def cached_value(name: str, *, scopes: Iterable[str], compute: Callable[[], T]) -> T:
    """An expensive read that is the same for everyone (an aggregate over all stations), cached under
    the versions of the scopes it depends on."""
    if not enabled():
        return compute()
    try:
        key = VALUE_PREFIX + name + ":" + _digest(FORMAT, versions(scopes))
        stored = cache.get(key, _MISSING)
    except Exception:  # the cache is down: compute, as without a cache
        logger.exception("cache unavailable; computing %s", name)
        return compute()
    if stored is not _MISSING:
        return stored  # type: ignore[return-value]
    value = compute()
    _store(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def _store(key: str, value: Any, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.exception("cache unavailable; %s not stored", key)


# ---------------------------------------------------------------- counters

COUNTER_PREFIX = "pagecache:count:"
COUNT_BATCH = 20  # a process tells the shared counter its additions in batches of this many…
COUNT_BATCH_SECONDS = 1.0  # …or once this long has passed since it last did


class _Tally:
    __slots__ = ("pending", "shared", "told_at")

    def __init__(self, shared: int, told_at: float) -> None:
        self.shared, self.pending, self.told_at = shared, 0, told_at


_tallies: dict[str, _Tally] = {}
_tallies_lock = threading.Lock()


def count(
    name: str,
    *,
    initial: Callable[[], int],
    told: Callable[[int, int], None] | None = None,
) -> int:
    """Add one to a counter shared by every process and answer the value to show (an article's readers,
    which a cached page shows and every request changes). A process adds up to `COUNT_BATCH` in memory
    and tells the shared counter at most every `COUNT_BATCH_SECONDS` (one round trip per batch, not per
    request), so what it shows is exact for its own additions and at most that late for the others'.
    A counter the cache does not hold (new, or evicted) starts from `initial()` (what the database has
    recorded); `told(total, added)` runs after each batch, for the caller to write the total back."""
    now = time.monotonic()
    with _tallies_lock:
        tally = _tallies.get(name)
        if (
            tally is not None
            and tally.pending + 1 < COUNT_BATCH
            and now - tally.told_at < COUNT_BATCH_SECONDS
        ):
            tally.pending += 1
            return tally.shared + tally.pending
        added = (tally.pending if tally is not None else 0) + 1
        _tallies.pop(name, None)
    key = COUNTER_PREFIX + name
    try:
        total = int(cache.incr(key, added))
    except ValueError:
        cache.add(key, initial(), timeout=None)
        total = int(cache.incr(key, added))
    with _tallies_lock:
        _tallies[name] = _Tally(total, now)
    if told is not None:
        told(total, added)
    return total


# ---------------------------------------------------------------- anonymous pages

CSRF_SLOT = "csrf_token"
LOCAL_PAGES = 256  # pages kept in each process besides the shared cache (a few MB)
QUERY_VALUE = re.compile(r"[\w-]{1,40}")
_CSRF_MARKER_ATTRIBUTE = "_page_cache_csrf_marker"


def anonymous_page(
    scopes: Callable[..., Iterable[str]],
    *,
    query: Iterable[str] = (),
    expires: Callable[[], datetime | None] | None = None,
) -> Callable[[View], View]:
    """Decorator of a page view: anonymous visitors get the page from the cache. `scopes` gets the view's
    URL arguments and names what the page shows; `query` names the parameters that may change it (any
    other parameter bypasses the cache); `expires` says when the page stops being true by itself."""
    names = tuple(query)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return serve_page(
                request,
                scopes=scopes(*args, **kwargs),
                render=lambda markers: view(request, *args, **kwargs),
                query=names,
                expires=expires,
            )

        return wrapped

    return decorator


def serve_page(
    request: HttpRequest,
    *,
    scopes: Iterable[str],
    render: Callable[[Mapping[str, str] | None], R],
    query: Iterable[str] = (),
    expires: Callable[[], datetime | None] | None = None,
    slots: Mapping[str, Callable[[], str]] | None = None,
) -> R | HttpResponse:
    """The page `render` makes, from the cache when the visitor is anonymous. `render(markers)` renders it:
    `markers` is None when the page is not for the cache; otherwise it maps each of `slots` to the text to
    render in its place, and each response gets `slots[name]()` there instead (the page served from the
    cache, as well as the one just rendered)."""
    if not enabled() or not cacheable_request(request, query):
        return render(None)
    fills: dict[str, Callable[[], str]] = {CSRF_SLOT: lambda: get_token(request), **(slots or {})}
    try:
        key = PAGE_PREFIX + _digest(
            FORMAT,
            _release(),
            request.get_full_path(),
            translation.get_language(),
            _anonymous_session(request),
            versions(scopes),
        )
        stored = _local_pages.get(key)
        if stored is None:
            stored = cache.get(key)
            if _is_fresh(stored):
                _local_pages.put(key, stored)
    except Exception:  # the cache is down: serve the page as without a cache
        logger.exception("cache unavailable; %s served uncached", request.path)
        return render(None)
    if _is_fresh(stored):
        content_type, parts, _ = stored
        return HttpResponse(_assemble(parts, fills), content_type=content_type)
    return _render_for_cache(request, key, render, fills, expires)


def _is_fresh(stored: Any) -> bool:
    return isinstance(stored, tuple) and len(stored) == 3 and time.time() < stored[2]


class _LocalPages:
    """The pages this process served last, by their versioned key, so that a hit reads only the versions
    from the shared cache (a few bytes) and not the page. Correct as the shared cache is: the key holds
    the versions read at this request, and an entry ends when the page does."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Any) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_local_pages = _LocalPages(LOCAL_PAGES)


def cacheable_request(request: HttpRequest, query: Iterable[str]) -> bool:
    """An anonymous GET with only the named query parameters (one short value each) and no message
    waiting to be shown."""
    if request.method != "GET" or request.user.is_authenticated:
        return False
    allowed = set(query)
    for name, values in request.GET.lists():
        if name not in allowed or len(values) != 1 or not QUERY_VALUE.fullmatch(values[0]):
            return False
    return len(get_messages(request)) == 0  # type: ignore[arg-type]


def _anonymous_session(request: HttpRequest) -> tuple[tuple[str, str], ...]:
    """An anonymous visitor's session (the station chosen in the switcher) changes the page's header."""
    session = getattr(request, "session", None)
    if session is None:
        return ()
    return tuple(sorted((name, repr(value)) for name, value in session.items()))


def _render_for_cache(
    request: HttpRequest,
    key: str,
    render: Callable[[Mapping[str, str] | None], R],
    fills: Mapping[str, Callable[[], str]],
    expires: Callable[[], datetime | None] | None,
) -> R:
    started = time.time()
    ends = started + settings.PAGE_CACHE_SECONDS
    due = expires() if expires is not None else None  # before rendering: what becomes due meanwhile counts
    if due is not None:
        ends = min(ends, due.timestamp())
    markers = {name: _marker() for name in fills}
    setattr(request, _CSRF_MARKER_ATTRIBUTE, markers[CSRF_SLOT])
    try:
        response = render(markers)
        if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
            response.render()  # type: ignore[attr-defined]
    finally:
        delattr(request, _CSRF_MARKER_ATTRIBUTE)
    if not isinstance(response, HttpResponse):  # streamed: nothing rendered with the markers
        return response
    parts = _split(response.content, markers)
    response.content = _assemble(parts, fills)
    if _storable(request, response) and ends > started:
        stored = (response["Content-Type"], parts, ends)
        _store(key, stored, math.ceil(ends - started))
        _local_pages.put(key, stored)
    return response


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain 200 page that set no cookie and changed no session: the same for every anonymous visitor."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not (session is not None and session.modified)
    )


def _marker() -> str:
    """24 random digits: unique in any page, unchanged by escaping, and a number (for a numeric slot)."""
    return str(secrets.randbelow(9 * 10**23) + 10**23)


def _split(content: bytes, markers: Mapping[str, str]) -> tuple[bytes | str, ...]:
    """The page as literal pieces (bytes) and slot names (str) where the markers were rendered."""
    slot_of = {marker.encode(): name for name, marker in markers.items()}
    pieces = re.split(b"(" + b"|".join(re.escape(m) for m in slot_of) + b")", content)
    return tuple(slot_of[piece] if i % 2 else piece for i, piece in enumerate(pieces) if piece)


def _assemble(parts: Iterable[bytes | str], fills: Mapping[str, Callable[[], str]]) -> bytes:
    """The page with each slot filled for this request (each fill runs once, and only if the page has it)."""
    filled: dict[str, bytes] = {}
    out = []
    for part in parts:
        if isinstance(part, str):
            if part not in filled:
                filled[part] = fills[part]().encode()
            out.append(filled[part])
        else:
            out.append(part)
    return b"".join(out)


def csrf_marker(request: HttpRequest) -> dict[str, str]:
    """Context processor, listed last: while a page is rendered for the cache, `csrf_token` is the slot's
    marker (each response then carries its visitor's own token); otherwise Django's token is untouched."""
    marker = getattr(request, _CSRF_MARKER_ATTRIBUTE, None)
    return {"csrf_token": marker} if marker else {}
