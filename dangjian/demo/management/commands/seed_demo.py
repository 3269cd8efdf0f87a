"""`manage.py seed_demo`: the demo data set and its logins; `seed_demo --scale`: benchmark data."""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.demo.data import DEMO_PASSWORD
from dangjian.demo.scale import DEFAULT_PEOPLE, DEFAULT_STATIONS, ScaleSeedError, seed_scale_data
from dangjian.demo.seed import demo_login_rows, existing_hq_name, seed_demo_data


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，收到 {text!r}")
    return value


def display_width(text: str) -> int:
    """Columns a terminal gives the text: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(display_width(row[col]) for row in rows) for col in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = (
        "写入演示数据（1 个总站、4 个分站，楼宇、网格、入驻单位、党组织、约 300 名人员），并列出各角色的演示账号；"
        "已有总站时不写入任何数据。加 --scale 生成压测数据。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", action="store_true", help="生成压测数据，而不是演示数据")
        parser.add_argument(
            "--stations",
            type=positive_int,
            help=f"压测站点数（含 1 个总站），默认 {DEFAULT_STATIONS}；仅用于 --scale",
        )
        parser.add_argument(
            "--people", type=positive_int, help=f"压测人员数，默认 {DEFAULT_PEOPLE}；仅用于 --scale"
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="DEBUG 关闭时仍写入演示数据（make run 使用）；切勿用于生产数据库",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "DEBUG 已关闭，这里可能是生产环境：演示数据（含公开的演示密码）不会写入。"
                "确认这是本机或演示环境后，加 --i-know-this-is-not-production 再运行。"
            )
        stations, people = options["stations"], options["people"]
        if options["scale"]:
            self.seed_scale(
                stations=DEFAULT_STATIONS if stations is None else stations,
                people=DEFAULT_PEOPLE if people is None else people,
            )
        elif stations is not None or people is not None:
            raise CommandError("--stations 和 --people 只能与 --scale 一起使用。")
        else:
            self.seed_demo()

    def seed_demo(self) -> None:
        counts = seed_demo_data()
        if counts is None:
            self.stdout.write(f"已有总站“{existing_hq_name()}”，未写入演示数据。")
        else:
            summary = "，".join(f"{label} {count}" for label, count in counts.items())
            self.stdout.write(self.style.SUCCESS(f"已写入演示数据：{summary}。"))
        self.print_logins()

    def print_logins(self) -> None:
        rows = demo_login_rows()
        if not rows:
            self.stdout.write("数据库中没有演示账号。")
            return
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）")
        table = [
            ("账号", "姓名", "角色", "范围"),
            *((r.username, r.real_name, r.role_label, r.scope) for r in rows),
        ]
        for line in format_table(table):
            self.stdout.write(line)

    def seed_scale(self, *, stations: int, people: int) -> None:
        try:
            summary = seed_scale_data(stations=stations, people=people)
        except ScaleSeedError as error:
            raise CommandError(str(error)) from error
        hq = f"{'新建' if summary.hq_created else '沿用'}总站“{summary.hq_name}”"
        counts = "，".join(f"{label} {count}" for label, count in summary.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"已生成压测数据，用时 {summary.seconds:.1f} 秒：{hq}，{counts}。")
        )
        self.stdout.write(f"压测账号 scale-u0000001 起，密码均为 {DEMO_PASSWORD}。")
