"""The member-development pipeline as data: the five stages and 25 steps of 《中国共产党发展党员工作细则》
(中共中央 2014 年 6 月印发, "the 2014 rules") and their timing rules — pure (no database, no Django).

A `RuleSet` is one version of the rules, in force from `effective_from`; `rules_on(day)` picks the version
in force on a day (like `dangjian.dues.amounts`). A later revision is a new `RuleSet` appended to
`VERSIONS`: candidates keep being judged by the version in force on the date of each step.

Numbers taken from the 2014 rules (a rule's `basis` names where it comes from):

- 党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话 (a deadline: late talks stay possible, shown overdue);
- 入党积极分子由支部委员会研究决定，并报上级党委备案; 指定一至两名正式党员作培养联系人;
- 党支部每半年对入党积极分子进行一次考察; 入党积极分子每季度向党组织汇报一次思想 (the issue's quarterly report);
- 经过一年以上培养教育和考察 才能确定为发展对象 (earliest: the same calendar day one year after the activist
  was determined; 29 February counts as 28 February);
- 集中培训时间一般不少于三天（或不少于24个学时）;
- 两名正式党员作入党介绍人;
- 预审前公示: the 2014 rules require the notice without fixing its length; the platform uses the common
  practice of at least five working days (Monday to Friday; public holidays are not modelled);
- 支部大会：有表决权的到会人数必须超过应到会有表决权人数的半数；赞成人数超过应到会有表决权的正式党员的半数，才能通过;
- 上级党委审批 within three months of the branch meeting, six at most in special cases (a hard limit);
- 预备期为一年，从支部大会通过之日算起; the full-membership meeting is held once it has ended, the
  superior committee approves within three months; 转为正式党员的时间自预备期满之日算起.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class Responsible(StrEnum):
    SECRETARY = "secretary"  # 党支部书记（或委员）办理
    CONTACT = "contact"  # 培养联系人
    SUPERIOR = "superior"  # 上级党委（由支部录入结果）
    APPLICANT = "applicant"  # 申请人本人


@dataclass(frozen=True)
class Stage:
    number: int
    title: str


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    stage: int
    title: str
    after: tuple[str, ...] = ()  # steps that must be done first (their dates bound this one's)
    responsible: Responsible = Responsible.SECRETARY
    documents: tuple[str, ...] = ()


class Kind(StrEnum):
    EARLIEST = "earliest"  # the step may not be done before anchor + period
    DEADLINE = "deadline"  # the step is due by anchor + period (hard: refused after it)


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0
    working_days: int = 0

    def after(self, day: date) -> date:
        result = add_months(day, self.years * 12 + self.months) + timedelta(days=self.days)
        return add_working_days(result, self.working_days) if self.working_days else result


@dataclass(frozen=True)
class TimingRule:
    code: str
    step: str
    anchor: str
    kind: Kind
    period: Period
    text: str  # the refusal, before "（最早 …）" / "（最迟 …）"
    basis: str = "《中国共产党发展党员工作细则》"
    hard: bool = False
    special_period: Period | None = None  # the longer limit allowed in special cases

    def limit(self, anchor_day: date, *, special: bool = False) -> date:
        """The earliest allowed day (EARLIEST) or the last allowed day (DEADLINE)."""
        period = self.special_period if special and self.special_period else self.period
        return period.after(anchor_day)


@dataclass(frozen=True)
class RuleSet:
    effective_from: date
    name: str
    stages: tuple[Stage, ...]
    steps: tuple[Step, ...]
    timing: tuple[TimingRule, ...]
    contact_persons: tuple[int, int] = (1, 2)
    introducers: int = 2
    training_days: int = 3
    training_hours: int = 24
    notice_working_days: int = 5
    evaluation_months: int = 6
    thought_report_months: int = 3
    probation: Period = field(default_factory=lambda: Period(years=1))
    steps_by_key: dict[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps_by_key", {step.key: step for step in self.steps})

    def step(self, key: str) -> Step:
        return self.steps_by_key[key]

    def stage_steps(self, stage: int) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.stage == stage)

    def rules_for(self, step_key: str) -> tuple[TimingRule, ...]:
        return tuple(rule for rule in self.timing if rule.step == step_key)


# ---------------------------------------------------------------- date arithmetic


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the target month lacks becomes its last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day (Monday–Friday) after `day`."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days from `start` to `end`, both included."""
    return sum(1 for n in range((end - start).days + 1) if (start + timedelta(days=n)).weekday() < 5)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- the branch general meeting's vote


