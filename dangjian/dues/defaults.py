"""The rule every platform starts with: the 2008 national rule (中组发〔2008〕3号), as rows.

Used by the data migration (with historical models) and by tests whose database was flushed."""

from __future__ import annotations

from typing import Any

from dangjian.dues.amounts import NATIONAL_2008, Bracket

NATIONAL_2008_NOTE = (
    "《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）：在职党员按税后月工资收入，"
    "3000元以下（含）0.5%，3000–5000元（含）1%，5000–10000元（含）1.5%，10000元以上2%；"
    "离退休党员按月养老金，5000元以下（含）0.5%，5000元以上1%；学生、失业、依靠最低生活保障或救济的党员"
    "每月0.2元；农民党员每月0.2–1元，由党支部确定；生活困难的党员经组织批准可少交或免交；"
    "自愿多交党费不限。比例适用于全部基数。"
)


def ensure_default_rule(rule_model: Any, bracket_model: Any) -> Any:
    """The 2008 rule's row and brackets, created if missing; returns the rule row."""
    rule, created = rule_model.objects.get_or_create(
        effective_from=NATIONAL_2008.effective_from,
        defaults={
            "name": NATIONAL_2008.name,
            "minimal_amount": NATIONAL_2008.minimal_amount,
            "farmer_min": NATIONAL_2008.farmer_min,
            "farmer_max": NATIONAL_2008.farmer_max,
            "note": NATIONAL_2008_NOTE,
        },
    )
    if created:
        bracket_model.objects.bulk_create(
            [
                *_rows(bracket_model, rule, "income", NATIONAL_2008.income),
                *_rows(bracket_model, rule, "pension", NATIONAL_2008.pension),
            ]
        )
    return rule


def _rows(bracket_model: Any, rule: Any, kind: str, brackets: tuple[Bracket, ...]) -> list[Any]:
    return [bracket_model(rule=rule, kind=kind, upper=b.upper, rate=b.rate) for b in brackets]
