"""A registry of things keyed by name, which capabilities fill from their `AppConfig.ready` and core reads
(the calendar feeds, the screen panels): registering a key twice is a programming error."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


T = TypeVar("T", bound=Keyed)


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind  # "calendar feed": named in the error
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        if item.key in self._items:
            raise ValueError(f"{self.kind} {item.key!r} is registered twice")
        self._items[item.key] = item
        return item

    def unregister(self, key: str) -> None:
        """Remove an item (tests that register their own)."""
        self._items.pop(key, None)

    def items(self) -> list[T]:
        """Every item, by key."""
        return [self._items[key] for key in sorted(self._items)]
