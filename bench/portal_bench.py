"""1+N sharing at scale (§4.4): a branch portal's cost with 10 branches and with 1,000.

Run from the project root:  .venv/bin/python bench/portal_bench.py [--small 10] [--large 1000] [--repeat 30]

Builds a throwaway SQLite database under /tmp, publishes synced HQ articles once, then times the branch
news page and the platform home page through Django's test client at both sizes and prints the query
counts and the ratio of median times (large / small). It reports numbers; it does not pass or fail.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(db_path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("SECURE_HTTPS", "0")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def add_branches(count: int) -> None:
    from dangjian.stations.models import Station

    start = Station.objects.filter(kind="branch").count()
    Station.objects.bulk_create(
        [
            Station(kind="branch", code=f"b{n}", name=f"分站{n}", address="泰州市海陵区")
            for n in range(start, count)
        ]
    )


def publish_synced(count: int) -> None:
    from dangjian.accounts.models import Role, RoleAssignment, User
    from dangjian.news import services
    from dangjian.news.models import Column
    from dangjian.stations.models import Building, Station

    hq = Station.objects.create(kind="hq", code="hq", name="总站", address="泰州市海陵区")
    writer = User.objects.create(username="writer", real_name="张敏")
    reviewer = User.objects.create(username="reviewer", real_name="李文华")
    building = Building.objects.create(station=hq, name="总站大楼", address="泰州市")
    RoleAssignment.objects.create(user=writer, role=Role.WORKER, station=hq, building=building)
    RoleAssignment.objects.create(user=reviewer, role=Role.INSTRUCTOR, station=hq)
    column = Column.objects.get(slug="yaowen")
    for n in range(count):
        content = {"column": column, "title": f"总站同步文章{n}", "body": "<p>正文</p>", "sync_to_all": True}
        article = services.article_create(actor=writer, station=hq, content=content)
        services.article_submit(actor=writer, article=article)
        services.article_approve(actor=reviewer, article=article)


def measure(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, url
    return statistics.median(times) * 1000, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        publish_synced(20)
        client = Client()
        pages = {"分站信息页": "/stations/b1/news/", "平台首页": "/"}
        results = {}
        for size in (args.small, args.large):
            add_branches(size)
            results[size] = {name: measure(client, url, args.repeat) for name, url in pages.items()}
        print(f"{'页面':<10}{'分站数':>8}{'毫秒':>10}{'SQL 条数':>10}")
        for name in pages:
            for size in (args.small, args.large):
                ms, queries = results[size][name]
                print(f"{name:<10}{size:>8}{ms:>10.2f}{queries:>10}")
            ratio = results[args.large][name][0] / results[args.small][name][0]
            print(f"{name}：比值（{args.large} / {args.small}）= {ratio:.2f}\n")


if __name__ == "__main__":
    main()
