"""Portal pages at scale (§4.4: what HQ publishes appears at every branch, O(1) in N).

Two measurements; each reports numbers and does not pass or fail.

1. Query counts and time against N (default), through Django's test client on a throwaway SQLite database:

       .venv/bin/python bench/portal_bench.py [--small 10] [--large 1000] [--repeat 30]

   Publishes synced HQ articles once, then times the branch news page and the platform home with 10 and
   with 1,000 branches: the ratio of median times (large / small) and the SQL count of each.

2. Throughput over HTTP against the trivial view, in one run (`--http`):

       .venv/bin/python bench/portal_bench.py --http [--stations 1000] [--people 200000]
           [--database-url postgres://postgres@127.0.0.1:5432/dangjian_bench]
           [--redis-url redis://127.0.0.1:6379/5] [--connections 16] [--duration 5] [--rounds 3]
           [--src DIR] [--label after] [--page-cache-seconds 600]

   On PostgreSQL (the database is created if missing and seeded once with `seed_demo --scale`, then
   articles and a disclosure are published through the real services) and Redis (the given db number is
   flushed before the run: use one nothing else uses), starts gunicorn with 2 sync workers on a free
   loopback port, serving the code in `--src` (default: this project; `git archive` an older commit to
   measure it the same way), and loads every anonymous portal page with wrk (a bounded thread-pool loop
   when wrk is not installed) for `--duration` seconds, `/healthz` before and after each page, in
   `--rounds` rounds. Prints requests per second, the median latency and the ratio of each page to the
   `/healthz` loads around it (median of the rounds, and the lowest) as a Markdown table.
   `--page-cache-seconds 0` serves the same code with the page cache off.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- 1. query counts against N (SQLite)


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


def scale_main(args: argparse.Namespace) -> None:
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


# ---------------------------------------------------------------- 2. throughput over HTTP (PostgreSQL)

BENCH_STATION = 500  # the branch whose pages are loaded (scale-0500)
SYNCED_ARTICLES = 20
BRANCH_ARTICLES = 5


def server_environment(args: argparse.Namespace) -> dict[str, str]:
    """Production-like settings for the bench: DEBUG off, random keys, PostgreSQL and Redis, no .env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PAGE_CACHE"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV_FILE=os.devnull,
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DEBUG="0",
        SECURE_HTTPS="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CELERY_TASK_ALWAYS_EAGER="1",
        DEMO_DATA="1",  # seed_demo --scale
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="ERROR",
    )
    if args.page_cache_seconds is not None:
        env["PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)
    return env


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_data(args: argparse.Namespace, env: dict[str, str]) -> dict[str, str]:
    """Seed the database once (kept between runs) and answer the URLs to load."""
    ensure_database(args.database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from dangjian.demo.scale import station_code
    from dangjian.news.models import Article
    from dangjian.organizations.models import PartyOrganization
    from dangjian.stations.models import Station

    call_command("migrate", verbosity=0)
    if not Station.objects.filter(code=station_code(1)).exists():
        started = time.perf_counter()
        call_command(
            "seed_demo",
            scale=True,
            stations=args.stations,
            people=args.people,
            i_know_this_is_not_production=True,
        )
        print(f"seed_demo --scale: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    branch = Station.objects.get(code=station_code(BENCH_STATION))
    if not Article.objects.filter(title__startswith="压测").exists():
        publish_bench_content(branch)
    article = (
        Article.objects.filter(title__startswith="压测总站同步", status="published").order_by("id").first()
    )
    organization = PartyOrganization.objects.filter(station=branch).order_by("id").first()
    assert article is not None and organization is not None
    code = branch.code
    return {
        "/healthz": "/healthz",
        "平台首页": "/",
        "站点目录": "/stations/",
        "分站门户": f"/stations/{code}/",
        "信息列表": "/news/",
        "信息列表（栏目）": "/news/?column=yaowen",
        "分站信息列表": f"/stations/{code}/news/",
        "文章详情": f"/news/{article.pk}/",
        "党务公开": f"/organizations/{organization.pk}/disclosures/",
        "显示屏": f"/screen/{code}/",
        "显示屏条目": f"/screen/{code}/items/",
    }


def publish_bench_content(branch: Any) -> None:
    """Synced HQ articles, the branch's own articles and a disclosure, all through the real services."""
    from dangjian.accounts.models import Role, RoleAssignment, User
    from dangjian.disclosures import services as disclosures
    from dangjian.disclosures.models import Disclosure
    from dangjian.news import services as news
    from dangjian.news.models import Column
    from dangjian.organizations.models import PartyOrganization
    from dangjian.stations.models import Building, Station

    hq = Station.objects.get(kind="hq")
    people = {}
    for station, tag in ((hq, "hq"), (branch, "branch")):
        building = Building.objects.filter(station=station).first() or Building.objects.create(
            station=station, name=f"{station.name}大楼", address=station.address
        )
        writer = User.objects.create(username=f"bench-writer-{tag}", real_name="张敏")
        reviewer = User.objects.create(username=f"bench-reviewer-{tag}", real_name="李文华")
        RoleAssignment.objects.create(user=writer, role=Role.WORKER, station=station, building=building)
        RoleAssignment.objects.create(user=reviewer, role=Role.INSTRUCTOR, station=station)
        people[tag] = (writer, reviewer)
    column = Column.objects.get(slug="yaowen")
    body = "<p>" + "楼宇党建联盟召开季度联席会议，通报共建项目进展，部署下一阶段重点工作。" * 20 + "</p>"
    for station, tag, count, title in (
        (hq, "hq", SYNCED_ARTICLES, "压测总站同步文章"),
        (branch, "branch", BRANCH_ARTICLES, "压测分站文章"),
    ):
        writer, reviewer = people[tag]
        for n in range(count):
            content = {"column": column, "title": f"{title}{n + 1}", "summary": "季度联席会议", "body": body,
                       "audience": "public", "sync_to_all": tag == "hq"}  # fmt: skip
            article = news.article_create(actor=writer, station=station, content=content)
            news.article_submit(actor=writer, article=article)
            news.article_approve(actor=reviewer, article=article)
    writer, reviewer = people["branch"]
    organization = PartyOrganization.objects.filter(station=branch).order_by("id").first()
    item = Disclosure(organization=organization, category="dues", title="压测：第三季度党费收缴与使用情况公示",
                      body=body, period_start=date(2026, 7, 1), period_end=date(2026, 9, 30),
                      visibility="public")  # fmt: skip
    item = disclosures.disclosure_save(disclosure=item, actor=writer)
    item = disclosures.disclosure_submit(disclosure=item, actor=writer)
    disclosures.disclosure_approve(disclosure=item, actor=reviewer)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(src: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--chdir",
            str(src),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env={**env, "PYTHONPATH": str(src)},
        cwd=src,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if get(port, "/healthz") == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    errors: int


def load_wrk(port: int, path: str, *, connections: int, seconds: float) -> Load:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--latency",
            "--timeout",
            "10s",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"\s50%\s+([\d.]+)(us|ms|s)\b", output).groups()  # type: ignore[union-attr]
    p50 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Load(rps, p50, errors)


def load_threads(port: int, path: str, *, connections: int, seconds: float) -> Load:
    """Fallback without wrk: `connections` threads, each one request at a time, for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        mine, failed = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                ok = get(port, path) == 200
            except OSError:
                ok = False
            mine.append(time.perf_counter() - started)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return Load(len(latencies) / elapsed, statistics.median(latencies) * 1000, errors[0])


def http_main(args: argparse.Namespace) -> None:
    env = server_environment(args)
    urls = prepare_data(args, env)
    pages = {name: path for name, path in urls.items() if path != "/healthz"}
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()  # only the bench's own db number
    load = load_wrk if shutil.which("wrk") else load_threads

    def run(path: str) -> Load:
        result = load(port, path, connections=args.connections, seconds=args.duration)
        assert result.errors == 0, (path, result)
        return result

    port = free_port()
    server = start_gunicorn(Path(args.src).resolve(), env, port)
    healthz: list[Load] = []
    results: dict[str, list[tuple[Load, float]]] = {name: [] for name in pages}
    try:
        for path in urls.values():
            for _ in range(3):
                status = get(port, path)
                assert status == 200, (path, status)
            load(port, path, connections=args.connections, seconds=1)  # warm-up
        # /healthz before and after every page, so that the ratio compares neighbours (a shared machine's
        # load drifts); every page `--rounds` times.
        for _ in range(args.rounds):
            before = run("/healthz")
            healthz.append(before)
            for name, path in pages.items():
                page = run(path)
                after = run("/healthz")
                healthz.append(after)
                ratio = page.requests_per_second / statistics.mean(
                    [before.requests_per_second, after.requests_per_second]
                )
                results[name].append((page, ratio))
                before = after
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\n{args.label}: {load.__name__}, {args.connections} connections, {args.duration:g} s per load, "
        f"{args.rounds} rounds, gunicorn 2 workers, PAGE_CACHE_SECONDS="
        f"{env.get('PAGE_CACHE_SECONDS', 'default')}, source {args.src}\n"
    )
    print("| 页面 | URL | 请求/秒 | p50 毫秒 | 与 /healthz 之比（中位） | 最低一轮 |")
    print("|---|---|---:|---:|---:|---:|")
    rps = statistics.median(h.requests_per_second for h in healthz)
    p50 = statistics.median(h.p50_ms for h in healthz)
    print(f"| /healthz | `/healthz` | {rps:,.0f} | {p50:.1f} | 100% | |")
    for name, path in pages.items():
        runs = results[name]
        rps = statistics.median(r.requests_per_second for r, _ in runs)
        p50 = statistics.median(r.p50_ms for r, _ in runs)
        ratio = statistics.median(ratio for _, ratio in runs)
        worst = min(ratio for _, ratio in runs)
        print(f"| {name} | `{path}` | {rps:,.0f} | {p50:.1f} | {ratio:.0%} | {worst:.0%} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--http", action="store_true", help="throughput over HTTP (gunicorn, PostgreSQL, Redis)"
    )
    parser.add_argument("--stations", type=int, default=1000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/dangjian_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of each load")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--src", default=str(ROOT), help="source tree gunicorn serves (default: this project)"
    )
    parser.add_argument("--label", default="run")
    parser.add_argument("--page-cache-seconds", type=int, default=None)
    args = parser.parse_args()
    if args.http:
        http_main(args)
    else:
        scale_main(args)


if __name__ == "__main__":
    main()
