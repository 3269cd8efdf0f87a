"""Chinese full-text search: jieba tokens, FTS5 / tsvector matching, ranking, highlighting, the visibility
rule shared with capability lists, hostile input, and constant query counts. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.viewer import viewer_for
from dangjian.core import search
from dangjian.core.search import ANONYMOUS, SearchResults, Viewer, visibility_q
from dangjian.core.search_models import SearchDocument
from dangjian.stations.models import Station
from tests import factories as f

pytestmark = pytest.mark.django_db

EVERYONE = Viewer(authenticated=True, all_stations=True)
T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)

Index = Callable[..., Station]


@pytest.fixture
def index() -> Index:
    """`index(title, body, **fields)` indexes a fresh target object and returns it."""
    clock = itertools.count()

    def add(title: str, body: str = "", *, when: dt.datetime | None = None, **fields: object) -> Station:
        target = f.StationFactory()
        defaults: dict[str, object] = {"kind": "文章", "station_id": None, "audience": "public"}
        search.index_document(
            target,
            title=title,
            body_html_or_text=body,
            url=f"/items/{target.pk}/",
            published_at=when or T0 + dt.timedelta(minutes=next(clock)),
            **{**defaults, **fields},  # type: ignore[arg-type]
        )
        return target

    return add


def titles(results: SearchResults) -> list[str]:
    return [hit.title for hit in results.hits]


# ------------------------------------------------------------------ tokens


def test_tokenize_segments_chinese_without_spaces() -> None:
    tokens = search.tokenize("党建指导员培训班开班")
    assert {"党建", "指导员", "培训班"} <= set(tokens)
    assert search.tokenize("党建指导员培训班开班") == tokens  # stable


def test_tokenize_drops_punctuation_and_operators_and_lowercases() -> None:
    tokens = search.tokenize('“楼宇党建”！ NEAR("A" OR b*) -c:d & e|f ＡＢＣ２０２４')
    assert tokens == ["楼宇", "党建", "near", "a", "or", "b", "c", "d", "e", "f", "abc2024"]
    assert search.tokenize("") == search.tokenize(" ，。！？ ") == []


def test_html_is_reduced_to_text() -> None:
    text = search.html_to_text("<p>第一段&amp;</p><p>党建<b>引领</b></p><script>evil()</script>")
    assert text == "第一段& 党建引领"


# ------------------------------------------------------------------ matching and ranking


@pytest.fixture
def articles(index: Index) -> None:
    index("楼宇党建联盟签约仪式在万达广场举行", "十二家驻楼企业党组织共同签约。")
    index("党建指导员培训班开班", "全区四十名指导员参加培训。")
    index("关于开展主题党日活动的通知", "各支部结合楼宇党建实际开展活动。")
    index("社区志愿服务活动", "居民踊跃参加。")


def test_finds_term_in_title_or_body(articles: None) -> None:
    results = search.search("党建", viewer=ANONYMOUS)
    assert results.total == 3
    assert set(titles(results)) == {
        "楼宇党建联盟签约仪式在万达广场举行",
        "党建指导员培训班开班",
        "关于开展主题党日活动的通知",
    }


def test_finds_word_inside_unspaced_text(articles: None) -> None:
    assert titles(search.search("指导员", viewer=ANONYMOUS)) == ["党建指导员培训班开班"]


def test_every_word_must_match(articles: None) -> None:
    assert titles(search.search("党建 通知", viewer=ANONYMOUS)) == ["关于开展主题党日活动的通知"]
    assert search.search("党建 火星", viewer=ANONYMOUS).total == 0


def test_title_match_ranks_above_body_match(index: Index) -> None:
    index("党建工作例会召开", "会议部署下季度工作。", when=T0)
    index("社区志愿服务活动", "活动由楼宇党建联盟组织。", when=T0 + dt.timedelta(days=30))
    assert titles(search.search("党建", viewer=ANONYMOUS)) == ["党建工作例会召开", "社区志愿服务活动"]


def test_equal_scores_list_newest_first(index: Index) -> None:
    for day in (3, 1, 2):
        index(f"党建简报第{day}期", when=T0 + dt.timedelta(days=day))
    assert titles(search.search("党建简报", viewer=ANONYMOUS)) == [
        "党建简报第3期",
        "党建简报第2期",
        "党建简报第1期",
    ]


def test_reindexing_replaces_the_document(index: Index) -> None:
    target = index("旧标题党建")
    search.index_document(
        target,
        kind="文章",
        title="新标题廉政",
        body_html_or_text="",
        url="/x/",
        station_id=None,
        audience="public",
        published_at=T0,
    )
    assert SearchDocument.objects.count() == 1
    assert search.search("党建", viewer=ANONYMOUS).total == 0
    assert titles(search.search("廉政", viewer=ANONYMOUS)) == ["新标题廉政"]


def test_removal_drops_the_document(articles: None, index: Index) -> None:
    target = index("党建阵地开放日")
    assert search.search("阵地", viewer=ANONYMOUS).total == 1
    search.remove_document(target)
    search.remove_document(target)  # removing twice is harmless
    assert search.search("阵地", viewer=ANONYMOUS).total == 0
    assert search.search("党建", viewer=ANONYMOUS).total == 3


def test_kind_and_station_filters(world, index: Index) -> None:
    index("党建文章", station_id=world.a.pk)
    index("党建公开", kind="党务公开", station_id=world.a.pk)
    index("党建分站B", station_id=world.b.pk)
    index("党建总站同步", station_id=world.hq.pk, shared=True)
    assert titles(search.search("党建", viewer=EVERYONE, kinds=["党务公开"])) == ["党建公开"]
    assert search.search("党建", viewer=EVERYONE, kinds=[]).total == 0
    in_a = search.search("党建", viewer=EVERYONE, station_id=world.a.pk)
    assert set(titles(in_a)) == {"党建文章", "党建公开", "党建总站同步"}


# ------------------------------------------------------------------ highlighting


def test_title_and_snippet_are_highlighted(articles: None) -> None:
    (hit,) = search.search("党建 通知", viewer=ANONYMOUS).hits
    assert hit.title_html == "关于开展主题党日活动的<mark>通知</mark>"
    assert "<mark>党建</mark>" in hit.snippet_html
    assert hit.url.startswith("/items/")
    assert hit.kind == "文章"
    assert hit.published_at is not None


def test_snippet_is_cut_around_the_first_match(index: Index) -> None:
    index("会议纪要", "前言" * 100 + "党建引领发展" + "后记" * 100)
    (hit,) = search.search("党建", viewer=ANONYMOUS).hits
    assert hit.snippet_html.startswith("…") and hit.snippet_html.endswith("…")
    assert "<mark>党建</mark>引领发展" in hit.snippet_html
    assert len(hit.snippet_html) < search.SNIPPET_CHARS + 40


def test_markup_in_indexed_text_comes_back_escaped(index: Index) -> None:
    index('<script>alert("党建")</script><img src=x onerror=alert(1)>', "<p>a &lt;b&gt; 党建 &amp; c</p>")
    (hit,) = search.search("党建", viewer=ANONYMOUS).hits
    assert "<script" not in hit.title_html and "<img" not in hit.title_html
    assert hit.title_html.startswith("&lt;script&gt;alert(&quot;<mark>党建</mark>&quot;)")
    assert hit.snippet_html == "a &lt;b&gt; <mark>党建</mark> &amp; c"


def test_a_term_never_cuts_an_entity() -> None:
    assert search.highlight("a<b>lt", ["lt"]) == "a&lt;b&gt;<mark>lt</mark>"
    assert search.highlight("<x>", []) == "&lt;x&gt;"


def test_adjacent_and_overlapping_terms_make_one_mark() -> None:
    assert search.highlight("楼宇党建联盟", ["楼宇", "党建"]) == "<mark>楼宇党建</mark>联盟"
    assert search.highlight("党建指导员", ["指导", "指导员"]) == "党建<mark>指导员</mark>"
    assert search.highlight("Party 党建 PARTY", ["party"]) == "<mark>Party</mark> 党建 <mark>PARTY</mark>"


def test_nul_characters_are_dropped_before_storing(index: Index) -> None:
    index("党建\x00简报", "正文\x00内容")
    (hit,) = search.search("党建", viewer=ANONYMOUS).hits
    assert hit.title == "党建简报"


# ------------------------------------------------------------------ visibility


@pytest.fixture
def audiences(world, index: Index) -> None:
    index("党建公开", audience="public", station_id=world.a.pk)
    index("党建登录", audience="logged_in", station_id=world.b.pk)
    index("党建A站", audience="station", station_id=world.a.pk)
    index("党建B站", audience="station", station_id=world.b.pk)
    index("党建总站同步", audience="station", station_id=world.hq.pk, shared=True)
    index("党建总站内部", audience="station", station_id=world.hq.pk)
    index("党建A组织", audience="organization", station_id=world.a.pk, organization_id=world.org_a.pk)
    index("党建B组织", audience="organization", station_id=world.b.pk, organization_id=world.org_b.pk)


def visible(viewer: Viewer) -> set[str]:
    return set(titles(search.search("党建", viewer=viewer, page_size=50)))


def test_anonymous_sees_public_only(audiences: None) -> None:
    assert (
        visible(ANONYMOUS)
        == visible(viewer_for(AnonymousUser()))
        == visible(viewer_for(None))
        == {"党建公开"}
    )


def test_user_without_station_sees_public_and_logged_in(world, audiences: None) -> None:
    assert visible(viewer_for(world.resident)) == {"党建公开", "党建登录"}


def test_station_user_sees_own_station_and_shared_items(world, audiences: None) -> None:
    expected = {"党建公开", "党建登录", "党建A站", "党建总站同步"}
    assert visible(viewer_for(world.worker_a)) == expected  # a role at A
    world.resident.home_station = world.a  # home station A
    world.resident.save()
    assert visible(viewer_for(world.resident)) == expected
    assert visible(viewer_for(world.other_admin)) == {"党建公开", "党建登录", "党建B站", "党建总站同步"}


def test_organization_items_only_for_that_organization(world, audiences: None) -> None:
    member_sees = visible(viewer_for(world.member))  # a member of org A, no station
    assert member_sees == {"党建公开", "党建登录", "党建A组织"}
    officer_sees = visible(viewer_for(world.officer_a))  # an officer of org A, role at A
    assert officer_sees == {"党建公开", "党建登录", "党建A站", "党建总站同步", "党建A组织"}
    assert "党建A组织" not in visible(viewer_for(world.own_admin))


def test_platform_and_hq_admins_see_everything(world, audiences: None) -> None:
    everything = visible(EVERYONE)
    assert len(everything) == 8
    assert visible(viewer_for(world.hq_admin)) == everything
    superuser = f.UserFactory(is_superuser=True)
    assert visible(viewer_for(superuser)) == everything


def test_viewer_for_reads_roles_once(world, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        viewer = viewer_for(world.officer_a)
        viewer_for(world.officer_a)
    assert viewer == Viewer(
        authenticated=True, station_ids={world.a.pk}, organization_ids={world.org_a.pk}, all_stations=False
    )


def _lookups(q: Q) -> Iterable[str]:
    for child in q.children:
        yield from _lookups(child) if isinstance(child, Q) else [child[0]]


@pytest.mark.parametrize("prefix", ["document", "document__"])
def test_visibility_q_prefixes_every_lookup(prefix: str) -> None:
    viewer = Viewer(authenticated=True, station_ids={1}, organization_ids={2})
    lookups = list(_lookups(visibility_q(viewer, prefix=prefix)))
    assert lookups and all(name.startswith("document__") and "____" not in name for name in lookups)
    assert {name.removeprefix("document__") for name in lookups} == set(_lookups(visibility_q(viewer)))


# ------------------------------------------------------------------ hostile input

HOSTILE_QUERIES = [
    "",
    "   ",
    "，。！？、；：“”‘’（）【】《》",
    '"',
    '""',
    "'",
    "党建*",
    "*",
    "NEAR(党建 指导员)",
    "NEAR",
    "-党建",
    "党建:",
    "tokens:党建",
    "^党建",
    "党建 AND OR NOT",
    "AND",
    "&|!()",
    "党建 & !指导 | (培训",
    "党建:* & 'x':A",
    "'; DROP TABLE core_searchdocument; --",
    '" OR 1=1 --',
    '党建" OR "1',
    "\\",
    "%_%",
    "\x00党建\x00",
    "<script>alert(1)</script>",
    "{}[]<>~`@#$^=+",
    "\u200b\u200d\ufeff",
    "İstanbul ß ﬁ",
    "🇨🇳👍党建🎉",
    "党" * 1000,
    "党建 " * 500,
    "a" * 1000,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_query_never_raises(articles: None, query: str) -> None:
    results = search.search(query, viewer=ANONYMOUS, page=-5)
    assert isinstance(results, SearchResults)
    assert len(results.hits) <= min(results.total, results.page_size)
    assert search.search("党建", viewer=ANONYMOUS).total == 3  # the connection is still usable


@pytest.mark.parametrize(
    "query",
    [
        "党建*",
        "-党建",
        "党建:",
        "^党建",
        '"党建"',
        "(党建)",
        "\x00党建\x00",
        "👍党建🎉",
        "党建 " * 500,
    ],
)
def test_operators_are_dropped_and_words_kept(articles: None, query: str) -> None:
    assert search.search(query, viewer=ANONYMOUS).total == 3


def test_empty_query_costs_no_query(articles: None, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        results = search.search("  ！？ ", viewer=ANONYMOUS)
    assert (results.total, results.hits, results.num_pages) == (0, (), 1)


def test_invalid_audience_is_refused(index: Index) -> None:
    with pytest.raises(ValueError):
        index("党建", audience="everybody")


# ------------------------------------------------------------------ pagination and query counts


def test_pages_cover_every_match_once(index: Index) -> None:
    for n in range(23):
        index(f"党建简报{n}")
    pages = [search.search("党建", viewer=ANONYMOUS, page=page) for page in (1, 2, 3)]
    assert [len(page.hits) for page in pages] == [10, 10, 3]
    assert len({hit.url for page in pages for hit in page.hits}) == 23
    assert pages[0].num_pages == 3 and pages[0].has_next and not pages[0].has_previous
    assert search.search("党建", viewer=ANONYMOUS, page=99).page == 3


def _queries_for(viewer: Viewer) -> int:
    with CaptureQueriesContext(connection) as queries:
        results = search.search("党建 简报", viewer=viewer, page=2)
    assert results.hits
    return len(queries)


def test_query_count_does_not_grow_with_matches(world, index: Index) -> None:
    viewer = viewer_for(world.officer_a)
    for n in range(13):
        index(f"党建简报{n}", audience="station", station_id=world.a.pk)
    few = _queries_for(viewer)
    for n in range(13, 130):
        index(f"党建简报{n}", "正文", audience=["public", "station"][n % 2], station_id=world.a.pk)
    assert few == _queries_for(viewer) == 2


# ------------------------------------------------------------------ the database index itself


PLANNED_SEARCHES = [
    {"viewer": ANONYMOUS},
    {"viewer": Viewer(authenticated=True, station_ids={1, 2}, organization_ids={3})},
    {"viewer": EVERYONE},
    {"viewer": ANONYMOUS, "kinds": ["文章"], "station_id": 1},
]


@pytest.mark.parametrize("arguments", PLANNED_SEARCHES)
def test_full_text_index_drives_the_query(articles: None, arguments: dict) -> None:
    """PostgreSQL can use the GIN index; SQLite scans FTS5 first and looks documents up by id (driving
    from a b-tree index on a filter column and probing FTS5 per row would be O(N); see search_models)."""
    other = SearchDocument.objects.get(title="社区志愿服务活动")
    SearchDocument.objects.bulk_create(
        SearchDocument(
            target_type=other.target_type, target_id=10_000 + n, title="其他", tokens="其他 内容", url="/"
        )
        for n in range(500)
    )
    with CaptureQueriesContext(connection) as queries:
        search.search("党建", **arguments)
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")  # the table is small; can the index serve?
                cursor.execute("EXPLAIN " + query["sql"])
                assert "searchdoc_search_vector" in str(cursor.fetchall())
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                outer_loop = cursor.fetchall()[0][3]
                assert outer_loop.startswith("SCAN core_searchdocument_fts VIRTUAL TABLE")


def test_sqlite_triggers_keep_fts_in_sync() -> None:
    """On SQLite, Django alters a table by re-creating it, which drops its triggers; this fails if a
    later migration did so without re-creating them."""
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 triggers exist on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_searchdocument'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "core_searchdocument_fts_insert",
        "core_searchdocument_fts_update",
        "core_searchdocument_fts_delete",
    }
