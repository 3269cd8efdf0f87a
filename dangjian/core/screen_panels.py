"""The registry of the panels a station's display screen (电子显示屏, DB3212/T 1124 §6.2) shows beside its
articles (DESIGN.md: core knows no capability; the news screen reads this registry, never another app).

A capability registers a `ScreenPanel` (`register_panel`, from its `AppConfig.ready`):

- `items(station)`: what the panel shows at that station, public only (the screen has no login), in a
  constant number of queries;
- `scopes(code)`: the page-cache scopes (dangjian/core/cache.py) of what it shows there, so that the
  screen's cached page renders afresh as soon as the content changes;
- `next_change(station)`: when the panel stops being true by itself (an activity starting or ending), so a
  cached screen ends then; None when nothing changes with time.

`screen_changed(station_id)` tells the open screens of a station (every station with `everywhere`) to
fetch their items again (the live event `screen.changed`, public: it carries no data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dangjian.core import live
from dangjian.core.registry import Registry

CHANGED_EVENT = "screen.changed"


@dataclass(frozen=True)
class ScreenItem:
    title: str
    starts_at: datetime | None = None  # aware; the screen shows it with the year
    place: str = ""
    note: str = ""  # a short label beside the title: "主题党日", "总站"


Items = Callable[[Any], list[ScreenItem]]
Scopes = Callable[[str], tuple[str, ...]]
NextChange = Callable[[Any], datetime | None]


@dataclass(frozen=True)
class ScreenPanel:
    key: str  # unique, prefixed by the registering app: "activities.upcoming"
    title: str  # "近期活动"
    items: Items
    scopes: Scopes
    next_change: NextChange | None = None
    order: int = 100
    empty_text: str = ""  # shown when there is nothing; the panel is left out when blank


@dataclass(frozen=True)
class ShownPanel:
    panel: ScreenPanel
    items: list[ScreenItem]

    @property
    def title(self) -> str:
        return self.panel.title

    @property
    def key(self) -> str:
        return self.panel.key


_PANELS: Registry[ScreenPanel] = Registry("screen panel")
register_panel = _PANELS.register
unregister_panel = _PANELS.unregister


def registered_panels() -> list[ScreenPanel]:
    return sorted(_PANELS.items(), key=lambda panel: (panel.order, panel.key))


def panels_for(station: Any) -> list[ShownPanel]:
    """The panels the station's screen shows (a panel with nothing to show and no empty text is left out)."""
    shown = (ShownPanel(panel=panel, items=panel.items(station)) for panel in registered_panels())
    return [p for p in shown if p.items or p.panel.empty_text]


def scopes_for(code: str) -> tuple[str, ...]:
    return tuple(scope for panel in registered_panels() for scope in panel.scopes(code))


def next_change(station: Any) -> datetime | None:
    """The earliest moment any panel of the station's screen changes by itself."""
    moments = [
        moment
        for panel in registered_panels()
        if panel.next_change is not None and (moment := panel.next_change(station)) is not None
    ]
    return min(moments, default=None)


def screen_changed(*, station_id: int, everywhere: bool = False) -> None:
    """Open screens of the station (of every station: `everywhere`) fetch their items again, on commit."""
    channel = "platform" if everywhere else live.station_channel(station_id)
    live.publish(channel, CHANGED_EVENT, {})
