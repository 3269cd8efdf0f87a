"""The HQ cockpit (数据驾驶舱, issue 14) at scale: latency percentiles over HTTP, signed in as an HQ admin.

    .venv/bin/python bench/cockpit_bench.py [--stations 1000] [--people 200000]
        [--database-url postgres://postgres@127.0.0.1:5432/dangjian_bench]
        [--redis-url redis://127.0.0.1:6379/5] [--connections 4] [--requests 300] [--rounds 3]

On PostgreSQL (created and seeded once with `seed_demo --scale`, like portal_bench.py) and Redis (the db
number given is flushed first), the script times one refresh of the figures (the Celery task's work),
starts gunicorn with 2 sync workers, signs in an HQ station admin, and loads each cockpit page with
`--connections` keep-alive clients for `--requests` requests, `/healthz` before and after each page, in
`--rounds` rounds. Prints p50/p95/p99, requests per second and the ratio of each page's throughput to
the `/healthz` loads around it (median of the rounds) as a Markdown table. It reports; it does not judge.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from portal_bench import ensure_database, free_port, server_environment, start_gunicorn  # noqa: E402

BENCH_USER = "bench_hq_admin"
BENCH_SCREEN = "bench-hall"


@dataclass
class Run:
    requests_per_second: float
    p50: float
    p95: float
    p99: float
    errors: int


def prepare(args: argparse.Namespace, env: dict[str, str]) -> tuple[dict[str, str], str]:
    """Seed once, refresh the figures, and answer the pages to load and an HQ admin's session cookie."""
    ensure_database(args.database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.test import Client

    from dangjian.accounts.models import Role, RoleAssignment, User
    from dangjian.dashboards import figures
    from dangjian.dashboards.models import Screen
    from dangjian.demo.scale import station_code
    from dangjian.organizations.models import PartyOrganization
    from dangjian.stations.models import Station, StationKind

    redis.Redis.from_url(args.redis_url).flushdb()
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
    hq = Station.objects.get(kind=StationKind.HQ)
    admin, _ = User.objects.get_or_create(username=BENCH_USER, defaults={"real_name": "压测总站管理员"})
    RoleAssignment.objects.get_or_create(user=admin, role=Role.STATION_ADMIN, station=hq)
    Screen.objects.get_or_create(
        code=BENCH_SCREEN, defaults={"name": "压测大屏", "width": 1920, "height": 1080}
    )
    started = time.perf_counter()
    rows = figures.refresh()
    print(f"figures.refresh(): {rows:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    client = Client()
    client.force_login(admin)
    branch = Station.objects.get(code=station_code(args.stations // 2))
    organization = PartyOrganization.objects.filter(station=branch).order_by("pk").first()
    assert organization is not None
    pages = {
        "/healthz": "/healthz",
        "驾驶舱（全平台）": "/manage/cockpit/",
        "驾驶舱（按党费收缴率排序）": "/manage/cockpit/?metric=dues_rate&page=3",
        "站点驾驶舱": f"/manage/cockpit/stations/{branch.code}/",
        "党组织": f"/manage/cockpit/organizations/{organization.pk}/",
        "标准符合性（全平台）": "/manage/cockpit/conformance/",
        "大屏数据": f"/big-screen/{BENCH_SCREEN}/data/",
        "接口：全平台数据": "/api/v1/dashboards/platform",
    }
    return pages, client.cookies["sessionid"].value


def load(port: int, path: str, cookie: str, *, connections: int, requests: int) -> Run:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = max(1, requests // connections)

    def client_loop() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        failed = 0
        for _ in range(per_client):
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            failed += response.status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client_loop) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    return Run(len(ordered) / elapsed, pct(0.5), pct(0.95), pct(0.99), errors)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stations", type=int, default=1000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/dangjian_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    args.page_cache_seconds = None
    env = server_environment(args)
    pages, cookie = prepare(args, env)
    port = free_port()
    server = start_gunicorn(ROOT, env, port)
    try:
        for path in pages.values():  # warm every worker
            load(port, path, cookie, connections=2, requests=10)
        results: dict[str, list[tuple[Run, float]]] = {name: [] for name in pages}
        for _ in range(args.rounds):
            for name, path in pages.items():
                before = load(port, "/healthz", cookie, connections=args.connections, requests=args.requests)
                run = load(port, path, cookie, connections=args.connections, requests=args.requests)
                after = load(port, "/healthz", cookie, connections=args.connections, requests=args.requests)
                trivial = (before.requests_per_second + after.requests_per_second) / 2
                results[name].append((run, run.requests_per_second / trivial))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        "| 页面 | p50 ms | p95 ms | p99 ms | 次/秒 | 相对 /healthz | 错误 |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    for name, runs in results.items():
        best = sorted(runs, key=lambda r: r[0].p95)[len(runs) // 2]
        ratio = statistics.median(r[1] for r in runs)
        run = best[0]
        print(
            f"| {name} | {run.p50:.1f} | {run.p95:.1f} | {run.p99:.1f} | {run.requests_per_second:.0f} | "
            f"{ratio:.1%} | {sum(r[0].errors for r in runs)} |"
        )


if __name__ == "__main__":
    main()
