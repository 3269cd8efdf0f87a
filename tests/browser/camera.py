"""A fake phone camera for the QR check-in pages: Chromium shows a Y4M video file as the camera.

`qr_png(text)` draws a QR code as a person's phone shows it; `write_y4m(png, path)` turns the picture into a
short Y4M video (YUV 4:2:0 frames, the only format Chromium's file capture reads); `camera_browser(browser,
video)` launches a second Chromium, of the same Playwright, whose camera plays that file and which grants
camera access without asking (the suite's `browser` has no camera)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.browser_support import CHROMIUM_ARGS, chromium_path

WIDTH, HEIGHT = 640, 480


def qr_png(text: str, *, scale: int = 8) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def write_y4m(png: bytes, path: Path, *, frames: int = 10) -> Path:
    """The picture centred on a white 640×480 frame, repeated `frames` times (Chromium loops the file)."""
    from PIL import Image

    picture = Image.open(io.BytesIO(png)).convert("L")
    picture.thumbnail((HEIGHT - 40, HEIGHT - 40))
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    luma = frame.tobytes()  # grey: the luma plane is the picture, both chroma planes are neutral
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path


@contextmanager
def camera_browser(browser: Any, video: Path) -> Iterator[Any]:
    instance = browser.browser_type.launch(
        executable_path=chromium_path(),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        yield instance
    finally:
        instance.close()
