"""Rich text from editors is sanitised with nh3 on save (DESIGN.md): no scripts, no event handlers,
no `javascript:` links, only the tags an article needs."""

from __future__ import annotations

import html
import re

import nh3

HTML_TAG = re.compile(r"<[a-zA-Z!/]")

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote", "ul", "ol", "li",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "hr", "span", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(raw: str) -> str:
    """Safe HTML for storage and display. Plain text (no tags) becomes paragraphs."""
    raw = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    if not HTML_TAG.search(raw):
        raw = "".join(f"<p>{html.escape(block.strip())}</p>" for block in raw.split("\n\n") if block.strip())
        raw = raw.replace("\n", "<br>")
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(raw_html: str) -> str:
    return html.unescape(nh3.clean(raw_html or "", tags=set())).strip()
