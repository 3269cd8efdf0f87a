"""Played intervals of a video, in seconds of the video (pure functions, no database).

A heartbeat reports the stretches of the video the player actually played since the last one; what counts
is the union of everything played, never the playhead. `accept` adds the new stretches but only as much
of them as the server's clock allows (`allowance`): what was played before costs nothing and adds nothing,
and what the budget does not cover is dropped, earliest stretches kept first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

Interval = tuple[float, float]
PRECISION = 3  # milliseconds


def _round(value: float) -> float:
    return round(value, PRECISION)


def merge(intervals: Iterable[Sequence[float]]) -> list[Interval]:
    """The union as sorted, disjoint intervals; touching ones are joined, empty ones dropped."""
    merged: list[list[float]] = []
    for start, end in sorted((float(a), float(b)) for a, b in intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(_round(a), _round(b)) for a, b in merged]


def covered(intervals: Iterable[Sequence[float]]) -> float:
    return _round(sum(end - start for start, end in merge(intervals)))


def clip(intervals: Iterable[Sequence[float]], length: float) -> list[Interval]:
    """The parts of `intervals` inside the video (0 to `length`)."""
    return merge((max(0.0, float(a)), min(length, float(b))) for a, b in intervals)


def uncovered(segment: Interval, known: Sequence[Interval]) -> list[Interval]:
    """The parts of `segment` outside the disjoint, sorted `known` intervals."""
    start, end = segment
    parts: list[Interval] = []
    cursor = start
    for a, b in known:
        if b <= cursor:
            continue
        if a >= end:
            break
        if a > cursor:
            parts.append((cursor, min(a, end)))
        cursor = max(cursor, b)
        if cursor >= end:
            break
    if cursor < end:
        parts.append((cursor, end))
    return parts


def take(parts: Sequence[Interval], budget: float) -> list[Interval]:
    """The earliest stretches of `parts` (sorted, disjoint) adding up to at most `budget` seconds."""
    taken: list[Interval] = []
    left = budget
    for start, end in parts:
        if left <= 0:
            break
        stop = min(end, start + left)
        taken.append((start, stop))
        left -= stop - start
    return taken


def accept(
    known: Sequence[Sequence[float]], claimed: Iterable[Sequence[float]], *, length: float, budget: float
) -> tuple[list[Interval], float]:
    """(the new union, seconds newly covered): `claimed` clipped to the video, the parts already played
    left out, and of the rest only the earliest `budget` seconds added."""
    known_merged = merge(known)
    new_parts: list[Interval] = []
    for segment in clip(claimed, length):
        new_parts.extend(uncovered(segment, known_merged))
    added = take(merge(new_parts), max(0.0, budget))
    gained = _round(sum(b - a for a, b in added))
    return merge([*known_merged, *added]), gained


def allowance(*, now: datetime, clock_at: datetime, rate: float, max_gap: float) -> tuple[datetime, float]:
    """(the start of the wall-clock window, the video seconds it allows): the time since the clock last
    advanced, at most `max_gap` seconds (a pause banks no more than about one missed heartbeat), played at
    most at `rate`. The caller moves the clock to `start + gained / rate`, never past `now`."""
    start = max(clock_at, now - timedelta(seconds=max_gap))
    return start, max(0.0, (now - start).total_seconds()) * rate
