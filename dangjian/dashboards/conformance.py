"""The conformance table (符合性) of DB3212/T 1124—2023: clause → feature → evidence pages → tests → status.

Pure data and pure functions: nothing here touches the database, and the module imports without Django
settings (only `Page.url()` needs the URL configuration). `evaluate()` turns the yearly metrics of one
station — or of the whole platform — (`dangjian.dashboards.figures.metrics_for`, keys in `METRIC_KEYS`)
into a status per measured clause: 已达标 / 部分达标 / 未达标 / 无记录.

The document is generated from the same data (`--tests` lists the cited tests instead):
    .venv/bin/python -m dangjian.dashboards.conformance > docs/conformance.md
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.urls import reverse

Metrics = Mapping[str, Decimal | None]

# The metrics module must provide exactly these keys (None = nothing recorded); rates are 0..1.
METRIC_NAMES: dict[str, str] = {
    "units_total": "入驻单位数",
    "units_with_people": "有登记人员的入驻单位数",
    "units_with_party": "有党组织或党员的入驻单位数",
    "units_with_activity": "本年参加过活动的入驻单位数",
    "coverage_rate": "入驻单位参与率",
    "people": "登记人员数",
    "members": "党员数",
    "organizations": "党组织数",
    "terms_overdue": "任期届满未换届的党组织数",
    "alliances": "参加的党建联盟、共建协议数",
    "instructors": "党建指导员数",
    "instructors_trained": "本年有培训记录的党建指导员数",
    "workers": "党务工作者数",
    "guides": "讲解员数",
    "six_have_met": "“六有”已具备项数",
    "six_have_total": "“六有”项数",
    "venues": "场馆数",
    "venue_bookings": "本年已批准或已使用的场馆预约数",
    "articles_published": "本年发布文章数",
    "disclosures_published": "本年党务公开数",
    "courses": "可学课程数",
    "learning_hours": "本年党员完成学时",
    "learning_target_hours": "本年学时目标",
    "activities_held": "本年举办活动数",
    "life_orgs_compliant": "符合组织生活制度的党组织数",
    "life_orgs_total": "应过组织生活的党组织数",
    "joint_meetings": "本年召开联席会议次数",
    "dues_due": "本年应缴党费金额",
    "dues_paid": "本年已缴党费金额",
    "dues_rate": "党费收缴率",
    "feedback_total": "本年收到意见建议数",
    "satisfaction": "服务对象满意度",
    "service_time_accuracy": "服务时间准确率",
    "item_completion": "服务项目完成率",
    "complaint_resolution": "有效投诉办结率",
    "rectifications_open": "在办整改措施数",
    "rectifications_overdue": "逾期整改措施数",
    "development_in_pipeline": "正在发展的对象数",
    "development_admitted": "本年接收党员数",
    "funding_income": "本年经费收入金额",
    "funding_expense": "本年经费支出金额",
    "funding_budget": "本年经费预算金额",
    "honors_awarded": "本年评选表彰数",
    "publicity_city_or_above": "本年市级以上媒体宣传报道数",
    "demonstration_events": "本年现场会、经验介绍、观摩学习次数",
}
METRIC_KEYS: frozenset[str] = frozenset(METRIC_NAMES)


class Status(enum.StrEnum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_RECORDED = "not_recorded"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.MET: "已达标",
    Status.PARTLY: "部分达标",
    Status.NOT_MET: "未达标",
    Status.NOT_RECORDED: "无记录",
}


class Scope(enum.StrEnum):
    STATION = "station"
    PLATFORM = "platform"

    @property
    def label(self) -> str:
        return "各站点" if self is Scope.STATION else "全平台（主管单位）"


class Service(enum.StrEnum):
    ONLINE = "online"
    MIXED = "mixed"
    OFFLINE = "offline"

    @property
    def label(self) -> str:
        return {"online": "平台功能", "mixed": "线上记录，线下落实", "offline": "线下落实"}[self.value]


# ---------------------------------------------------------------- formatting


def _percent(rate: Decimal) -> str:
    text = f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") + "%"


def _count(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def _yuan(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _metric(key: str) -> str:
    return f"{METRIC_NAMES[key]}（`{key}`）"


def _known(*keys: str) -> None:
    unknown = sorted(set(keys) - METRIC_KEYS)
    if unknown:
        raise ValueError(f"Unknown metric keys {unknown}: METRIC_NAMES lists the keys the metrics provide")


# ---------------------------------------------------------------- status rules


def _grade(*, met: bool, partly: bool) -> Status:
    if met:
        return Status.MET
    return Status.PARTLY if partly else Status.NOT_MET


class Check(Protocol):
    @property
    def keys(self) -> tuple[str, ...]: ...

    @property
    def rule(self) -> str: ...

    def judge(self, metrics: Metrics) -> tuple[Status, str]: ...


@dataclass(frozen=True)
class Share:
    """part / whole: met at `met_at` or above, partly above 0, not met at 0; no whole is not recorded."""

    part: str
    whole: str
    met_at: Decimal
    text: str  # {part} {whole} {rate}
    empty: str
    money: bool = False

    def __post_init__(self) -> None:
        _known(self.part, self.whole)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.part, self.whole)

    @property
    def rule(self) -> str:
        return (
            f"{_metric(self.part)} ÷ {_metric(self.whole)}：≥ {_percent(self.met_at)} 已达标，"
            "大于 0 部分达标，为 0 未达标；分母为空或为 0 无记录"
        )

    def judge(self, metrics: Metrics) -> tuple[Status, str]:
        whole, part = metrics.get(self.whole), metrics.get(self.part)
        if not whole or part is None:
            return Status.NOT_RECORDED, self.empty
        rate = part / whole
        status = _grade(met=rate >= self.met_at, partly=part > 0)
        show = _yuan if self.money else _count
        return status, self.text.format(part=show(part), whole=show(whole), rate=_percent(rate))


@dataclass(frozen=True)
class AtLeast:
    """A count: met at `minimum` or more, partly between 0 and `minimum`, not met at 0."""

    key: str
    minimum: Decimal
    text: str  # {value} {minimum}
    empty: str

    def __post_init__(self) -> None:
        _known(self.key)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    @property
    def rule(self) -> str:
        partly = "" if self.minimum <= 1 else f"1—{_count(self.minimum - 1)} 部分达标，"
        return f"{_metric(self.key)}：≥ {_count(self.minimum)} 已达标，{partly}为 0 未达标；为空无记录"

    def judge(self, metrics: Metrics) -> tuple[Status, str]:
        value = metrics.get(self.key)
        if value is None:
            return Status.NOT_RECORDED, self.empty
        status = _grade(met=value >= self.minimum, partly=value > 0)
        return status, self.text.format(value=_count(value), minimum=_count(self.minimum))


@dataclass(frozen=True)
class Between:
    """A count that must lie in [low, high]: more than `high` is partly, fewer than `low` not met."""

    key: str
    low: Decimal
    high: Decimal
    text: str  # {value}
    empty: str

    def __post_init__(self) -> None:
        _known(self.key)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    @property
    def rule(self) -> str:
        return (
            f"{_metric(self.key)}：{_count(self.low)}—{_count(self.high)} 已达标，"
            f"多于 {_count(self.high)} 部分达标，少于 {_count(self.low)} 未达标；为空无记录"
        )

    def judge(self, metrics: Metrics) -> tuple[Status, str]:
        value = metrics.get(self.key)
        if value is None:
            return Status.NOT_RECORDED, self.empty
        status = _grade(met=self.low <= value <= self.high, partly=value > self.high)
        return status, self.text.format(value=_count(value))


@dataclass(frozen=True)
class Rate:
    """A rate 0..1 computed upstream: met at `met_at`, partly at `partly_at`, below that not met."""

    key: str
    met_at: Decimal
    partly_at: Decimal
    text: str  # {rate}
    empty: str

    def __post_init__(self) -> None:
        _known(self.key)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    @property
    def rule(self) -> str:
        return (
            f"{_metric(self.key)}：≥ {_percent(self.met_at)} 已达标，≥ {_percent(self.partly_at)} 部分达标，"
            "更低未达标；为空（无分母）无记录"
        )

    def judge(self, metrics: Metrics) -> tuple[Status, str]:
        value = metrics.get(self.key)
        if value is None:
            return Status.NOT_RECORDED, self.empty
        status = _grade(met=value >= self.met_at, partly=value >= self.partly_at)
        return status, self.text.format(rate=_percent(value))


@dataclass(frozen=True)
class NoneOf:
    """`bad` of `total` must be none: 0 met, some partly, all not met; no total is not recorded."""

    bad: str
    total: str
    text: str  # {bad} {total}
    empty: str

    def __post_init__(self) -> None:
        _known(self.bad, self.total)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.bad, self.total)

    @property
    def rule(self) -> str:
        return (
            f"{_metric(self.bad)} / {_metric(self.total)}：为 0 已达标，部分为部分达标，全部为未达标；"
            "总数为空或为 0 无记录"
        )

    def judge(self, metrics: Metrics) -> tuple[Status, str]:
        total, bad = metrics.get(self.total), metrics.get(self.bad)
        if not total or bad is None:
            return Status.NOT_RECORDED, self.empty
        status = _grade(met=bad == 0, partly=bad < total)
        return status, self.text.format(bad=_count(bad), total=_count(total))


@dataclass(frozen=True)
class Beyond:
    """`whole` must reach beyond `part` (people beyond the party members): more met, no more not met."""

    whole: str
    part: str
    text: str  # {whole} {part} {rest}
    empty: str

    def __post_init__(self) -> None:
        _known(self.whole, self.part)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.whole, self.part)

    @property
    def rule(self) -> str:
        return f"{_metric(self.whole)} 多于 {_metric(self.part)} 已达标，否则未达标；为空或为 0 无记录"

    def judge(self, metrics: Metrics) -> tuple[Status, str]:
        whole, part = metrics.get(self.whole), metrics.get(self.part)
        if not whole or part is None:
            return Status.NOT_RECORDED, self.empty
        status = Status.MET if whole > part else Status.NOT_MET
        return status, self.text.format(whole=_count(whole), part=_count(part), rest=_count(whole - part))


@dataclass(frozen=True)
class AllOf:
    """Several checks at once: all met is met, all unrecorded is not recorded, none met or partly is not
    met, anything else (including a mix of met and unrecorded) is partly."""

    parts: tuple[Check, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for part in self.parts for key in part.keys)

    @property
    def rule(self) -> str:
        lines = "；".join(f"（{i}）{part.rule}" for i, part in enumerate(self.parts, start=1))
        return (
            f"{lines}。各项均已达标为已达标，均无记录为无记录，没有一项已达标或部分达标为未达标，"
            "其余为部分达标"
        )

    def judge(self, metrics: Metrics) -> tuple[Status, str]:
        results = [part.judge(metrics) for part in self.parts]
        statuses = {status for status, _ in results}
        if statuses == {Status.NOT_RECORDED}:
            status = Status.NOT_RECORDED
        elif statuses == {Status.MET}:
            status = Status.MET
        elif statuses <= {Status.NOT_MET, Status.NOT_RECORDED}:
            status = Status.NOT_MET
        else:
            status = Status.PARTLY
        return status, "；".join(text for _, text in results)


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Page:
    """An evidence page: a URL name that reverses without arguments, or with the station code."""

    name: str
    label: str
    by_station: bool = False

    def url(self, station_code: str = "") -> str:
        return reverse(self.name, kwargs={"code": station_code} if self.by_station else None)


@dataclass(frozen=True)
class Clause:
    id: str  # "§4.3"
    title: str
    requirement: str  # the standard's requirement, shortened
    features: tuple[str, ...]
    pages: tuple[Page, ...]
    tests: tuple[str, ...]  # pytest node ids that prove the rule
    check: Check | None = None
    basis: str = ""  # why these thresholds, or why the clause is not measured
    scope: Scope = Scope.STATION
    service: Service = Service.ONLINE
    offline: str = ""  # what stays offline and why

    @property
    def measured(self) -> bool:
        return self.check is not None


@dataclass(frozen=True)
class ClauseStatus:
    clause: Clause
    status: Status
    explanation: str


def _n(value: int | str) -> Decimal:
    return Decimal(value)


_TESTS = "tests/"

TABLE: tuple[Clause, ...] = (
    Clause(
        id="§3.1",
        title="楼宇党建",
        requirement="以区域内的楼宇为载体，以楼宇中入驻机构的工作人员为对象开展党建工作。",
        features=("站点—楼宇—楼层—入驻单位的结构登记", "人员登记时记录所属站点和入驻单位"),
        pages=(Page("stations:building_list", "楼宇管理"), Page("stations:unit_list", "入驻单位管理")),
        tests=(
            _TESTS + "stations/test_management.py::test_unit_is_created_audited_and_listed",
            _TESTS + "stations/test_management.py::test_floor_of_another_building_is_refused",
        ),
        basis="术语定义，不单独判定达标；覆盖面见 §4.3。",
    ),
    Clause(
        id="§3.2",
        title="共享平台",
        requirement="线下实体空间与线上平台资源共享，党员干部可通过实体阵地或电脑端、手机端随时随地使用。",
        features=(
            "各站点场馆向全区登记人员开放预约",
            "全部页面适配 375 像素手机屏幕",
            "供手机应用使用的开放接口",
        ),
        pages=(Page("venues:list", "场馆预约"), Page("portal:stations", "站点目录")),
        tests=(
            _TESTS + "browser/test_every_page_at_375.py::test_every_page_fits_375_px_without_console_errors",
            _TESTS + "venues/test_pages.py::test_a_surrounding_resident_books_the_book_bar",
            _TESTS + "browser/test_dues_pay_online.py::test_member_pays_one_month_on_a_phone",
        ),
        basis="术语定义，由各功能条款分别判定。",
    ),
    Clause(
        id="§4.1",
        title="主管单位",
        requirement="共享平台主管单位应为楼宇运营管理单位。",
        features=("“平台管理员（主管单位）”角色", "主管单位专有职权：召集联席会议、授予总站角色"),
        pages=(Page("people:role_list", "角色管理"),),
        tests=(
            _TESTS + "accounts/test_roles.py::test_hq_admin_grants_anywhere_but_not_platform_admin",
            _TESTS + "activities/test_joint.py::test_the_supervising_unit_convenes_and_others_are_refused",
        ),
        basis="由谁担任主管单位是组织事实，没有年度指标。",
        scope=Scope.PLATFORM,
        service=Service.OFFLINE,
        offline="主管单位由楼宇运营管理单位担任，属线下组织决定；平台只把它记为“平台管理员（主管单位）”角色并赋予相应职权。",
    ),
    Clause(
        id="§4.2",
        title="建设要求",
        requirement="按“形式内容统一、线上线下同步、总站分站分设，企业群众兼顾、服务功能多样、党群共建共治”的要求建设。",
        features=(
            "总站内容同步到各分站（形式内容统一）",
            "线下场馆与线上预约、签到同步",
            "一个总站、多个分站分设",
            "党员与职工群众均可注册使用",
        ),
        pages=(Page("portal:stations", "站点目录"), Page("news:synced", "总站同步内容")),
        tests=(
            _TESTS + "news/test_sync.py::test_synced_hq_article_shows_at_every_branch",
            _TESTS + "stations/test_single_hq.py::test_many_branches_are_allowed",
            _TESTS + "people/test_people.py::test_resident_registers_and_is_signed_in",
        ),
        basis="总体要求，由 §4.3—§4.7 各条分别判定。",
        scope=Scope.PLATFORM,
    ),
    Clause(
        id="§4.3",
        title="“1+N”站点",
        requirement="建成“1+N”个楼宇站点，实现楼宇区域内党群服务资源全覆盖，入驻机构全参与。",
        features=("一个总站、N 个分站，数据库保证总站唯一", "入驻单位登记", "入驻单位参与活动的覆盖率"),
        pages=(
            Page("portal:stations", "站点目录"),
            Page("stations:unit_list", "入驻单位管理"),
            Page("dashboards:station", "站点数据驾驶舱", by_station=True),
        ),
        tests=(
            _TESTS + "stations/test_single_hq.py::test_database_refuses_a_second_hq",
            _TESTS + "stations/test_single_hq.py::test_many_branches_are_allowed",
            _TESTS + "stations/test_concurrency.py::test_concurrent_hq_creation_leaves_exactly_one_hq",
        ),
        check=Share(
            part="units_with_activity",
            whole="units_total",
            met_at=Decimal("0.9"),
            text="入驻单位 {whole} 家中 {part} 家本年参加过活动（{rate}）",
            empty="尚未登记入驻单位",
        ),
        basis="标准要求“入驻机构全参与”；平台以本年参加过活动的入驻单位达 90% 为已达标，不足 100% 的在说明中可见。",
    ),
    Clause(
        id="§4.4",
        title="总站统筹",
        requirement="总站应与各楼宇分站互联互通，能够对各楼宇分站进行统筹管理。",
        features=(
            "总站发布的内容同时出现在每个分站，修改即时生效",
            "总站角色对全部分站有效",
            "总站查看各分站“六有”和服务评价指标",
        ),
        pages=(
            Page("news:synced", "总站同步内容"),
            Page("dashboards:cockpit", "总站数据驾驶舱"),
            Page("venues:six_have_overview", "“六有”总览"),
            Page("evaluation:comparison", "各站指标对比"),
        ),
        tests=(
            _TESTS + "news/test_sync.py::test_hq_edit_shows_everywhere_at_once",
            _TESTS + "accounts/test_roles.py::test_hq_role_governs_every_branch",
            _TESTS + "news/test_synced_hiding.py::test_branch_hides_and_restores_a_synced_hq_article",
        ),
        basis="互联互通由同步机制保证并由测试证明，没有年度指标。",
        scope=Scope.PLATFORM,
    ),
    Clause(
        id="§4.5",
        title="分站设置与开放",
        requirement="分站按总站模式设置，接受总站统一管理，内容与总站同步更新；规模较大的分站服务资源向周边楼宇开放。",
        features=(
            "分站与总站使用同一套功能",
            "总站内容按引用同步，分站不能自行同步、只能向总站推荐",
            "分站场馆可向周边人员开放预约",
        ),
        pages=(Page("news:list", "新闻动态"), Page("venues:list", "场馆预约")),
        tests=(
            _TESTS + "news/test_sync.py::test_synced_hq_article_shows_at_every_branch",
            _TESTS + "news/test_sync.py::test_branch_cannot_sync_by_itself_but_recommends_to_hq",
            _TESTS + "venues/test_permissions.py::test_bookable_venues_follow_the_audience",
        ),
        basis="同步由机制保证；开放范围按场馆设置，没有年度指标。",
    ),
    Clause(
        id="§4.6",
        title="服务对象",
        requirement="服务对象除楼宇内党员同志，还包括楼宇内其他职工群众。",
        features=("职工群众、周边居民可自助注册", "非党员可参加活动、预约场馆、反馈意见"),
        pages=(Page("people:register", "注册"), Page("activities:list", "活动")),
        tests=(
            _TESTS + "people/test_people.py::test_resident_registers_and_is_signed_in",
            _TESTS + "venues/test_permissions.py::test_bookable_venues_follow_the_audience",
        ),
        check=Beyond(
            whole="people",
            part="members",
            text="登记人员 {whole} 人，其中党员 {part} 人、职工群众等 {rest} 人",
            empty="尚无登记人员",
        ),
        basis="登记人员多于党员，说明服务已覆盖党员以外的职工群众。",
    ),
    Clause(
        id="§4.7",
        title="片区共享",
        requirement="功能辐射半径从单一楼宇延伸到周边楼宇、周边社区、周边街道，实现“片区共享”。",
        features=("周边楼宇、社区、街道登记为片区", "片区居民可注册、预约场馆、反馈意见"),
        pages=(
            Page("stations:place_list", "片区管理"),
            Page("people:register", "注册"),
            Page("feedback:submit", "意见反馈"),
        ),
        tests=(
            _TESTS + "people/test_people.py::test_resident_registers_and_is_signed_in",
            _TESTS + "venues/test_permissions.py::test_bookable_venues_follow_the_audience",
            _TESTS + "venues/test_pages.py::test_a_surrounding_resident_books_the_book_bar",
            _TESTS + "browser/test_venue_booking.py::test_resident_books_the_book_bar_and_the_guide_approves",
        ),
        basis="指标中没有片区人员数，暂不判定（功能由测试证明）。",
    ),
    Clause(
        id="§5.1",
        title="管理模式",
        requirement="分级分层管理：主管单位→楼宇各基层党组织→党建指导员→党务工作者；隶属关系和党员组织关系可保持不变。",
        features=(
            "党组织树及上级党组织",
            "党建指导员、党务工作者角色",
            "党组织页面记录隶属关系，平台不改变它",
        ),
        pages=(Page("orgs:organization_list", "党组织管理"), Page("people:role_list", "角色管理")),
        tests=(
            _TESTS
            + "organizations/test_organizations.py::test_public_page_records_affiliation_without_contact_numbers",
            _TESTS + "organizations/test_organizations.py::test_parent_cycle_is_refused",
            _TESTS + "accounts/test_roles.py::test_scope_must_match_role_and_station",
        ),
        check=AllOf(
            (
                AtLeast("organizations", _n(1), "基层党组织 {value} 个", "尚未登记党组织"),
                AtLeast("instructors", _n(1), "党建指导员 {value} 人", "尚未登记党建指导员"),
                AtLeast("workers", _n(1), "党务工作者 {value} 人", "尚未登记党务工作者"),
            )
        ),
        basis="各层级至少有一个，层级才算齐全。",
    ),
    Clause(
        id="§5.2",
        title="组织设置",
        requirement="以党建联盟、联学共建等方式联合楼宇内各党组织；各党组织班子健全、调整及时、换届正常。",
        features=(
            "党建联盟与共建协议",
            "委员会名单维护",
            "任期届满提醒与换届选举",
            "投票问卷（事务共商）",
        ),
        pages=(
            Page("orgs:alliance_list", "党建联盟"),
            Page("orgs:agreement_list", "共建协议"),
            Page("elections:overdue", "逾期未换届"),
            Page("evaluation:questionnaire_list", "投票问卷"),
        ),
        tests=(
            _TESTS + "organizations/test_organizations.py::test_term_status_boundaries",
            _TESTS + "organizations/test_organizations.py::test_alliance_needs_two_members",
            _TESTS + "elections/test_rules.py::test_terms_by_kind",
            _TESTS + "evaluation/test_questionnaires.py::test_one_ballot_per_person",
        ),
        check=AllOf(
            (
                NoneOf(
                    bad="terms_overdue",
                    total="organizations",
                    text="党组织 {total} 个中 {bad} 个任期届满未换届",
                    empty="尚未登记党组织",
                ),
                AtLeast("alliances", _n(1), "参加党建联盟、共建协议 {value} 项", "尚无党建联盟记录"),
            )
        ),
        basis="“换届正常”：没有逾期未换届的党组织；“联合起来”：至少参加一个党建联盟或共建协议。",
    ),
    Clause(
        id="§5.3",
        title="组织领导",
        requirement="主管单位对各分站统筹管理，细化工作目标和具体措施，推进达标建设；主管单位党组织书记为第一责任人。",
        features=(
            "总站为各项指标设定年度目标并跟踪进度",
            "本符合性表逐条显示各站达标情况",
            "各站服务评价指标对比",
            "“六有”总览与组织生活合规总览",
        ),
        pages=(
            Page("dashboards:cockpit", "总站数据驾驶舱"),
            Page("dashboards:goals", "年度目标"),
            Page("evaluation:comparison", "各站指标对比"),
            Page("activities:compliance", "组织生活合规"),
            Page("venues:six_have_overview", "“六有”总览"),
        ),
        tests=(
            _TESTS
            + "evaluation/test_indicators_db.py::test_hq_comparison_costs_the_same_queries_for_1x_and_5x_stations",
            _TESTS
            + "venues/test_six_have.py::test_the_hq_overview_shows_met_and_missing_items_in_constant_queries",
            _TESTS + "dashboards/test_conformance.py::test_a_generous_year_meets_every_measured_clause",
        ),
        basis="达标建设由本表各条的状态整体体现，不另设指标。",
        scope=Scope.PLATFORM,
        service=Service.MIXED,
        offline="第一责任人的领导责任和参加单位的支持配合属线下组织职责，平台提供目标和达标情况的依据。",
    ),
    Clause(
        id="§5.4.1",
        title="党建指导员",
        requirement="各分站推选党建专业人员担任党建指导员，接受总站统一培训；指导员负责指导各楼宇开展党建工作。",
        features=(
            "党建指导员角色",
            "总站向全体指导员布置培训课程，每人留有培训记录",
            "指导员审核本站发布的内容",
        ),
        pages=(Page("learning:training", "指导员培训记录"), Page("people:role_list", "角色管理")),
        tests=(
            _TESTS
            + "learning/test_assignments.py::test_instructor_training_is_assigned_by_hq_to_every_instructor_with_a_record_each",
            _TESTS + "news/test_workflow.py::test_only_an_instructor_of_that_station_reviews",
        ),
        check=AllOf(
            (
                AtLeast("instructors", _n(1), "党建指导员 {value} 人", "尚未登记党建指导员"),
                Share(
                    part="instructors_trained",
                    whole="instructors",
                    met_at=Decimal("1"),
                    text="党建指导员 {whole} 人中 {part} 人本年有培训记录（{rate}）",
                    empty="没有党建指导员，无从统计培训",
                ),
            )
        ),
        basis="每个站点至少一名指导员，且每名指导员本年都接受过总站培训。",
        service=Service.MIXED,
        offline="指导员的推选在线下完成，平台登记角色和培训记录。",
    ),
    Clause(
        id="§5.4.2",
        title="党务工作者",
        requirement="每幢楼宇选拔党员作为专职党务工作者，负责本栋楼宇党建平台的日常管理、维护和对接。",
        features=("党务工作者角色", "撰写、提交发布内容", "维护场馆设备、处理故障报修"),
        pages=(Page("news:manage_list", "文章管理"), Page("venues:faults", "故障报修")),
        tests=(
            _TESTS + "news/test_workflow.py::test_only_the_stations_workers_and_admins_write",
            _TESTS + "venues/test_services.py::test_equipment_is_kept_by_the_buildings_worker",
            _TESTS
            + "venues/test_faults.py::test_only_a_worker_of_the_venues_building_may_be_assigned_or_repair",
        ),
        check=AtLeast("workers", _n(1), "党务工作者 {value} 人", "尚未登记党务工作者"),
        basis="标准要求每幢楼宇一名；指标未按楼宇细分，暂以本站至少一名为达标，按楼宇核对见角色管理页。",
        service=Service.MIXED,
        offline="党务工作者的选拔在线下完成，平台登记角色。",
    ),
    Clause(
        id="§5.4.3",
        title="讲解员",
        requirement="每个站点应配备专职讲解员，负责宣传讲解，组织引导观众参观。",
        features=("讲解员角色", "参观预约的分派、确认和记录", "活动扫码签到"),
        pages=(Page("venues:tours", "参观预约"), Page("activities:checkin_list", "活动签到")),
        tests=(
            _TESTS + "venues/test_tours.py::test_request_assign_confirm_book_and_record",
            _TESTS + "venues/test_tours.py::test_another_stations_guide_may_not_handle_and_gets_404",
            _TESTS + "activities/test_checkin.py::test_the_guide_scans_the_qr_code_and_a_retry_counts_once",
        ),
        check=AtLeast("guides", _n(1), "讲解员 {value} 人", "尚未登记讲解员"),
        basis="每个站点至少配备一名讲解员。",
        service=Service.MIXED,
        offline="现场讲解在线下进行，平台处理预约、分派和记录。",
    ),
    Clause(
        id="§5.5",
        title="日常管理",
        requirement="党务工作者负责硬件维护和党建内容发布，党建指导员负责审核；预约和活动登记由各站点讲解员负责。",
        features=(
            "统一审核流程：工作者撰写提交、指导员审核，任何人不能审核自己的内容",
            "讲解员审批场馆预约、处理活动报名和签到",
            "设备故障报修和维修记录",
        ),
        pages=(
            Page("news:manage_list", "文章管理"),
            Page("venues:review_queue", "预约审批"),
            Page("venues:faults", "故障报修"),
        ),
        tests=(
            _TESTS + "core/test_workflow.py::test_actions_follow_from_the_item_and_version_states",
            _TESTS + "news/test_workflow.py::test_nobody_approves_their_own_item",
            _TESTS + "disclosures/test_workflow.py::test_only_instructors_of_the_station_review",
            _TESTS + "venues/test_pages.py::test_the_guide_sees_the_conflicts_and_approving_rejects_them",
            _TESTS + "activities/test_checkin.py::test_only_the_guide_or_organiser_checks_others_in",
        ),
        check=AllOf(
            (
                AtLeast("articles_published", _n(1), "本年经审核发布文章 {value} 篇", "没有文章发布记录"),
                AtLeast("venue_bookings", _n(1), "本年经审批的场馆预约 {value} 次", "没有场馆预约记录"),
            )
        ),
        basis="发布和预约两条流程本年都在运转（有经审核发布的内容、有经审批的预约）。",
    ),
    Clause(
        id="§6.1",
        title="活动场所（“六有”）",
        requirement="按“有场所、有设施、有标志、有党旗、有书报、有制度”的“六有”标准设立线下阵地；不具备条件的可共享其他单位的党群服务中心。",
        features=("“六有”逐项核查，附佐证照片", "总站“六有”总览", "可登记共享入驻单位已建成的党群服务中心"),
        pages=(Page("venues:six_have", "“六有”核查"), Page("venues:six_have_overview", "“六有”总览")),
        tests=(
            _TESTS + "venues/test_six_have.py::test_a_check_with_photo_evidence",
            _TESTS
            + "venues/test_six_have.py::test_the_hq_overview_shows_met_and_missing_items_in_constant_queries",
            _TESTS + "venues/test_pages.py::test_the_six_have_checklist_and_the_hq_overview",
        ),
        check=Share(
            part="six_have_met",
            whole="six_have_total",
            met_at=Decimal("1"),
            text="“六有” {whole} 项中 {part} 项已核查具备（{rate}）",
            empty="尚未进行“六有”核查",
        ),
        basis="“六有”六项都具备才算达标。",
        service=Service.MIXED,
        offline="阵地本身在线下建设；平台记录核查结果和佐证照片。",
    ),
    Clause(
        id="§6.2",
        title="硬件（“一馆三区”）",
        requirement="各站点以“一馆三区”（综合馆、书吧、沙龙、讲堂）为基本单元，配有音响、话筒、桌椅、电子显示屏等基础设备。",
        features=("场馆及设备台账", "设备故障报修与维修记录", "站点电子显示屏页面"),
        pages=(
            Page("venues:list", "场馆预约"),
            Page("venues:faults", "故障报修"),
            Page("news:screen", "站点电子显示屏", by_station=True),
        ),
        tests=(
            _TESTS + "venues/test_services.py::test_the_admin_creates_and_edits_a_venue_with_a_photo",
            _TESTS + "venues/test_services.py::test_equipment_is_kept_by_the_buildings_worker",
            _TESTS + "venues/test_faults.py::test_a_fault_of_equipment_marks_it_faulty_until_repaired",
            _TESTS + "news/test_screen_panels.py::test_a_panel_shows_its_items_or_its_empty_text",
        ),
        check=AtLeast("venues", _n(4), "本站场馆 {value} 个（“一馆三区”至少 {minimum} 个）", "尚未登记场馆"),
        basis="指标只有场馆总数、不分类型：4 个及以上为已达标，1—3 个为部分达标。",
        service=Service.MIXED,
        offline="场馆和设备在线下配置；平台登记台账、维修记录并提供显示屏页面。",
    ),
    Clause(
        id="§6.3",
        title="软件（线上平台八项功能）",
        requirement="展示文字、图片、影像、电子图书等资料，承载信息发布、党员管理、远程学习、党费收缴、课件分享、互动交流、党务公开、活动邀约等功能，覆盖区域内所有楼宇基层党组织。",
        features=(
            "信息发布：文章撰写、审核、发布",
            "党员管理：党员档案、统计、导入导出",
            "远程学习：课程、学时（防快进）、测验",
            "党费收缴：按 2008 年规定计算，线上缴纳",
            "课件分享：课件上传、审核、阅读",
            "互动交流：论坛",
            "党务公开：公开事项的审核与公示",
            "活动邀约：向党组织、入驻单位、联盟和个人发出邀约",
        ),
        pages=(
            Page("news:list", "信息发布"),
            Page("members:roster", "党员管理"),
            Page("learning:catalogue", "远程学习"),
            Page("dues:home", "党费收缴"),
            Page("courseware:library", "课件分享"),
            Page("forum:home", "互动交流"),
            Page("disclosures:disclosure_list", "党务公开"),
            Page("activities:invitations", "活动邀约"),
        ),
        tests=(
            _TESTS + "news/test_workflow.py::test_draft_submit_approve_publishes",
            _TESTS + "members/test_forms.py::test_create_registers_person_and_profile",
            _TESTS
            + "learning/test_progress.py::test_a_seek_to_the_end_does_not_complete_and_resume_is_where_the_learner_stopped",
            _TESTS + "dues/test_amounts.py::test_employed_brackets",
            _TESTS
            + "dues/test_collection.py::test_cash_payment_settles_the_months_and_counts_voluntary_extra",
            _TESTS + "courseware/test_services.py::test_review_publishes_and_indexes",
            _TESTS + "forum/test_posting.py::test_the_party_building_corpus_posts_untouched",
            _TESTS + "disclosures/test_workflow.py::test_full_life_history_and_audit",
            _TESTS + "activities/test_invitations.py::test_counts_of_accepted_heads_declined_and_silent",
        ),
        check=AllOf(
            (
                AtLeast("members", _n(1), "党员 {value} 人在册", "尚无党员档案"),
                AtLeast("articles_published", _n(1), "本年发布文章 {value} 篇", "没有文章发布记录"),
                AtLeast("disclosures_published", _n(1), "本年党务公开 {value} 项", "没有党务公开记录"),
                AtLeast("courses", _n(1), "可学课程 {value} 门", "没有可学课程"),
                Share(
                    part="learning_hours",
                    whole="learning_target_hours",
                    met_at=Decimal("1"),
                    text="本年完成学时 {part}，目标 {whole}（{rate}）",
                    empty="没有学时目标",
                ),
                Share(
                    part="dues_paid",
                    whole="dues_due",
                    met_at=Decimal("1"),
                    text="本年应缴党费 {whole} 元，已缴 {part} 元（{rate}）",
                    empty="没有应缴党费记录",
                    money=True,
                ),
            )
        ),
        basis="八项功能在本站都在使用：有党员档案、有发布和公开、有课程；学时达到年度目标、党费足额收缴为达标。",
    ),
    Clause(
        id="§7.1",
        title="信息化网络",
        requirement="总站与各分站之间构建便于联系联络、实时传播、及时更新的信息化系统。",
        features=("站内通知和邮件，事务提交后才发出", "实时推送：新文章横幅、电子显示屏即时更新"),
        pages=(Page("core:inbox", "消息"), Page("news:screen", "站点电子显示屏", by_station=True)),
        tests=(
            _TESTS + "core/test_live.py::test_every_subscriber_of_the_channel_gets_the_event",
            _TESTS + "core/test_live.py::test_nothing_is_delivered_before_commit_or_after_rollback",
            _TESTS + "core/test_notifications.py::test_notify_writes_one_row_per_person_only_after_commit",
            _TESTS + "browser/test_news_live.py::test_published_article_reaches_open_portal_and_screen",
        ),
        basis="实时传播由推送机制保证并由测试证明，没有年度指标。",
        scope=Scope.PLATFORM,
    ),
    Clause(
        id="§7.2",
        title="网格化组织",
        requirement="按楼宇分布将入驻单位划分网格，建立网格化管理机制；平台上同步展示、同步宣传、同步共享。",
        features=("按楼宇楼层划分网格", "总站内容同步展示到各站"),
        pages=(Page("stations:grid_list", "网格管理"), Page("news:synced", "总站同步内容")),
        tests=(
            _TESTS + "stations/test_management.py::test_grid_covers_only_its_buildings_floors",
            _TESTS + "demo/test_seed_demo.py::test_every_building_has_its_floors_and_two_or_three_grids",
            _TESTS + "news/test_sync.py::test_synced_hq_article_shows_at_every_branch",
        ),
        basis="指标中没有网格数，暂不判定（功能由测试证明）。",
    ),
    Clause(
        id="§7.3",
        title="组织生活制度",
        requirement="各基层党组织每年年初制定全年工作计划，每季度至少 3 次活动，每月 1 个活动主题，每次活动后整理台账。",
        features=(
            "年度计划、月度主题、活动台账",
            "按月、季度、年度自动判定是否合规",
            "缺台账、计划将到期时提醒",
        ),
        pages=(Page("activities:life", "组织生活"), Page("activities:compliance", "组织生活合规")),
        tests=(
            _TESTS + "activities/test_compliance.py::test_three_activities_a_quarter_each_with_a_record",
            _TESTS + "activities/test_compliance.py::test_a_month_without_a_theme_and_a_green_month",
            _TESTS + "activities/test_compliance.py::test_the_annual_plan_deadline",
            _TESTS
            + "activities/test_compliance.py::test_an_activity_at_2330_on_31_march_counts_for_march_and_q1",
            _TESTS
            + "activities/test_records.py::test_a_missing_record_is_flagged_once_to_the_organiser_and_the_instructor",
        ),
        check=Share(
            part="life_orgs_compliant",
            whole="life_orgs_total",
            met_at=Decimal("1"),
            text="党组织 {whole} 个中 {part} 个本年截至目前符合组织生活制度（{rate}）",
            empty="尚无应过组织生活的党组织",
        ),
        basis="每个党组织都应符合制度，全部符合才算达标。",
    ),
    Clause(
        id="§7.4",
        title="联席会议制度",
        requirement="主管单位每年应牵头召开 1 次至 2 次联席会议，商讨和交流共享平台建设相关事宜。",
        features=("联席会议的召集、出席登记、会议纪要", "议定事项跟踪到办结", "年度次数提示"),
        pages=(Page("activities:joint_list", "联席会议"), Page("activities:joint_decisions", "议定事项")),
        tests=(
            _TESTS
            + "activities/test_joint.py::test_the_year_is_flagged_when_none_is_held_or_more_than_two_are_planned",
            _TESTS + "activities/test_joint.py::test_attendance_minutes_and_decisions_followed_up_until_done",
            _TESTS
            + "activities/test_joint_pages.py::test_the_list_flags_a_year_with_none_held_or_more_than_two",
            _TESTS + "activities/test_joint_api.py::test_the_year_status",
        ),
        check=Between(
            "joint_meetings", _n(1), _n(2), "本年已召开联席会议 {value} 次（要求 1—2 次）", "没有联席会议记录"
        ),
        basis="标准规定每年 1—2 次：多于 2 次记为部分达标（超出制度安排），一次未开为未达标。",
        scope=Scope.PLATFORM,
    ),
    Clause(
        id="§8",
        title="经费保障",
        requirement="建设经费及日常维护经费由各楼宇建设单位自行承担，宜采取党费拨付、行政支持、社会赞助等方式多渠道解决。",
        features=(
            "经费台账：按来源（党费拨付、行政支持、社会赞助）登记收入，按用途登记支出，附凭证",
            "各站预算与实际对比，超支项标出",
            "台账只增不改，更正以冲销记录完成",
        ),
        pages=(Page("funding:ledger", "经费台账"), Page("funding:stations", "各站经费")),
        tests=(
            _TESTS + "funding/test_services.py::test_an_expense_with_its_voucher_is_recorded_and_audited",
            _TESTS + "funding/test_services.py::test_the_balance_counts_entries_and_reversals",
            _TESTS + "funding/test_services.py::test_budget_against_actual_flags_the_lines_over_budget",
            _TESTS + "dashboards/test_conformance.py::test_the_funding_rule_compares_income_with_the_budget",
        ),
        check=Share(
            part="funding_income",
            whole="funding_budget",
            met_at=Decimal("1"),
            text="本年经费预算 {whole} 元，已到位 {part} 元（{rate}）",
            empty="本年未登记经费预算",
            money=True,
        ),
        basis="到位经费不少于预算为已达标，有到位但不足为部分达标。",
        service=Service.MIXED,
        offline="经费的筹措和拨付在线下完成，平台只登记收支和预算。",
    ),
    Clause(
        id="§9",
        title="示范引领",
        requirement="通过现场会、经验介绍、观摩学习等方式提升知名度；每年培育先进基层党组织、优秀共产党员、优秀党务工作者；在市级以上官方媒体宣传报道。",
        features=(
            "现场会、经验介绍、观摩学习的记录",
            "年度评选表彰记录（先进基层党组织、优秀共产党员、优秀党务工作者）",
            "宣传报道登记，注明媒体级别",
        ),
        pages=(
            Page("honors:roll", "荣誉榜"),
            Page("honors:publicity_list", "宣传报道"),
            Page("honors:event_list", "示范活动"),
        ),
        tests=(
            _TESTS + "honors/test_services.py::test_the_workflow_moves_submit_review_award",
            _TESTS + "honors/test_services.py::test_one_nomination_per_nominee_kind_and_year",
            _TESTS + "honors/test_services.py::test_the_nominee_must_fit_the_kind",
            _TESTS + "dashboards/test_conformance.py::test_the_demonstration_rule_needs_all_three",
        ),
        check=AllOf(
            (
                AtLeast(
                    "demonstration_events",
                    _n(1),
                    "本年现场会、经验介绍、观摩学习 {value} 次",
                    "没有示范活动记录",
                ),
                AtLeast("honors_awarded", _n(1), "本年评选表彰 {value} 项", "没有评选表彰记录"),
                AtLeast(
                    "publicity_city_or_above",
                    _n(1),
                    "本年市级以上官方媒体宣传报道 {value} 篇",
                    "没有宣传报道记录",
                ),
            )
        ),
        basis="三类工作本年各至少一次（项、篇）。",
        scope=Scope.PLATFORM,
        service=Service.MIXED,
        offline="现场会、观摩学习和媒体报道在线下进行，平台登记记录和媒体级别。",
    ),
    Clause(
        id="§10.1.1",
        title="服务评价内容",
        requirement="建立服务评价管理制度，评价服务对象满意度、服务时间准确率、服务项目完成率、有效投诉办结率。",
        features=(
            "服务后自动邀请服务对象评价满意度",
            "四项评价指标及其公式，无分母时显示“—”",
            "各站指标对比",
        ),
        pages=(
            Page("evaluation:indicators", "服务评价指标"),
            Page("evaluation:comparison", "各站指标对比"),
            Page("evaluation:pending", "待评价"),
        ),
        tests=(
            _TESTS + "evaluation/test_indicators.py::test_the_hand_computed_fixture",
            _TESTS + "evaluation/test_indicators.py::test_zero_denominators_give_a_dash_not_zero_percent",
            _TESTS
            + "evaluation/test_indicators_db.py::test_station_indicators_match_the_hand_computed_fixture",
            _TESTS + "evaluation/test_surveys.py::test_one_answer_per_person_and_occasion",
            _TESTS + "feedback/test_indicator.py::test_valid_complaints_and_those_closed_as_resolved",
        ),
        check=AllOf(
            (
                Rate(
                    "satisfaction", Decimal("0.9"), Decimal("0.8"), "服务对象满意度 {rate}", "没有满意度评价"
                ),
                Rate(
                    "service_time_accuracy",
                    Decimal("0.9"),
                    Decimal("0.8"),
                    "服务时间准确率 {rate}",
                    "没有到期的服务记录",
                ),
                Rate(
                    "item_completion", Decimal("0.9"), Decimal("0.8"), "服务项目完成率 {rate}", "没有服务项目"
                ),
                Rate(
                    "complaint_resolution",
                    Decimal("0.9"),
                    Decimal("0.8"),
                    "有效投诉办结率 {rate}",
                    "没有有效投诉",
                ),
            )
        ),
        basis="标准未给数值：平台以四项均达到 90% 为已达标，80% 以上为部分达标。",
    ),
    Clause(
        id="§10.1.2",
        title="征求意见途径",
        requirement="征求入驻单位和周边楼宇、街道、社区的意见建议，设立投诉箱、意见簿，开通互联网反馈。",
        features=(
            "在线反馈，可匿名，凭查询码跟踪、评价、重新打开",
            "投诉箱、意见簿的纸质意见由工作人员录入并保留渠道",
            "周边楼宇、社区、街道的人员同样可以反馈",
        ),
        pages=(
            Page("feedback:submit", "意见反馈"),
            Page("feedback:paper", "纸质意见录入"),
            Page("feedback:manage_list", "意见处理"),
        ),
        tests=(
            _TESTS
            + "feedback/test_workflow.py::test_anonymous_submission_gets_a_tracking_code_and_a_due_date",
            _TESTS + "feedback/test_workflow.py::test_paper_entry_keeps_the_channel_and_who_entered_it",
            _TESTS + "feedback/test_workflow.py::test_the_whole_way_through",
            _TESTS + "browser/test_feedback_phone.py::test_anonymous_submit_track_rate_and_reopen_on_a_phone",
        ),
        check=AtLeast("feedback_total", _n(1), "本年收到意见建议 {value} 条", "没有意见建议记录"),
        basis="本年收到过意见建议，说明征求渠道在用；一条也没有为未达标。",
    ),
    Clause(
        id="§10.2",
        title="服务改进",
        requirement="对评价内容进行分析，制定整改措施，纠正不合格的服务，并跟踪整改措施的落实情况。",
        features=(
            "整改措施：责任人、期限、佐证材料，由他人验证后关闭",
            "逾期提醒站点管理员和总站",
            "整改公示页",
            "投诉办结后提交人可重新打开",
        ),
        pages=(
            Page("evaluation:measures", "整改措施"),
            Page("evaluation:accountability", "整改公示", by_station=True),
        ),
        tests=(
            _TESTS + "evaluation/test_rectifications.py::test_the_whole_way_to_closed",
            _TESTS + "evaluation/test_rectifications.py::test_closing_without_evidence_is_refused",
            _TESTS
            + "evaluation/test_rectifications.py::test_the_overdue_alert_is_sent_once_to_the_station_admin_and_hq",
            _TESTS + "feedback/test_workflow.py::test_reopening_after_closing",
        ),
        check=NoneOf(
            bad="rectifications_overdue",
            total="rectifications_open",
            text="在办整改措施 {total} 项中 {bad} 项已逾期",
            empty="目前没有在办的整改措施",
        ),
        basis="整改要跟踪到底：在办措施没有逾期为已达标，部分逾期为部分达标，全部逾期为未达标。",
    ),
)

# Numbered clauses of the standard that state no requirement.
INFORMATIVE: dict[str, str] = {
    "§1": "范围：说明本文件的内容和适用范围，不含要求。",
    "§2": "规范性引用文件：本文件没有规范性引用文件。",
}

CLAUSES: dict[str, Clause] = {entry.id: entry for entry in TABLE}
HQ_ONLY: frozenset[str] = frozenset(entry.id for entry in TABLE if entry.scope is Scope.PLATFORM)


def evaluate(metrics: Metrics, *, platform: bool = False) -> list[ClauseStatus]:
    """The status of every measured clause, in the standard's order.

    One station's metrics give the per-station clauses; the platform-wide metrics (`platform=True`)
    give every measured clause, the HQ-only ones (`HQ_ONLY`) included. A missing key counts as None.
    """
    statuses = []
    for entry in TABLE:
        if entry.check is None or (entry.scope is Scope.PLATFORM and not platform):
            continue
        status, explanation = entry.check.judge(metrics)
        statuses.append(ClauseStatus(entry, status, explanation))
    return statuses


# ---------------------------------------------------------------- the document


def _section(entry: Clause) -> list[str]:
    lines = [
        f"### {entry.id} {entry.title}",
        "",
        f"- 标准要求：{entry.requirement}",
        f"- 适用范围：{entry.scope.label}；实现方式：{entry.service.label}",
        "- 平台功能：" + "；".join(entry.features),
    ]
    if entry.pages:
        pages = "、".join(
            f"{page.label}（`{page.name}`{'，带站点编码' if page.by_station else ''}）"
            for page in entry.pages
        )
        lines.append(f"- 证据页面：{pages}")
    lines.append("- 证明测试：")
    lines += [f"  - `{test}`" for test in entry.tests]
    lines.append(f"- 判定规则：{entry.check.rule}" if entry.check else "- 判定规则：不由指标判定")
    if entry.basis:
        lines.append(f"- 依据：{entry.basis}")
    if entry.offline:
        lines.append(f"- 线下部分：{entry.offline}")
    return [*lines, ""]


def render_markdown() -> str:
    summary = [
        "| 条款 | 标题 | 适用范围 | 实现方式 | 状态判定 |",
        "|---|---|---|---|---|",
        *(
            f"| {e.id} | {e.title} | {e.scope.label} | {e.service.label} | {'按指标' if e.measured else '不由指标判定'} |"
            for e in TABLE
        ),
    ]
    informative = [f"- {clause}：{reason}" for clause, reason in INFORMATIVE.items()]
    lines = [
        "# DB3212/T 1124—2023 符合性表",
        "",
        "本文由 `dangjian/dashboards/conformance.py` 生成，修改表格后重新生成：",
        "",
        "```",
        ".venv/bin/python -m dangjian.dashboards.conformance > docs/conformance.md",
        "```",
        "",
        "表中引用的全部测试可以一次运行：`.venv/bin/python -m pytest $(.venv/bin/python -m dangjian.dashboards.conformance --tests)`。",
        "",
        "《楼宇党建共享平台建设规范》（DB3212/T 1124—2023）的每一条要求在表中对应：平台的功能、可打开的证据页面、"
        "证明规则的自动化测试，以及按年度指标判定的状态。测试 `tests/dashboards/test_conformance.py` 检查："
        "MISSION 中提到的每一条和标准正文的每一条都在表中，列出的测试确实存在，证据页面都能打开，判定规则只使用已定义的指标。",
        "",
        "## 状态如何判定",
        "",
        "每个站点每年按指标（`dangjian.dashboards.figures.metrics_for`）逐条判定为四种状态之一：",
        "",
        "- **已达标**：达到下文各条写明的标准；",
        "- **部分达标**：已有进展但未达到标准；",
        "- **未达标**：应有而没有（数量为 0）；",
        "- **无记录**：没有可判定的数据，例如分母为空或为 0（不当作 0%）。",
        "",
        "一条由几项组成时：各项均已达标为已达标，均无记录为无记录，没有一项已达标或部分达标为未达标，其余为部分达标。"
        "适用范围为“全平台（主管单位）”的条款只按全平台汇总指标判定，不在单个站点上显示。"
        "“不由指标判定”的条款由功能和测试证明，不显示状态。",
        "",
        "## 总览",
        "",
        *summary,
        "",
        "## 逐条说明",
        "",
        *(line for entry in TABLE for line in _section(entry)),
        "## 不含要求的条款",
        "",
        *informative,
        "",
        "国家规定（《中国共产党支部工作条例（试行）》《中国共产党发展党员工作细则》）的执行情况见各功能页面，"
        "不属于本标准条款，不在本表中判定。",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--tests"]:  # the cited tests, for `pytest $(… --tests)`
        print("\n".join(sorted({test for entry in TABLE for test in entry.tests})))
    else:
        print(render_markdown(), end="")
