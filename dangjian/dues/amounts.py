"""The party-dues amount of one member for one month: the pure rules engine (no database, no Django).

Rules: 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号, "the 2008 rule"), which the platform
serves under DB3212/T 1124—2023 §6.3 (党费收缴) and §8 (党费 as a funding source of the stations):

- 在职 (employed), monthly after-tax income (税后月工资收入) as the base; the rate applies to the whole base:
  ≤ 3000: 0.5%; > 3000 to 5000: 1%; > 5000 to 10000: 1.5%; > 10000: 2%;
- 离退休 (retired), monthly pension as the base: ≤ 5000: 0.5%; > 5000: 1%;
- 学生, 失业, 依靠最低生活保障或救济 (students, unemployed, on subsistence or relief): 0.20 yuan a month;
- 农民 (farmers): 0.20 to 1.00 yuan a month, the amount set by the branch;
- 生活困难 (hardship): reduced or waived with the organisation's approval;
- 自愿多交 (voluntary extra): on top of the amount due, never instead of it.

Amounts are `Decimal` only — a float anywhere is a programming error and raises `TypeError`. Rounding
(docs/dues.md “金额与舍入规则”): the monthly amount is computed exactly and rounded once, to the fen
(0.01 yuan), half up (四舍五入, `ROUND_HALF_UP`); sums are taken of rounded monthly amounts.

`RuleSet` is the data of one version of the rule (the database keeps versions as `DuesRule` rows with
their brackets, chosen by effective date); `NATIONAL_2008` is the default version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


class DuesRuleError(ValueError):
    """Input the rule cannot price (a missing or negative base, a farmer amount out of range…)."""


class Basis(StrEnum):
    """How the 2008 rule prices a category of member."""

    INCOME = "income"  # 在职: brackets of monthly after-tax income
    PENSION = "pension"  # 离退休: brackets of the monthly pension
    MINIMAL = "minimal"  # 学生、失业、低保或救济: a fixed small amount
    FARMER = "farmer"  # 农民: an amount in the rule's range, set by the branch


# `MemberProfile.dues_category` values (dangjian.members.models.DuesCategory) → basis.
CATEGORY_BASIS: dict[str, Basis] = {
    "employed": Basis.INCOME,
    "retired": Basis.PENSION,
    "student": Basis.MINIMAL,
    "unemployed": Basis.MINIMAL,
    "farmer": Basis.FARMER,
}


@dataclass(frozen=True)
class Bracket:
    """Bases up to and including `upper` (None: no upper limit) pay `rate` of the whole base."""

    upper: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class RuleSet:
    """One version of the dues rule, in force from `effective_from`."""

    effective_from: date
    income: tuple[Bracket, ...]
    pension: tuple[Bracket, ...]
    minimal_amount: Decimal
    farmer_min: Decimal
    farmer_max: Decimal
    name: str = ""


class ReliefKind(StrEnum):
    """Hardship relief approved by the organisation (2008 rule: 生活困难的党员经组织批准可少交或免交)."""

    WAIVER = "waiver"  # 免交
    REDUCTION = "reduction"  # 减交：交纳组织批准的较少金额


@dataclass(frozen=True)
class Reduction:
    kind: ReliefKind
    amount: Decimal = ZERO  # the approved monthly amount of a REDUCTION


NATIONAL_2008 = RuleSet(
    name="中组发〔2008〕3号",
    effective_from=date(2008, 1, 1),
    income=(
        Bracket(Decimal("3000.00"), Decimal("0.005")),
        Bracket(Decimal("5000.00"), Decimal("0.01")),
        Bracket(Decimal("10000.00"), Decimal("0.015")),
        Bracket(None, Decimal("0.02")),
    ),
    pension=(
        Bracket(Decimal("5000.00"), Decimal("0.005")),
        Bracket(None, Decimal("0.01")),
    ),
    minimal_amount=Decimal("0.20"),
    farmer_min=Decimal("0.20"),
    farmer_max=Decimal("1.00"),
)


def to_fen(value: Decimal) -> Decimal:
    """Round to the fen, half up (docs/dues.md “金额与舍入规则”): 12.345 → 12.35, 12.344 → 12.34."""
    return require_decimal(value, "金额").quantize(FEN, rounding=ROUND_HALF_UP)


def require_decimal(value: object, what: str) -> Decimal:
    """`value` itself if it is a finite Decimal; a float (or anything else) is a programming error."""
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise DuesRuleError(f"{what}不是有效的数")
    return value


def basis_of(category: str) -> Basis:
    try:
        return CATEGORY_BASIS[category]
    except KeyError:
        raise DuesRuleError(f"未知的党费类别：{category}") from None


def rate_for(brackets: tuple[Bracket, ...], base: Decimal) -> Decimal:
    """The rate of the first bracket whose inclusive upper bound holds `base` (2008 rule: the rate applies
    to the whole base, not progressively)."""
    for bracket in brackets:
        if bracket.upper is None or base <= bracket.upper:
            return bracket.rate
    raise DuesRuleError("党费比例表不完整：缺少无上限的最高档")


def standard_amount(
    *, category: str, base: Decimal | None, rule: RuleSet, farmer_amount: Decimal | None
) -> Decimal:
    """The amount the rule sets for the category, before any hardship relief."""
    basis = basis_of(category)
    if basis is Basis.MINIMAL:
        return to_fen(rule.minimal_amount)
    if basis is Basis.FARMER:
        return farmer_monthly(rule, farmer_amount)
    if base is None:
        raise DuesRuleError("请先申报月收入基数（在职党员为税后月工资收入，离退休党员为月养老金）")
    base = require_decimal(base, "收入基数")
    if base < 0:
        raise DuesRuleError("收入基数不能为负数")
    base = to_fen(base)
    brackets = rule.income if basis is Basis.INCOME else rule.pension
    return to_fen(base * rate_for(brackets, base))


def farmer_monthly(rule: RuleSet, farmer_amount: Decimal | None) -> Decimal:
    """A farmer's monthly amount: the branch's setting (default the rule's minimum), within the rule's range."""
    amount = rule.farmer_min if farmer_amount is None else require_decimal(farmer_amount, "农民党员月交金额")
    if not rule.farmer_min <= amount <= rule.farmer_max:
        raise DuesRuleError(f"农民党员每月交纳党费应在 {rule.farmer_min} 元至 {rule.farmer_max} 元之间")
    return to_fen(amount)


def apply_reduction(amount: Decimal, reduction: Reduction | None) -> Decimal:
    """Hardship relief: a waiver makes the month free; a reduction lowers it to the approved amount (never
    raises it)."""
    if reduction is None:
        return amount
    if reduction.kind == ReliefKind.WAIVER:
        return ZERO
    reduced = require_decimal(reduction.amount, "减交后金额")
    if reduced < 0:
        raise DuesRuleError("减交后金额不能为负数")
    return min(amount, to_fen(reduced))


def monthly_amount(
    *,
    category: str,
    base: Decimal | None = None,
    rule: RuleSet = NATIONAL_2008,
    farmer_amount: Decimal | None = None,
    reduction: Reduction | None = None,
) -> Decimal:
    """The dues one member owes for one month, in yuan to the fen.

    `category` is a `MemberProfile.dues_category` value; `base` the declared monthly after-tax income
    (在职) or pension (离退休), unused for the other categories; `farmer_amount` the branch's setting for
    farmers; `reduction` an approved hardship relief. See the module docstring for the 2008 rule."""
    standard = standard_amount(category=category, base=base, rule=rule, farmer_amount=farmer_amount)
    return apply_reduction(standard, reduction)


def with_voluntary_extra(amount: Decimal, extra: Decimal) -> Decimal:
    """What a member pays for a month when they voluntarily pay more (自愿多交): the amount due plus the
    extra, which may not be negative."""
    extra = require_decimal(extra, "自愿多交金额")
    if extra < 0:
        raise DuesRuleError("自愿多交金额不能为负数")
    return to_fen(require_decimal(amount, "应交金额") + extra)
