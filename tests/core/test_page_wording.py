"""Every page of the access-matrix world, as each role sees it, reads as Chinese: no Django "---------"
placeholder in a select, no English word in the text a person reads (the code samples and the
names of file formats aside), and no date without its year."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_matrix import MATRIX

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "resident", "member", "officer_a", "worker_a", "own_admin", "hq_admin")
NOT_PAGES = {"core:events"}
# Names of formats, standards and units that have no Chinese name a person would recognise.
ALLOWED = {
    "PDF", "Excel", "Office", "Word", "PPT", "WPS", "MP4", "JPEG", "PNG", "GIF", "WebP", "MB", "KB",
    "IP", "DB", "xlsx", "HEIC", "HEIF", "AVIF", "MOV", "QuickTime",
}  # fmt: skip
# A run of ASCII letters, digits and code punctuation; only one of letters alone is a word (`MP4`,
# `own_admin`, `hailing-wanda`, a receipt number `2026DF3A` are codes or data, not English).
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.'-]*")
WORD = re.compile(r"[A-Za-z]{2,}('[a-z]+)?")  # one letter is a designation (A座, 1+N), not a word
SKIPPED_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "template", "noscript", "textarea"}


class _Text(HTMLParser):
    """The text of <body> a person reads: no scripts, no code samples, no attributes but alt/title/placeholder."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        for name, value in attrs:
            if name in {"alt", "title", "placeholder", "aria-label"} and value and self.in_body:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if self.in_body and not self.skipping:
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


# A date shown without its year ("12-02"): lists mix this year's items with last year's.
YEARLESS_DATE = re.compile(r"(?<![\d-])(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])")
FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{2,5}\b")  # 活动方案.pdf


def english_words(html: str, data: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """The English words of a page; `data` are values people typed (user names) that may be ASCII."""
    text = FILE_EXTENSION.sub("", readable_text(html))
    tokens = (t.strip(".'-") for t in TOKEN.findall(text))
    return {t for t in tokens if WORD.fullmatch(t) and t not in ALLOWED and t not in data}


def _pages(world: Any, client: Client) -> list[tuple[str, str]]:
    pages = []
    for name in sorted(MATRIX):
        url_name = name.split(" [", 1)[0]
        if name.startswith("api:") or url_name in NOT_PAGES:
            continue
        row = MATRIX[name]
        url = reverse(url_name, kwargs=row.kwargs(world)) + row.query.format(building=world.building_a.pk)
        response = client.get(url)
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and not response.streaming and html:
            pages.append((url, response.content.decode()))
    return pages


def test_the_reader_sees_through_code_and_scripts() -> None:
    html = "<html><head><title>x</title></head><body><p>导出 Excel</p><code>Authorization: Token</code>"
    html += "<script>var demo = 1;</script><p title='demo'>演示</p></body></html>"
    assert english_words(html) == {"demo"}
    assert YEARLESS_DATE.findall("12-02 与 2026-12-02 07:31") == [("12", "02")]


@pytest.mark.django_db
def test_every_page_is_chinese(matrix_world) -> None:
    from dangjian.accounts.models import User

    usernames = set(User.objects.values_list("username", flat=True))
    problems: list[str] = []
    seen = 0
    for role in ROLES:
        client = Client()
        user = matrix_world.actor(role)
        if user is not None:
            client.force_login(user)
        for url, html in _pages(matrix_world, client):
            seen += 1
            if "---------" in html:
                problems.append(f'{role} {url}: a "---------" placeholder')
            if dates := YEARLESS_DATE.findall(readable_text(html)):
                problems.append(f"{role} {url}: dates without the year {dates}")
            if words := english_words(html, usernames):
                problems.append(f"{role} {url}: English {sorted(words)}")
    assert seen > 100
    assert not problems, "\n".join(problems)
