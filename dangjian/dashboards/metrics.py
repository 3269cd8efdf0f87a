"""The metrics of the HQ cockpit, as data: key, Chinese label, unit, the clause of DB3212/T 1124 it
answers, and for a rate the two counts it divides. Pure: no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    RATE = "rate"  # 0..1, shown as a percentage
    YUAN = "yuan"
    HOURS = "hours"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: Unit
    clause: str = ""
    numerator: str = ""  # a rate: numerator / denominator, both count keys
    denominator: str = ""
    goal: bool = False  # HQ may set a yearly target for it (§5.3)
    lower_is_better: bool = False


M = Metric
METRICS: tuple[Metric, ...] = (
    M("units_total", "入驻单位", Unit.COUNT, "§4.3"),
    M("units_with_people", "有注册人员的单位", Unit.COUNT, "§4.3"),
    M("units_with_party", "有党组织或党员的单位", Unit.COUNT, "§4.3"),
    M("units_with_activity", "本年参加过活动的单位", Unit.COUNT, "§4.3"),
    M("coverage_rate", "入驻单位参与率", Unit.RATE, "§4.3", "units_with_activity", "units_total", goal=True),
    M("people", "注册人员", Unit.COUNT, "§4.6"),
    M("members", "党员", Unit.COUNT, "§6.3"),
    M("organizations", "党组织", Unit.COUNT, "§5.1"),
    M("terms_overdue", "到期未换届的组织", Unit.COUNT, "§5.2", lower_is_better=True),
    M("alliances", "党建联盟", Unit.COUNT, "§5.2"),
    M("instructors", "党建指导员", Unit.COUNT, "§5.4.1"),
    M("instructors_trained", "本年完成培训的指导员", Unit.COUNT, "§5.4.1"),
    M("workers", "党务工作者", Unit.COUNT, "§5.4.2"),
    M("guides", "讲解员", Unit.COUNT, "§5.4.3"),
    M("venues", "场所", Unit.COUNT, "§6.1"),
    M("venue_bookings", "场所预约", Unit.COUNT, "§6.1", goal=True),
    M("six_have_met", "“六有”已达标项", Unit.COUNT, "§6.1"),
    M("six_have_total", "“六有”检查项", Unit.COUNT, "§6.1"),
    M("six_have_rate", "“六有”达标率", Unit.RATE, "§6.1", "six_have_met", "six_have_total"),
    M("articles_published", "发布信息", Unit.COUNT, "§6.3", goal=True),
    M("disclosures_published", "党务公开", Unit.COUNT, "§6.3"),
    M("courses", "课程", Unit.COUNT, "§6.3"),
    M("learning_hours", "完成学时", Unit.HOURS, "§6.3"),
    M("learning_target_hours", "目标学时", Unit.HOURS, "§6.3"),
    M("learning_rate", "学时完成率", Unit.RATE, "§6.3", "learning_hours", "learning_target_hours", goal=True),
    M("activities_held", "开展活动", Unit.COUNT, "§7.3", goal=True),
    M("life_orgs_compliant", "组织生活达标的组织", Unit.COUNT, "§7.3"),
    M("life_orgs_total", "参加考核的组织", Unit.COUNT, "§7.3"),
    M("life_rate", "组织生活达标率", Unit.RATE, "§7.3", "life_orgs_compliant", "life_orgs_total", goal=True),
    M("joint_meetings", "联席会议", Unit.COUNT, "§7.4"),
    M("dues_due", "应交党费", Unit.YUAN, "§6.3"),
    M("dues_paid", "实交党费", Unit.YUAN, "§6.3"),
    M("dues_rate", "党费收缴率", Unit.RATE, "§6.3", "dues_paid", "dues_due", goal=True),
    M("feedback_total", "收到反馈", Unit.COUNT, "§10.1.2"),
    M("satisfied", "满意评价", Unit.COUNT, "§10.1.1"),
    M("answers", "评价总数", Unit.COUNT, "§10.1.1"),
    M("satisfaction", "服务满意度", Unit.RATE, "§10.1.1", "satisfied", "answers", goal=True),
    M("on_time", "准时服务", Unit.COUNT, "§10.1.1"),
    M("delivered", "已提供服务", Unit.COUNT, "§10.1.1"),
    M("service_time_accuracy", "服务时间准确率", Unit.RATE, "§10.1.1", "on_time", "delivered"),
    M("completed", "完成服务项目", Unit.COUNT, "§10.1.1"),
    M("planned_due", "应完成服务项目", Unit.COUNT, "§10.1.1"),
    M("item_completion", "服务项目完成率", Unit.RATE, "§10.1.1", "completed", "planned_due"),
    M("complaints_resolved", "已解决有效投诉", Unit.COUNT, "§10.1.1"),
    M("complaints_valid", "有效投诉", Unit.COUNT, "§10.1.1"),
    M("complaint_resolution", "有效投诉解决率", Unit.RATE, "§10.1.1", "complaints_resolved", "complaints_valid"),
    M("rectifications_open", "未办结整改", Unit.COUNT, "§10.2", lower_is_better=True),
    M("rectifications_overdue", "逾期整改", Unit.COUNT, "§10.2", lower_is_better=True),
    M("development_in_pipeline", "培养中的发展对象", Unit.COUNT),
    M("development_admitted", "本年接收预备党员", Unit.COUNT),
    M("funding_income", "经费收入", Unit.YUAN, "§8"),
    M("funding_expense", "经费支出", Unit.YUAN, "§8"),
    M("funding_budget", "支出预算", Unit.YUAN, "§8"),
    M("honors_awarded", "获评表彰", Unit.COUNT, "§9"),
    M("publicity_city_or_above", "市级以上宣传报道", Unit.COUNT, "§9"),
    M("demonstration_events", "示范活动", Unit.COUNT, "§9"),
)  # fmt: skip
del M
BY_KEY: dict[str, Metric] = {metric.key: metric for metric in METRICS}
RATES = tuple(metric for metric in METRICS if metric.unit == Unit.RATE)
COUNT_KEYS = tuple(metric.key for metric in METRICS if metric.unit != Unit.RATE)
GOAL_METRICS = tuple(metric for metric in METRICS if metric.goal)

Values = Mapping[str, Decimal | None]


def with_rates(counts: Mapping[str, Decimal]) -> dict[str, Decimal | None]:
    """Every count (0 when absent) and every rate (None when its denominator is 0)."""
    values: dict[str, Decimal | None] = {key: counts.get(key, Decimal(0)) for key in COUNT_KEYS}
    for metric in RATES:
        denominator = counts.get(metric.denominator, Decimal(0))
        values[metric.key] = counts.get(metric.numerator, Decimal(0)) / denominator if denominator else None
    return values


def summed(rows: list[Mapping[str, Decimal]]) -> dict[str, Decimal | None]:
    """The platform's values: the stations' counts added up, rates of the sums (not means of rates)."""
    totals = {key: sum((row.get(key) or Decimal(0) for row in rows), Decimal(0)) for key in COUNT_KEYS}
    return with_rates(totals)


def shown(metric: Metric, value: Decimal | None) -> str:
    """The value as a page shows it: "92.5%", "1,234", "12,345.00 元", "—" for no value."""
    if value is None:
        return "—"
    if metric.unit == Unit.RATE:
        return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if metric.unit == Unit.YUAN:
        return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,} 元"
    if metric.unit == Unit.HOURS:
        return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP):,}"
    return f"{int(value):,}"


def progress(
    value: Decimal | None, target: Decimal | None, *, lower_is_better: bool = False
) -> Decimal | None:
    """How far `value` is towards `target`, 0..1 (1 = reached); None without a target or a value.
    A rate's target is given in percent (90 = 90%), like HQ types it."""
    if value is None or target is None or target <= 0:
        return None
    if lower_is_better:
        return Decimal(1) if value <= target else target / value
    return min(Decimal(1), value / target)