@dataclass(frozen=True)
class VoteOutcome:
    entitled: int
    present: int
    votes_for: int

    @property
    def quorate(self) -> bool:
        """有表决权的到会人数超过应到会有表决权人数的半数."""
        return self.present * 2 > self.entitled

    @property
    def passed(self) -> bool:
        """赞成人数超过应到会有表决权的正式党员的半数 (of those entitled, not of those present)."""
        return self.quorate and self.votes_for * 2 > self.entitled

    def problem(self) -> tuple[str, str] | None:
        """Why the vote cannot stand — (message, code) — or None."""
        if self.entitled <= 0:
            return "支部没有有表决权的正式党员，不能召开支部大会表决", "no_voters"
        if not 0 <= self.present <= self.entitled or not 0 <= self.votes_for <= self.present:
            return "到会人数不能超过应到会人数，赞成票不能超过到会人数", "vote_numbers"
        if not self.quorate:
            return (
                f"有表决权的到会人数须超过应到会有表决权人数的半数（应到 {self.entitled} 人，实到 {self.present} 人）",
                "no_quorum",
            )
        if not self.passed:
            return (
                f"赞成人数须超过应到会有表决权的正式党员的半数（应到 {self.entitled} 人，赞成 {self.votes_for} 人）",
                "not_passed",
            )
        return None


# ---------------------------------------------------------------- the 2014 rules


STAGES_2014 = (
    Stage(1, "入党申请"),
    Stage(2, "入党积极分子的确定和培养教育"),
    Stage(3, "发展对象的确定和考察"),
    Stage(4, "预备党员的接收"),
    Stage(5, "预备党员的教育考察和转正"),
)

S = Responsible
STEPS_2014 = (
    Step(1, "apply", 1, "递交入党申请书", (), S.APPLICANT, ("入党申请书",)),
    Step(2, "talk", 1, "党组织派人谈话", ("apply",), S.SECRETARY, ("谈话记录",)),
    Step(3, "activist", 2, "推荐和确定入党积极分子", ("talk",), S.SECRETARY, ("推荐表", "支委会会议记录")),
    Step(4, "activist_filed", 2, "上级党委备案", ("activist",), S.SECRETARY, ("备案报告",)),
    Step(5, "contacts", 2, "指定培养联系人", ("activist",), S.SECRETARY, ()),
    Step(6, "cultivation", 2, "培养教育考察", ("contacts",), S.CONTACT, ("考察表", "思想汇报")),
    Step(7, "target", 3, "确定发展对象", ("cultivation", "activist_filed"), S.SECRETARY, ("支委会会议记录",)),
    Step(8, "target_filed", 3, "报上级党委备案", ("target",), S.SECRETARY, ("备案报告",)),
    Step(9, "introducers", 3, "确定入党介绍人", ("target",), S.SECRETARY, ()),
    Step(10, "political_review", 3, "进行政治审查", ("target",), S.SECRETARY, ("政审材料",)),
    Step(11, "training", 3, "开展集中培训", ("target",), S.SECRETARY, ("培训结业证书",)),
    Step(
        12,
        "committee_review",
        4,
        "支部委员会审查",
        ("target_filed", "introducers", "political_review", "training"),
        S.SECRETARY,
        ("支委会会议记录",),
    ),
    Step(
        13, "pre_review", 4, "上级党委预审（含公示）", ("committee_review",), S.SUPERIOR, ("公示", "预审意见")
    ),
    Step(14, "application_form", 4, "填写入党志愿书", ("pre_review",), S.APPLICANT, ("入党志愿书",)),
    Step(15, "branch_meeting", 4, "支部大会讨论", ("application_form",), S.SECRETARY, ("支部大会会议记录",)),
    Step(16, "superior_talk", 4, "上级党委派人谈话", ("branch_meeting",), S.SUPERIOR, ("谈话记录",)),
    Step(17, "approval", 4, "上级党委审批", ("superior_talk",), S.SUPERIOR, ("审批意见",)),
    Step(18, "approval_filed", 4, "再上一级党委组织部门备案", ("approval",), S.SECRETARY, ("备案报告",)),
    Step(19, "assigned", 5, "编入党支部和党小组", ("approval",), S.SECRETARY, ()),
    Step(20, "oath", 5, "入党宣誓", ("approval",), S.SECRETARY, ()),
    Step(21, "probation_education", 5, "继续教育考察", ("assigned",), S.CONTACT, ("考察表",)),
    Step(22, "full_request", 5, "提出转正申请", ("probation_education",), S.APPLICANT, ("转正申请",)),
    Step(
        23,
        "full_meeting",
        5,
        "支部大会讨论转正",
        ("full_request", "oath"),
        S.SECRETARY,
        ("支部大会会议记录",),
    ),
    Step(24, "full_approval", 5, "上级党委审批转正", ("full_meeting",), S.SUPERIOR, ("审批意见",)),
    Step(25, "archived", 5, "材料归档", ("full_approval", "approval_filed"), S.SECRETARY, ("入党材料目录",)),
)

