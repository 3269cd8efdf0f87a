"""The 2008 party-dues rule (中组发〔2008〕3号) as served by DB3212/T 1124 §6.3: amounts at every bracket
boundary and for every category, Decimal only, rounded to the fen half up (docs/dues.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dangjian.dues.amounts import (
    NATIONAL_2008,
    DuesRuleError,
    Reduction,
    ReliefKind,
    monthly_amount,
    to_fen,
    with_voluntary_extra,
)

D = Decimal

EMPLOYED = [
    # base, amount: ≤3000 0.5%; >3000–5000 1%; >5000–10000 1.5%; >10000 2% (of the whole base)
    ("0.00", "0.00"),
    ("1001.00", "5.01"),  # 5.005 → half up
    ("3000.00", "15.00"),
    ("3000.01", "30.00"),
    ("4567.89", "45.68"),
    ("5000.00", "50.00"),
    ("5000.01", "75.00"),
    ("10000.00", "150.00"),
    ("10000.01", "200.00"),
    ("25000.00", "500.00"),
]
RETIRED = [
    # pension ≤5000 0.5%; >5000 1%
    ("3000.00", "15.00"),
    ("5000.00", "25.00"),
    ("5000.01", "50.00"),
    ("8000.00", "80.00"),
]


@pytest.mark.parametrize(("base", "expected"), EMPLOYED)
def test_employed_brackets(base: str, expected: str) -> None:
    assert monthly_amount(category="employed", base=D(base), rule=NATIONAL_2008) == D(expected)


@pytest.mark.parametrize(("base", "expected"), RETIRED)
def test_retired_brackets(base: str, expected: str) -> None:
    assert monthly_amount(category="retired", base=D(base), rule=NATIONAL_2008) == D(expected)


@pytest.mark.parametrize(
    ("category", "base", "farmer_amount", "reduction", "expected"),
    [
        ("student", None, None, None, "0.20"),
        ("student", D("2000.00"), None, None, "0.20"),  # a student's stipend is not a base
        ("unemployed", None, None, None, "0.20"),  # 失业、低保或救济
        ("farmer", None, None, None, "0.20"),  # the branch has set nothing: the minimum
        ("farmer", None, D("0.50"), None, "0.50"),
        ("farmer", None, D("1.00"), None, "1.00"),
        ("employed", D("4567.89"), None, Reduction(ReliefKind.WAIVER), "0.00"),
        ("employed", D("4567.89"), None, Reduction(ReliefKind.REDUCTION, D("5.00")), "5.00"),
        ("employed", D("1000.00"), None, Reduction(ReliefKind.REDUCTION, D("9.00")), "5.00"),  # never more
        ("retired", D("6000.00"), None, Reduction(ReliefKind.WAIVER), "0.00"),
        ("student", None, None, Reduction(ReliefKind.WAIVER), "0.00"),
    ],
)
def test_every_category(category, base, farmer_amount, reduction, expected) -> None:
    amount = monthly_amount(
        category=category, base=base, rule=NATIONAL_2008, farmer_amount=farmer_amount, reduction=reduction
    )
    assert amount == D(expected)
    assert isinstance(amount, Decimal)
    assert amount.as_tuple().exponent == -2  # always to the fen


@pytest.mark.parametrize(
    ("amount", "extra", "expected"), [("15.00", "0", "15.00"), ("15.00", "100", "115.00")]
)
def test_voluntary_extra(amount: str, extra: str, expected: str) -> None:
    assert with_voluntary_extra(D(amount), D(extra)) == D(expected)


def test_negative_voluntary_extra_refused() -> None:
    with pytest.raises(DuesRuleError):
        with_voluntary_extra(D("15.00"), D("-1"))


@pytest.mark.parametrize("farmer_amount", ["0.19", "1.01"])
def test_farmer_amount_outside_the_range_is_refused(farmer_amount: str) -> None:
    with pytest.raises(DuesRuleError, match=r"0\.20 元至 1\.00 元"):
        monthly_amount(category="farmer", rule=NATIONAL_2008, farmer_amount=D(farmer_amount))


@pytest.mark.parametrize("category", ["employed", "retired"])
def test_a_base_is_required_where_the_rule_uses_one(category: str) -> None:
    with pytest.raises(DuesRuleError, match="申报"):
        monthly_amount(category=category, rule=NATIONAL_2008)


def test_negative_base_and_unknown_category_are_refused() -> None:
    with pytest.raises(DuesRuleError):
        monthly_amount(category="employed", base=D("-1"), rule=NATIONAL_2008)
    with pytest.raises(DuesRuleError):
        monthly_amount(category="king", base=D("1"), rule=NATIONAL_2008)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"category": "employed", "base": 3000.0},
        {"category": "farmer", "farmer_amount": 0.5},
        {"category": "employed", "base": D("100"), "reduction": Reduction(ReliefKind.REDUCTION, 1.0)},  # type: ignore[arg-type]
    ],
)
def test_floats_are_refused(kwargs) -> None:
    with pytest.raises(TypeError):
        monthly_amount(rule=NATIONAL_2008, **kwargs)
    with pytest.raises(TypeError):
        to_fen(0.1)  # type: ignore[arg-type]


def test_rounding_is_half_up_to_the_fen() -> None:
    assert to_fen(D("12.345")) == D("12.35")
    assert to_fen(D("12.344")) == D("12.34")
    assert to_fen(D("0.005")) == D("0.01")  # half-even would give 0.00
