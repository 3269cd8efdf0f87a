"""The length of an MP4 video, read from its movie header box (`moov/mvhd`), so that the server — not the
player — knows how long a video lesson is."""

from __future__ import annotations

import struct
from typing import Any, BinaryIO

MAX_BOXES = 64  # top-level boxes looked at before giving up


def _boxes(stream: BinaryIO, end: int | None) -> Any:
    """(type, payload start, payload size) of the boxes from the stream's position up to `end`."""
    for _ in range(MAX_BOXES):
        start = stream.tell()
        if end is not None and start + 8 > end:
            return
        header = stream.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        offset = 8
        if size == 1:
            size = struct.unpack(">Q", stream.read(8))[0]
            offset = 16
        elif size == 0:
            stream.seek(0, 2)
            size = stream.tell() - start
        if size < offset:
            return
        yield kind, start + offset, size - offset
        stream.seek(start + size)


def mp4_duration(file: Any) -> float | None:
    """Seconds, or None when the file has no readable movie header."""
    try:
        file.seek(0)
        for kind, start, size in _boxes(file, None):
            if kind != b"moov":
                continue
            file.seek(start)
            for inner, inner_start, _ in _boxes(file, start + size):
                if inner == b"mvhd":
                    file.seek(inner_start)
                    return _mvhd_seconds(file.read(32))
        return None
    except (OSError, struct.error):
        return None
    finally:
        file.seek(0)


def _mvhd_seconds(payload: bytes) -> float | None:
    version = payload[0] if payload else None
    if version == 0 and len(payload) >= 20:
        timescale, duration = struct.unpack(">II", payload[12:20])
    elif version == 1 and len(payload) >= 32:
        timescale, duration = struct.unpack(">IQ", payload[20:32])
    else:
        return None
    return duration / timescale if timescale else None