@dataclass(frozen=True)
class Section:
    title: str
    clause: str
    keys: tuple[str, ...]

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return tuple(BY_KEY[key] for key in self.keys)


SECTIONS: tuple[Section, ...] = (
    Section("入驻单位全参与", "§4.3", ("units_total", "units_with_people", "units_with_party", "units_with_activity", "coverage_rate")),
    Section("人员与组织", "§5", ("people", "members", "organizations", "terms_overdue", "alliances", "instructors", "instructors_trained", "workers", "guides")),
    Section("组织生活与活动", "§7.3、§7.4", ("activities_held", "life_orgs_compliant", "life_orgs_total", "life_rate", "joint_meetings")),
    Section("远程学习", "§6.3", ("courses", "learning_hours", "learning_target_hours", "learning_rate")),
    Section("党费收缴", "§6.3", ("dues_due", "dues_paid", "dues_rate")),
    Section("阵地与场所", "§6.1", ("venues", "venue_bookings", "six_have_met", "six_have_total", "six_have_rate")),
    Section("信息发布与党务公开", "§6.3", ("articles_published", "disclosures_published")),
    Section("服务评价与整改", "§10", ("feedback_total", "satisfaction", "service_time_accuracy", "item_completion", "complaint_resolution", "rectifications_open", "rectifications_overdue")),
    Section("发展党员", "", ("development_in_pipeline", "development_admitted")),
    Section("经费保障", "§8", ("funding_income", "funding_expense", "funding_budget")),
    Section("示范引领", "§9", ("honors_awarded", "publicity_city_or_above", "demonstration_events")),
)  # fmt: skip
# The figures a cockpit opens with, before the comparison and the sections.
HEADLINE = ("coverage_rate", "members", "activities_held", "life_rate", "learning_rate", "dues_rate", "satisfaction", "rectifications_overdue")  # fmt: skip
# The columns of the branch comparison table and the metrics a ranking may be drawn by.
COMPARED = ("coverage_rate", "members", "life_rate", "learning_rate", "dues_rate", "satisfaction", "rectifications_overdue", "development_in_pipeline")  # fmt: skip
RANKABLE = tuple(metric for metric in METRICS if metric.key in COMPARED or metric.goal)
