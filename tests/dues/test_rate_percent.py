"""收缴率 is rounded half up to one decimal, as its docs say (half-even showed 12.25% as 12.2%)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dangjian.dues.services import rate_percent


@pytest.mark.parametrize(
    ("paid", "due", "rate"),
    [
        ("12.25", "100", "12.3"),  # the reported case: half-even gave 12.2
        ("12.35", "100", "12.4"),
        ("0.05", "100", "0.1"),
        ("99.95", "100", "100.0"),
        ("49", "400", "12.3"),  # 12.25 from a division
        ("12.249", "100", "12.2"),  # just below the boundary stays down
        ("12.2501", "100", "12.3"),
        ("1", "3", "33.3"),
        ("2", "3", "66.7"),
        ("0", "100", "0.0"),
        ("100", "100", "100.0"),
        ("150", "100", "150.0"),  # 多交 counts
        ("0", "0", "100.0"),  # nothing due is fully collected
    ],
)
def test_rate_percent_rounds_half_up(paid, due, rate) -> None:
    result = rate_percent(Decimal(paid), Decimal(due))
    assert result == Decimal(rate)
    assert str(result) == rate  # one decimal, always
