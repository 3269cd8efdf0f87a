"""Permission-aware Chinese full-text search (DESIGN.md: jieba tokens; PostgreSQL tsvector + GIN, SQLite FTS5).

- Capabilities call `index_document(obj, …)` when an item is published or changes and
  `remove_document(obj)` when it is withdrawn or deleted.
- Pages and the API call `search(query, viewer=…)`.
- `visibility_q(viewer)` is the single rule of who may read an item; capability lists reuse it so
  that a list and the search never disagree.
- A `Viewer` is built from a user by `dangjian.accounts.viewer.viewer_for(user)`: the rule lives
  here, in the shared kernel, but the kernel imports no app of ours, so reading roles stays in accounts.

Text is segmented by jieba (search mode) into space-separated tokens stored in `SearchDocument.tokens`;
the database only ever sees those tokens, never the user's raw query syntax.
"""

from __future__ import annotations

import functools
import logging
import math
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import jieba
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Expression, F, FloatField, Model, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dangjian.core.richtext import plain_text
from dangjian.core.search_models import Audience, SearchDocument

jieba.setLogLevel(logging.WARNING)

PAGE_SIZE = 10
TITLE_WEIGHT = 3  # title tokens are repeated this many times, so a title match outranks a body match
MAX_QUERY_CHARS = 200  # longer input is cut, never rejected
MAX_QUERY_TERMS = 16
SNIPPET_CHARS = 120
SNIPPET_LEAD = 30  # characters of context shown before the first match
MAX_INDEXED_CHARS = 100_000  # of a body; keeps a PostgreSQL tsvector far below its 1 MB limit

_WORD = re.compile(r"[^\W_]+")  # letters and digits; punctuation, operators and "_" separate words
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|br|div|li|h[1-6]|tr|td|th|blockquote|pre|section|article|table|ul|ol|hr|figcaption)\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


# ------------------------------------------------------------------ tokens


@functools.cache
def _segmenter() -> jieba.Tokenizer:
    """jieba's default tokenizer; its dictionary is loaded on first use (about a second), once."""
    jieba.initialize()
    return jieba.dt


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens of `text`: NFKC-normalised, lower-cased, only letters and digits.

    Stable: the same text always gives the same list, in text order, repeats kept."""
    normalized = unicodedata.normalize("NFKC", text or "").lower()
    return [word for piece in _segmenter().cut_for_search(normalized) for word in _WORD.findall(piece)]


def query_terms(query: str) -> list[str]:
    """The distinct tokens of a user's query, in order; at most `MAX_QUERY_TERMS`."""
    terms = dict.fromkeys(tokenize((query or "")[:MAX_QUERY_CHARS]))
    return list(terms)[:MAX_QUERY_TERMS]


def document_tokens(title: str, body_text: str) -> str:
    """What `SearchDocument.tokens` holds: title tokens `TITLE_WEIGHT` times, then the body's tokens."""
    return " ".join(tokenize(title) * TITLE_WEIGHT + tokenize(body_text[:MAX_INDEXED_CHARS]))


def html_to_text(value: str) -> str:
    """Plain text of rich text or plain text: tags dropped by nh3 (block tags become spaces so that
    paragraphs do not run together), entities decoded, whitespace collapsed."""
    spaced = _BLOCK_TAG.sub(lambda match: " " + match.group(0), value or "")
    return _SPACES.sub(" ", plain_text(spaced)).strip()


# ------------------------------------------------------------------ writing the index


def index_document(
    obj: Model,
    *,
    kind: str,
    title: str,
    body_html_or_text: str,
    url: str,
    station_id: int | None,
    audience: str,
    organization_id: int | None = None,
    shared: bool = False,
    published_at: datetime,
) -> None:
    """Create or replace the search document of `obj` (any saved model instance with an integer key).

    `body_html_or_text` may be rich text: it is reduced to plain text. The rule fails closed: an
    organisation item without an organisation, or an unshared station item without a station, is
    visible only to viewers who see everything."""
    if audience not in Audience.values:
        raise ValueError(f"unknown search audience {audience!r}")
    body_text = html_to_text(body_html_or_text)
    title = (title or "").replace("\x00", "").strip()[:200]
    SearchDocument.objects.update_or_create(
        **_target_of(obj),
        defaults={
            "kind": kind,
            "title": title,
            "body_text": body_text,
            "tokens": document_tokens(title, body_text),
            "url": url,
            "station_id": station_id,
            "audience": audience,
            "organization_id": organization_id,
            "shared": shared,
            "published_at": published_at,
        },
    )


def remove_document(obj: Model) -> None:
    """Drop `obj` from the index; nothing happens if it was not indexed."""
    if obj.pk is not None:
        SearchDocument.objects.filter(**_target_of(obj)).delete()


