"""Pricing of dues lines from the database: which rule version, declaration, relief and farmer amount
apply to a member in a month, then `amounts.monthly_amount` (the 2008 rule, DB3212/T 1124 §6.3).

A `Pricer` reads everything it needs for a set of members in a fixed number of queries, so pricing 3 or
300 members costs the same number of queries (DESIGN.md: constant query counts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from dangjian.dues.amounts import (
    ZERO,
    Basis,
    DuesRuleError,
    Reduction,
    ReliefKind,
    apply_reduction,
    basis_of,
    to_fen,
)
from dangjian.dues.amounts import (
    standard_amount as rule_amount,
)
from dangjian.dues.models import DuesLine, DuesRelief, DuesRule, IncomeDeclaration, OrganizationDuesSetting

NO_RULE_MESSAGE = "未配置党费计算规则，请联系平台管理员"


@dataclass(frozen=True)
class Priced:
    """The priced fields of one line."""

    rule: DuesRule
    base: Decimal | None
    standard_amount: Decimal
    relief: DuesRelief | None
    amount_due: Decimal
    extra_amount: Decimal

    def apply_to(self, line: DuesLine) -> None:
        line.rule = self.rule
        line.base = self.base
        line.standard_amount = self.standard_amount
        line.relief = self.relief
        line.amount_due = self.amount_due
        line.extra_amount = self.extra_amount


def needs_base(dues_category: str) -> bool:
    """在职 and 离退休 members are priced from a declared base; the others pay fixed amounts."""
    return basis_of(dues_category) in (Basis.INCOME, Basis.PENSION)


def rule_in_force(period: date) -> DuesRule:
    """The rule version in force in a month: the latest that took effect on or before its first day."""
    rule = (
        DuesRule.objects.filter(effective_from__lte=period)
        .prefetch_related("brackets")
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise ValidationError(NO_RULE_MESSAGE, code="no_rule")
    return rule


class Pricer:
    """Prices members of some organisations in any month. Must run inside a scope that covers the
    members' stations (the services enter their organisation's station scope)."""

    def __init__(self, *, member_ids: Iterable[int], organization_ids: Iterable[int]) -> None:
        member_ids, organization_ids = list(member_ids), list(organization_ids)
        self.rules = list(DuesRule.objects.prefetch_related("brackets").order_by("-effective_from"))
        self._rulesets = {rule.pk: rule.ruleset() for rule in self.rules}
        self.declarations: defaultdict[int, list[IncomeDeclaration]] = defaultdict(list)
        for declaration in IncomeDeclaration.objects.filter(member_id__in=member_ids).order_by(
            "-year", "-effective_month"
        ):
            self.declarations[declaration.member_id].append(declaration)
        self.reliefs: defaultdict[int, list[DuesRelief]] = defaultdict(list)
        for relief in DuesRelief.objects.filter(member_id__in=member_ids).order_by("-start", "-id"):
            self.reliefs[relief.member_id].append(relief)
        self.farmer_amounts = dict(
            OrganizationDuesSetting.objects.filter(organization_id__in=organization_ids).values_list(
                "organization_id", "farmer_amount"
            )
        )

    def rule_for(self, period: date) -> DuesRule:
        """The version in force in the month: the latest that took effect on or before its first day."""
        for rule in self.rules:
            if rule.effective_from <= period:
                return rule
        raise ValidationError(NO_RULE_MESSAGE, code="no_rule")

    def declaration_for(self, member_id: int, period: date) -> IncomeDeclaration | None:
        """The latest declaration effective on or before the month (a mid-year pay change starts from
        its month; a year not yet declared goes on at the last declared base)."""
        for declaration in self.declarations[member_id]:
            if declaration.effective_from <= period:
                return declaration
        return None

    def relief_for(self, member_id: int, period: date) -> DuesRelief | None:
        return next((relief for relief in self.reliefs[member_id] if relief.covers(period)), None)

    def price(
        self, *, member_id: int, dues_category: str, organization_id: int, period: date
    ) -> Priced | None:
        """The line's amounts, or None when the member's category needs a base that was never declared."""
        declaration = self.declaration_for(member_id, period)
        if needs_base(dues_category) and declaration is None:
            return None
        rule = self.rule_for(period)
        base = declaration.monthly_base if declaration is not None and needs_base(dues_category) else None
        relief = self.relief_for(member_id, period)
        try:
            standard = rule_amount(
                category=dues_category,
                base=base,
                rule=self._rulesets[rule.pk],
                farmer_amount=self.farmer_amounts.get(organization_id),
            )
            due = apply_reduction(standard, reduction_of(relief))
        except DuesRuleError as error:
            raise ValidationError(str(error), code="rule") from error
        extra = to_fen(declaration.voluntary_extra) if declaration is not None else ZERO
        return Priced(rule, base, standard, relief, due, extra)


def reduction_of(relief: DuesRelief | None) -> Reduction | None:
    if relief is None:
        return None
    if relief.kind == ReliefKind.WAIVER:
        return Reduction(ReliefKind.WAIVER)
    return Reduction(ReliefKind.REDUCTION, relief.reduced_amount or ZERO)
