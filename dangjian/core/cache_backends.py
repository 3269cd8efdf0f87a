"""Django's Redis cache backend, with one redis-py client per connection pool, a one-trip `incr`, and publish/subscribe.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every command, and each build fills a
table of some 170 response callbacks: about a tenth of a millisecond of Python per command, as much as the
command's round trip on loopback, on every cached page. A `redis.Redis` holds nothing but its pool and is
safe to share between threads (each command takes a connection from the pool), so one per pool serves every
command; the pool itself stays Django's (and redis-py's, which reconnects after a fork).

Django's `incr` asks EXISTS, then INCRBY: two round trips, and a key evicted in between comes back as
`delta`. Here one script does both, atomically, with the same contract (ValueError for a missing key).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

INCR_EXISTING = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end"


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._incr_existing: Any = None

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    def incr(self, key: Any, delta: int) -> int:
        client = self.get_client(key, write=True)
        if self._incr_existing is None:
            self._incr_existing = client.register_script(INCR_EXISTING)
        value = self._incr_existing(keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)


class RedisCache(DjangoRedisCache):
    """Also a message bus for the cache's users (dangjian.core.cache: renewed page versions), with channel
    names under the cache's key prefix."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    @property
    def bus_identity(self) -> tuple[Any, ...]:
        """Which bus this is: caches with the same identity hear each other's messages."""
        return (tuple(self._servers), self.key_prefix, self.version)  # type: ignore[attr-defined]

    def publish(self, channel: str, message: str) -> None:
        self._cache.get_client(write=True).publish(self.make_key(channel), message)  # type: ignore[attr-defined]

    def subscribe(self, channel: str) -> Any:
        """A redis-py PubSub subscribed to `channel`, its confirmation already taken."""
        pubsub = self._cache.get_client(write=True).pubsub()  # type: ignore[attr-defined]
        pubsub.subscribe(self.make_key(channel))
        confirmation = pubsub.get_message(timeout=2.0)
        if not confirmation or confirmation["type"] != "subscribe":
            pubsub.close()
            raise ConnectionError(f"no subscription to {channel}")
        return pubsub