def _target_of(obj: Model) -> dict[str, Any]:
    if not isinstance(obj.pk, int) or obj.pk <= 0:
        raise ValueError("only saved objects with a positive integer key can be indexed")
    return {"target_type": ContentType.objects.get_for_model(obj), "target_id": obj.pk}


# ------------------------------------------------------------------ who may read what


@dataclass(frozen=True)
class Viewer:
    """Who is searching or listing. Build one from a user with `dangjian.accounts.viewer.viewer_for`.

    station_ids: stations whose station-audience items they may read (home station and every station
    where they hold a role); organization_ids: their own organisation and those where they are an
    officer; all_stations: platform and HQ admins, who may read everything."""

    authenticated: bool = False
    station_ids: set[int] = field(default_factory=set)
    all_stations: bool = False
    organization_ids: set[int] = field(default_factory=set)


ANONYMOUS = Viewer()


def visibility_q(viewer: Viewer, prefix: str = "") -> Q:
    """Items `viewer` may read, for any model with fields audience, station, organization and shared.

    - public: everyone;
    - logged_in: any authenticated viewer;
    - station: all_stations, or the item's station is in viewer.station_ids, or the item is shared
      (an HQ item synced to every branch) and the viewer is authenticated with at least one station;
    - organization: all_stations, or the item's organisation is in viewer.organization_ids.

    `prefix` names a relation ("document" or "document__") to filter a model that points at such rows.
    """
    p = f"{prefix.removesuffix('__')}__" if prefix else ""
    if viewer.all_stations:
        return _prefixed(p, audience__in=Audience.values)
    rules = [_prefixed(p, audience=Audience.PUBLIC)]
    if viewer.authenticated:
        rules.append(_prefixed(p, audience=Audience.LOGGED_IN))
    if viewer.station_ids:
        rules.append(_prefixed(p, audience=Audience.STATION, station__in=sorted(viewer.station_ids)))
        if viewer.authenticated:
            rules.append(_prefixed(p, audience=Audience.STATION, shared=True))
    if viewer.organization_ids:
        organizations = sorted(viewer.organization_ids)
        rules.append(_prefixed(p, audience=Audience.ORGANIZATION, organization__in=organizations))
    return functools.reduce(operator.or_, rules)


def _prefixed(prefix: str, **lookups: Any) -> Q:
    return Q(**{prefix + name: value for name, value in lookups.items()})


# ------------------------------------------------------------------ full-text backends


class _FullText(Protocol):
    def matching(self, documents: QuerySet[SearchDocument], terms: Sequence[str]) -> QuerySet[SearchDocument]:
        """`documents` that contain every term."""
        ...

    def score(self, terms: Sequence[str]) -> Expression:
        """Relevance of a matching document; higher is better."""
        ...


class _Fts5:
    """SQLite: join the FTS5 table, `MATCH` each term as a quoted string, rank by bm25 (negated: bm25
    is lower for better matches)."""

    def matching(self, documents: QuerySet[SearchDocument], terms: Sequence[str]) -> QuerySet[SearchDocument]:
        return documents.filter(fts_entry__tokens__match=self.expression(terms))

    def score(self, terms: Sequence[str]) -> Expression:
        return RawSQL("-bm25(core_searchdocument_fts)", [], output_field=FloatField())

    @staticmethod
    def expression(terms: Sequence[str]) -> str:
        """`"t1" AND "t2"`: every term a string literal, so no input can become an FTS5 operator."""
        return " AND ".join('"{}"'.format(term.replace('"', '""')) for term in terms)


class _PostgresTsVector:
    """PostgreSQL: `search_vector @@ plainto_tsquery('simple', 't1 t2')`, ranked by ts_rank.

    `search_vector` is the stored, GIN-indexed `to_tsvector('simple', tokens)` of migration 0004.
    plainto_tsquery ANDs the words and knows no operators, so user input stays data."""

    # Not a model field; only ever used in search's own top-level queries on SearchDocument.
    vector = RawSQL('"core_searchdocument"."search_vector"', [], output_field=SearchVectorField())

    def matching(self, documents: QuerySet[SearchDocument], terms: Sequence[str]) -> QuerySet[SearchDocument]:
        return documents.alias(search_vector=self.vector).filter(search_vector=self.query(terms))

    def score(self, terms: Sequence[str]) -> Expression:
        return SearchRank(self.vector, self.query(terms))

    @staticmethod
    def query(terms: Sequence[str]) -> SearchQuery:
        return SearchQuery(" ".join(terms), config="simple", search_type="plain")


_BACKENDS: dict[str, _FullText] = {"sqlite": _Fts5(), "postgresql": _PostgresTsVector()}


def _backend_for(documents: QuerySet[SearchDocument]) -> _FullText:
    vendor = connections[documents.db].vendor
    try:
        return _BACKENDS[vendor]
    except KeyError:
        raise NotImplementedError(f"full-text search is not available on {vendor}") from None