K = Kind
TIMING_2014 = (
    TimingRule(
        "talk_within_month",
        "talk",
        "apply",
        K.DEADLINE,
        Period(months=1),
        "党组织应当在收到入党申请书后一个月内派人同入党申请人谈话",
        "《中国共产党发展党员工作细则》第七条",
    ),
    TimingRule(
        "activist_one_year",
        "target",
        "activist",
        K.EARLIEST,
        Period(years=1),
        "成为入党积极分子满一年后才能确定为发展对象",
        "《中国共产党发展党员工作细则》第十三条",
    ),
    TimingRule(
        "cultivation_one_year",
        "cultivation",
        "activist",
        K.EARLIEST,
        Period(years=1),
        "入党积极分子须经过一年以上培养教育和考察",
        "《中国共产党发展党员工作细则》第十三条",
    ),
    TimingRule(
        "approval_three_months",
        "approval",
        "branch_meeting",
        K.DEADLINE,
        Period(months=3),
        "上级党委应当在支部大会通过后三个月内审批，特殊情况最长不超过六个月",
        "《中国共产党发展党员工作细则》第二十五条",
        hard=True,
        special_period=Period(months=6),
    ),
    TimingRule(
        "probation_one_year",
        "full_meeting",
        "branch_meeting",
        K.EARLIEST,
        Period(years=1),
        "预备期满一年后才能讨论转为正式党员",
        "《中国共产党发展党员工作细则》第二十九条",
    ),
    TimingRule(
        "full_request_due",
        "full_request",
        "branch_meeting",
        K.DEADLINE,
        Period(years=1),
        "预备期满时预备党员应当提出转正申请",
        "《中国共产党发展党员工作细则》第三十一条",
    ),
    TimingRule(
        "full_approval_three_months",
        "full_approval",
        "full_meeting",
        K.DEADLINE,
        Period(months=3),
        "上级党委应当在支部大会讨论转正后三个月内审批",
        "《中国共产党发展党员工作细则》第三十二条",
        hard=True,
    ),
)

RULES_2014 = RuleSet(
    effective_from=date(2014, 6, 10),
    name="中国共产党发展党员工作细则（2014）",
    stages=STAGES_2014,
    steps=STEPS_2014,
    timing=TIMING_2014,
)

VERSIONS: tuple[RuleSet, ...] = (RULES_2014,)


def rules_on(day: date) -> RuleSet:
    """The version in force on `day` (the earliest version for days before every version)."""
    in_force = [rules for rules in VERSIONS if rules.effective_from <= day]
    return max(in_force, key=lambda rules: rules.effective_from) if in_force else VERSIONS[0]


def step_label(rules: RuleSet, key: str) -> str:
    step = rules.step(key)
    return f"第{step.number}步 {step.title}"
