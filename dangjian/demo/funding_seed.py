"""Demo funds (经费管理, DB3212/T 1124 §8): for every station, this year's income — the district's party
dues allocation (党费拨付), the 区委组织部's administrative support (行政支持), a company's sponsorship
(社会赞助) — and expenses by category, some for one of the station's buildings, most with a voucher;
the year's budgets (one line over budget); and one mistaken entry corrected by a reversal (冲销).

Written through the services (so amounts, rules and the audit trail hold), by the station's admin (or
an HQ admin). Dates are days before `today`, so the demo reads the same on any day it is seeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.funding import services
from dangjian.funding.models import Entry
from dangjian.stations.models import Building, Station

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DISTRICT = "中共泰州市海陵区委组织部"
SPONSORS = (
    "泰州万达广场商业管理有限公司",
    "江苏泰州农村商业银行股份有限公司",
    "扬子江药业集团有限公司",
    "泰州凤城河文化旅游发展有限公司",
)


@dataclass(frozen=True)
class Line:
    kind: str
    line: str
    amount: str
    summary: str
    counterparty: str
    days_ago: int
    in_building: bool = False
    voucher: bool = False


def _lines(sponsor: str, year: int) -> tuple[Line, ...]:
    return (
        Line("income", "dues", "30000.00", f"{year}年党费拨付（楼宇党建阵地建设）", DISTRICT, 120),
        Line("income", "administrative", "20000.00", "区委组织部楼宇党建阵地运行经费补助", DISTRICT, 95),
        Line("income", "sponsorship", "8000.00", "企业赞助党员活动室设备", sponsor, 70),
        Line("expense", "construction", "12600.00", "党群服务中心标识标牌制作安装", "泰州凤城广告装饰有限公司", 88, True, True),
        Line("expense", "equipment", "3280.00", "党员活动室投影仪维修", "泰州市海陵区华信电子经营部", 60, True, True),
        Line("expense", "activities", "1860.50", "七一主题党日活动物料", "泰州凤城文印店", 45, False, True),
        Line("expense", "training", "2400.00", "党务干部培训教材", "江苏凤凰新华书店泰州分公司", 30, False, True),
        Line("expense", "publicity", "960.00", "党建宣传展板喷绘", "泰州凤城广告装饰有限公司", 12),
    )  # fmt: skip


# each station's scale of the figures (HQ runs the district's shared base, the branches differ in size)
SCALES = (Decimal("1.5"), Decimal("1"), Decimal("0.8"), Decimal("1.2"), Decimal("0.9"))
CENT = Decimal("0.01")

BUDGET = {
    ("expense", "construction"): "20000",
    ("expense", "equipment"): "3000",  # 3,280 spent: over budget
    ("expense", "activities"): "6000",
    ("expense", "training"): "3000",
    ("expense", "publicity"): "1500",
    ("income", "dues"): "30000",
    ("income", "administrative"): "20000",
}


def _keeper(station: Station) -> User | None:
    return (
        role_holders(Role.STATION_ADMIN, station_id=station.pk).first()
        or role_holders(Role.STATION_ADMIN, at_hq=True).first()
    )


def _voucher(summary: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{summary}-发票.pdf", PDF, content_type="application/pdf")


def _record(
    actor: User,
    station: Station,
    building: Building | None,
    line: Line,
    today: date,
    scale: Decimal = Decimal(1),
) -> Entry:
    return services.entry_record(
        actor=actor,
        data=services.EntryInput(
            station=station,
            kind=line.kind,
            line=line.line,
            amount=(Decimal(line.amount) * scale).quantize(CENT),
            occurred_on=today - timedelta(days=line.days_ago),
            summary=line.summary,
            counterparty=line.counterparty,
            building=building if line.in_building else None,
            voucher=_voucher(line.summary) if line.voucher else None,
        ),
    )


def _one_reversal(actor: User, station: Station, today: date) -> None:
    """A publicity expense typed with one digit too many, reversed and recorded again."""
    wrong = _record(
        actor,
        station,
        None,
        Line("expense", "publicity", "9600.00", "党建宣传展板喷绘", "泰州凤城广告装饰有限公司", 12),
        today,
    )
    services.entry_reverse(actor=actor, entry=wrong, reason="金额多录一位，冲销后按 960.00 元重新登记")


def seed_funding(today: date | None = None) -> int:
    """The demo ledger of every station; returns how many entries were made (0 without stations)."""
    today = today or timezone.localdate()
    made = 0
    stations = list(Station.objects.order_by("sort_order", "id"))
    branches = [s for s in stations if s.kind != "hq"]
    for index, station in enumerate(stations):
        actor = _keeper(station)
        if actor is None:
            continue
        building = Building.objects.filter(station=station).order_by("id").first()
        sponsor = SPONSORS[index % len(SPONSORS)]
        if branches and station == branches[0]:
            _one_reversal(actor, station, today)
            made += 2
        scale = SCALES[index % len(SCALES)]
        for line in _lines(sponsor, today.year):
            _record(actor, station, building, line, today, scale)
            made += 1
        services.budget_set(
            actor=actor,
            station=station,
            year=today.year,
            amounts={key: (Decimal(value) * scale).quantize(CENT) for key, value in BUDGET.items()},
        )
    return made