# ------------------------------------------------------------------ searching


@dataclass(frozen=True)
class SearchHit:
    """One result. `title_html` and `snippet_html` are escaped HTML with `<mark>` around matches."""

    kind: str
    title: str
    title_html: SafeString
    snippet_html: SafeString
    url: str
    published_at: datetime
    station_id: int | None


@dataclass(frozen=True)
class SearchResults:
    """One page of results, best first; `total` counts every visible match."""

    query: str
    terms: tuple[str, ...]
    total: int
    page: int
    page_size: int
    hits: tuple[SearchHit, ...]

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def search(
    query: str,
    *,
    viewer: Viewer,
    kinds: Iterable[str] | None = None,
    station_id: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResults:
    """Documents `viewer` may read that contain every word of `query`, best first, ties newest first.

    kinds: only these kinds ("文章", "党务公开"…); station_id: one station's items plus shared HQ items.
    A page out of range gives the nearest page. At most two queries, whatever the number of matches;
    none for a query without words. Never raises on user input."""
    terms = query_terms(query)
    page_size = max(1, page_size)
    if not terms:
        return SearchResults(query, (), 0, 1, page_size, ())
    documents = _candidates(viewer, kinds=kinds, station_id=station_id)
    backend = _backend_for(documents)
    matches = backend.matching(documents, terms)
    total = matches.count()
    page = _clamp_page(page, total, page_size)
    rows = _page_rows(matches, backend.score(terms), page, page_size) if total else []
    pattern = _pattern(terms)
    hits = tuple(_hit(row, pattern) for row in rows)
    return SearchResults(query, tuple(terms), total, page, page_size, hits)


def _candidates(
    viewer: Viewer, *, kinds: Iterable[str] | None, station_id: int | None
) -> QuerySet[SearchDocument]:
    documents = SearchDocument.objects.filter(visibility_q(viewer))
    if kinds is not None:
        documents = documents.filter(kind__in=list(kinds))
    if station_id is not None:
        documents = documents.filter(Q(station_id=station_id) | Q(shared=True))
    return documents


def _clamp_page(page: int, total: int, page_size: int) -> int:
    last = max(1, math.ceil(total / page_size))
    return min(max(1, page), last)


def _page_rows(
    matches: QuerySet[SearchDocument], score: Expression, page: int, page_size: int
) -> list[SearchDocument]:
    offset = (page - 1) * page_size
    ranked = (
        matches.annotate(score=score)
        .only("kind", "title", "body_text", "url", "published_at", "station")
        .order_by(F("score").desc(), "-published_at", "-id")
    )
    return list(ranked[offset : offset + page_size])


def _hit(document: SearchDocument, pattern: re.Pattern[str] | None) -> SearchHit:
    return SearchHit(
        kind=document.kind,
        title=document.title,
        title_html=_highlight(document.title, pattern),
        snippet_html=_snippet(document.body_text, pattern),
        url=document.url,
        published_at=document.published_at,
        station_id=document.station_id,
    )


# ------------------------------------------------------------------ highlighting


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """`text` HTML-escaped, with every occurrence of a term (ignoring case) wrapped in `<mark>`."""
    return _highlight(text, _pattern(terms))


def snippet(body_text: str, terms: Sequence[str]) -> SafeString:
    """About `SNIPPET_CHARS` characters of `body_text` around the first occurrence of a term, highlighted."""
    return _snippet(body_text, _pattern(terms))


def _pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    return _term_pattern(tuple(terms)) if terms else None


@functools.lru_cache(maxsize=256)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `terms` (not empty), longest first so that "指导员" wins over "指导", ignoring case."""
    alternatives = sorted(set(terms), key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in alternatives), re.IGNORECASE)


def _highlight(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """Every piece of `text` is escaped on its own and the marks go between the pieces, so neither the
    text nor a term can produce markup, and a term can never cut an entity such as `&lt;` in half."""
    pieces: list[str] = []
    position = 0
    for start, end in _spans(text, pattern):
        pieces += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # every piece of text above is escaped


def _spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Where `pattern` matches in `text`, adjacent matches joined ("楼宇党建" is one mark, not two)."""
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(text) if pattern else ():
        if spans and spans[-1][1] == match.start():
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append(match.span())
    return spans


def _snippet(body_text: str, pattern: re.Pattern[str] | None) -> SafeString:
    first = pattern.search(body_text) if pattern else None
    start = max(0, first.start() - SNIPPET_LEAD) if first else 0
    end = min(len(body_text), start + SNIPPET_CHARS)
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(body_text) else ""
    return mark_safe(lead + _highlight(body_text[start:end], pattern) + tail)  # escaped by _highlight
