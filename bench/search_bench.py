"""How search time grows with the index: 2,000 then 20,000 synthetic Chinese documents.

Run from the project root:  .venv/bin/python bench/search_bench.py [--small 2000] [--large 20000]
                            [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Uses a throwaway SQLite database under /tmp (removed afterwards unless --keep) or, with --postgres, a
throwaway database created on that server and dropped afterwards. Indexes documents through
`dangjian.core.search.index_document`, times `search()` (count + one ranked page) for a few queries
and two viewers, and prints the ratio of the median time at the large size to the small size.
It reports numbers; it does not pass or fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_TITLE = [
    "{org}召开{topic}专题会议",
    "{place}开展{topic}主题活动",
    "关于做好{topic}工作的通知",
    "{org}组织党员参加{activity}",
    "{place}{activity}圆满结束",
    "{topic}经验交流会在{place}举行",
]
TEMPLATES_SENTENCE = [
    "{org}全体党员参加了本次{activity}。",
    "会议强调，要把{topic}作为一项重要任务抓紧抓实。",
    "{place}各入驻企业积极响应，共有{n}人报名。",
    "活动现场，大家围绕{topic}展开热烈讨论。",
    "下一步，{org}将继续深化{topic}，推动{activity}常态化。",
    "参加人员表示，通过{activity}进一步增强了责任意识。",
]
ORGS = [
    "万达广场楼宇联合党支部",
    "金融大厦党总支",
    "华信软件党支部",
    "凤城律师事务所党支部",
    "海陵区两新工委",
]
PLACES = ["万达广场", "金融大厦", "鼓楼社区", "城中街道", "青年南路商务楼"]
ACTIVITIES = ["志愿服务", "主题党日", "党课学习", "结对共建", "走访慰问", "技能比武", "指导员培训"]
# (topic, weight): "党建" is everywhere, "垃圾分类" is rare.
TOPICS = [
    ("楼宇党建", 40),
    ("党风廉政建设", 15),
    ("安全生产", 15),
    ("营商环境", 15),
    ("垃圾分类", 1),
    ("青年人才", 14),
]
QUERIES = ["党建", "志愿服务", "指导员 培训", "垃圾分类", "廉政 安全生产", "量子计算"]


@dataclass
class Corpus:
    """Random but reproducible documents."""

    rng: random.Random

    def topic(self) -> str:
        names, weights = zip(*TOPICS, strict=True)
        return self.rng.choices(names, weights=weights)[0]

    def fill(self, template: str) -> str:
        return template.format(
            org=self.rng.choice(ORGS),
            place=self.rng.choice(PLACES),
            activity=self.rng.choice(ACTIVITIES),
            topic=self.topic(),
            n=self.rng.randint(10, 300),
        )

    def document(self) -> tuple[str, str]:
        title = self.fill(self.rng.choice(TEMPLATES_TITLE))
        sentences = [self.fill(self.rng.choice(TEMPLATES_SENTENCE)) for _ in range(self.rng.randint(4, 10))]
        return title, "<p>" + "".join(sentences) + "</p>"


def setup_django(database_url: str) -> None:
    """Point the one settings module at a fresh database and create the tables search needs."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "core", verbosity=0)


@contextmanager
def throwaway_sqlite(keep: bool) -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="dangjian-search-bench-", dir="/tmp")
    try:
        yield f"sqlite:///{directory}/bench.sqlite3"
    finally:
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def throwaway_postgres(server_url: str, keep: bool) -> Iterator[str]:
    """A new database on the server of `server_url` (whose own database is only used to create it)."""
    import psycopg

    name = f"dangjian_search_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def structure() -> dict[str, list[int]]:
    """An HQ, four branches and one organisation per branch."""
    from dangjian.organizations.models import PartyOrganization
    from dangjian.stations.models import Station

    hq = Station.objects.create(kind="hq", code="hq", name="总站", address="泰州市海陵区")
    branches = [
        Station.objects.create(code=f"b{n}", name=f"第{n}分站", address="泰州市海陵区") for n in range(1, 5)
    ]
    orgs = [
        PartyOrganization.objects.create(station=b, name=f"第{b.pk}支部", formal_superior="两新工委")
        for b in branches
    ]
    return {"hq": [hq.pk], "branches": [b.pk for b in branches], "orgs": [o.pk for o in orgs]}


