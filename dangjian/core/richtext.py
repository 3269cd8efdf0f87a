"""Rich text from editors is sanitised with nh3 on save (DESIGN.md): no scripts, no event handlers,
no `javascript:` links, only the tags an article needs."""

from __future__ import annotations

import html
import re

import nh3
from django.conf import settings

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
IMAGE_TAG = re.compile(r"<img\b[^>]*>")
IMAGE_SRC = re.compile(r'\ssrc="([^"]*)"')


def is_local_image(src: str) -> bool:
    """Pictures in a body come only from this site's media: the CSP blocks any other origin, so an
    image of a 公众号 or a Word file would be broken for every reader."""
    media_url = settings.MEDIA_URL or ""
    return bool(media_url) and src.strip().startswith(media_url) and ".." not in src


def foreign_image_sources(raw: str) -> list[str]:
    """The `src` of every <img> in `raw` that is not this site's media ("" for a missing or unusable
    one, such as Word's file:/// pictures). nh3 first normalises the markup, so the scan is simple."""
    images = nh3.clean(raw or "", tags={"img"}, attributes={"img": {"src"}}, url_schemes={"http", "https"})
    sources = []
    for tag in IMAGE_TAG.findall(images):
        found = IMAGE_SRC.search(tag)
        src = html.unescape(found.group(1)).strip() if found else ""
        if not is_local_image(src):
            sources.append(src)
    return sources


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_local_image(value):
        return None
    return value


def sanitize_html(raw: str) -> str:
    """Safe HTML for storage and display. Plain text (no tags) becomes paragraphs."""
    raw = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    if not HTML_TAG.search(raw):
        raw = "".join(f"<p>{html.escape(block.strip())}</p>" for block in raw.split("\n\n") if block.strip())
        raw = raw.replace("\n", "<br>")
    cleaned = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )
    # An <img> whose src was not this site's media lost it above; drop the empty tag as well.
    return IMAGE_TAG.sub(lambda m: m.group(0) if IMAGE_SRC.search(m.group(0)) else "", cleaned)


def plain_text(raw_html: str) -> str:
    return html.unescape(nh3.clean(raw_html or "", tags=set())).strip()
