"""Small lesson files made from nothing (no download): an MP4 whose movie header states its length (what
`media.mp4_duration` reads; enough for the content check and the server's measurement, not a playable
picture), a PDF of n pages, and an EPUB of chapters. Used by the demo data and the tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from html import escape


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + kind + payload


def mp4_bytes(seconds: int, *, timescale: int = 1000) -> bytes:
    """ftyp + moov/mvhd (version 0) saying the movie lasts `seconds`."""
    mvhd = bytes(4) + struct.pack(">IIII", 0, 0, timescale, seconds * timescale) + bytes(80)
    return box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41") + box(
        b"moov", box(b"mvhd", mvhd)
    )


def pdf_bytes(pages: int, *, title: str = "Lesson") -> bytes:
    """A valid PDF (with its cross-reference table) of `pages` A5 pages, each with a header bar and its
    page number, in the built-in Helvetica (no font embedded)."""
    count = max(1, pages)
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]  # the page tree is filled in below
    font = 3 + 2 * count
    kids = []
    label = "".join(ch for ch in title if ch.isascii() and ch not in "()\\") or "Lesson"
    for page in range(1, count + 1):
        content = (
            f"0.78 0.1 0.1 rg 0 555 420 40 re f BT /F1 14 Tf 1 1 1 rg 24 568 Td ({label}) Tj ET "
            f"BT /F1 48 Tf 0.2 0.2 0.2 rg 170 280 Td ({page} / {count}) Tj ET"
        ).encode()
        kids.append(f"{len(objects) + 1} 0 R")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Contents {len(objects) + 2} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content.decode()}\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {count} >>"
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def epub_bytes(title: str, chapters: list[tuple[str, str]]) -> bytes:
    """An EPUB 3 book: `mimetype` stored first, the container, the package, a navigation document and one
    XHTML file per (heading, paragraph) chapter."""
    names = [f"c{n}.xhtml" for n in range(1, len(chapters) + 1)]
    manifest = "".join(
        f'<item id="c{n}" href="{name}" media-type="application/xhtml+xml"/>'
        for n, name in enumerate(names, start=1)
    )
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(1, len(names) + 1))
    package = (
        '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:dangjian:{zlib.crc32(title.encode()):08x}</dc:identifier>'
        f"<dc:title>{escape(title)}</dc:title><dc:language>zh-CN</dc:language>"
        '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta></metadata>'
        f'<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        f"{manifest}</manifest><spine>{spine}</spine></package>"
    )
    links = "".join(
        f'<li><a href="{name}">{escape(heading)}</a></li>'
        for name, (heading, _) in zip(names, chapters, strict=True)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("OEBPS/content.opf", package, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("OEBPS/nav.xhtml", _xhtml(title, f'<nav epub:type="toc"><ol>{links}</ol></nav>'))
        for name, (heading, text) in zip(names, chapters, strict=True):
            book.writestr(
                f"OEBPS/{name}", _xhtml(heading, f"<h1>{escape(heading)}</h1><p>{escape(text)}</p>")
            )
    return out.getvalue()


def _xhtml(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" lang="zh-CN"><head><meta charset="utf-8"/>'
        f"<title>{escape(title)}</title></head><body>{body}</body></html>"
    )