def visibility(rng: random.Random, ids: dict[str, list[int]]) -> dict[str, Any]:
    """60% public, 15% logged-in, 15% one station's, 10% one organisation's; HQ items often shared."""
    roll = rng.random()
    station = rng.choice(ids["hq"] + ids["branches"])
    if roll < 0.60:
        return {"audience": "public", "station_id": station}
    if roll < 0.75:
        return {"audience": "logged_in", "station_id": station}
    if roll < 0.90:
        shared = station in ids["hq"] and rng.random() < 0.7
        return {"audience": "station", "station_id": station, "shared": shared}
    org_index = rng.randrange(len(ids["orgs"]))
    return {
        "audience": "organization",
        "station_id": ids["branches"][org_index],
        "organization_id": ids["orgs"][org_index],
    }


def index(corpus: Corpus, ids: dict[str, list[int]], first: int, count: int) -> float:
    """Index documents `first` … `first + count - 1`; returns documents per second."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from dangjian.core.search import index_document

    started = time.perf_counter()
    with transaction.atomic():
        for n in range(first, first + count):
            title, body = corpus.document()
            # The index keeps only (type, id) of its target; a stand-in object is enough here.
            index_document(
                ContentType(pk=n + 1),
                kind=corpus.rng.choice(["文章", "党务公开"]),
                title=title,
                body_html_or_text=body,
                url=f"/bench/{n + 1}/",
                published_at=timezone.now() - dt.timedelta(minutes=n),
                **visibility(corpus.rng, ids),
            )
    return count / (time.perf_counter() - started)


def refresh_statistics() -> None:
    """PostgreSQL: ANALYZE, as autovacuum soon would. SQLite is left without statistics, as deployed."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_searchdocument")


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm up caches and jieba
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def measure(viewers: dict[str, Any], repeat: int) -> Iterator[tuple[str, str, int, float]]:
    """(viewer, query, matches, median ms) for every viewer and query."""
    from dangjian.core.search import search

    for viewer_name, viewer in viewers.items():
        for query in QUERIES:
            total = search(query, viewer=viewer).total
            yield viewer_name, query, total, median_ms(lambda q=query, v=viewer: search(q, viewer=v), repeat)


def report(small: int, large: int, before: list[tuple], after: list[tuple]) -> None:
    print(f"\n{'viewer':<10} {'query':<14} {'hits ' + str(small):>10} {'ms':>8} "
          f"{'hits ' + str(large):>11} {'ms':>8} {'ratio':>7}")  # fmt: skip
    for (viewer, query, hits_small, ms_small), (_, _, hits_large, ms_large) in zip(
        before, after, strict=True
    ):
        ratio = ms_large / ms_small if ms_small else float("nan")
        print(
            f"{viewer:<10} {query:<14} {hits_small:>10} {ms_small:>8.2f} {hits_large:>11} {ms_large:>8.2f} {ratio:>7.2f}"
        )
    print(f"\nratio = median time at {large:,} documents / median time at {small:,}; "
          f"{large // small}x documents. Linear growth would be {large / small:.0f}.")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query (median reported)")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="benchmark PostgreSQL: a server URL such as "
        "postgres://postgres@127.0.0.1:5432/postgres; a throwaway database is created on it",
    )
    args = parser.parse_args()

    database = throwaway_postgres(args.postgres, args.keep) if args.postgres else throwaway_sqlite(args.keep)
    with database as database_url:
        setup_django(database_url)
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.db import connection

    from dangjian.core.search import ANONYMOUS, Viewer

    ids = structure()
    viewers = {
        "anonymous": ANONYMOUS,
        "member": Viewer(
            authenticated=True, station_ids={ids["branches"][0]}, organization_ids={ids["orgs"][0]}
        ),
    }
    corpus = Corpus(random.Random(args.seed))
    print(f"{connection.vendor} database: {connection.settings_dict['NAME']}")
    rate = index(corpus, ids, 0, args.small)
    print(f"indexed {args.small:,} documents ({rate:,.0f}/s)")
    refresh_statistics()
    before = list(measure(viewers, args.repeat))
    rate = index(corpus, ids, args.small, args.large - args.small)
    print(f"indexed {args.large - args.small:,} more ({rate:,.0f}/s)")
    refresh_statistics()
    after = list(measure(viewers, args.repeat))
    report(args.small, args.large, before, after)


if __name__ == "__main__":
    main()
