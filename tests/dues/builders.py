"""Dues made through the real services, for the tests and the access matrix (2008 rule, §6.3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django_scopes import scopes_disabled

from dangjian.dues import services
from dangjian.dues.defaults import ensure_default_rule
from dangjian.dues.models import DuesBracket, DuesLine, DuesPayment, DuesRule
from dangjian.dues.periods import add_months
from dangjian.members.models import MemberProfile
from tests.members.builders import make_profile, make_role_holder

BASE = Decimal("4567.89")  # 1% bracket: 45.68 a month
MONTHLY = Decimal("45.68")
# The demo gateway turned on with a key of its own, as DUES_DEMO_PROVIDER_KEY must be (never derived from
# SECRET_KEY); it is off unless a setting turns it on.
DEMO_ON = {
    "DUES_DEMO_PROVIDER": True,
    "DUES_DEMO_PROVIDER_KEY": "tests-only-demo-provider-key-4f1d9a7c2e8b6d3f",
}


def default_rule() -> DuesRule:
    """The 2008 rule (a transactional test's flush removes the data migration's rows)."""
    return ensure_default_rule(DuesRule, DuesBracket)


def now() -> date:
    return services.current_period()


def months_ago(n: int) -> date:
    return add_months(now(), -n)


def make_member(organization: Any, *, base: Decimal | None = BASE, **fields: Any) -> MemberProfile:
    """A member of `organization` with a base declared since January of last year (unless `base` is None)."""
    profile = make_profile(organization, **fields)
    if base is not None:
        declare(profile, base)
    return profile


def treasurer(organization: Any) -> Any:
    """The officer of `organization` who keeps its dues (the 2008 rule: 党费由党支部收缴), made once."""
    from dangjian.accounts.models import User

    username = f"treasurer_{organization.pk}"
    existing = User.objects.filter(username=username).first()
    return existing or make_role_holder(
        username, "org_officer", organization.station, organization=organization
    )


def declare(
    profile: MemberProfile, base: Decimal, *, year: int | None = None, month: int = 1, **kwargs: Any
) -> Any:
    actor = treasurer(profile.organization)
    return services.declaration_save(
        member=profile,
        year=year or now().year - 1,
        effective_month=month,
        monthly_base=base,
        actor=actor,
        **kwargs,
    )


def generate(organization: Any, period: date) -> services.Generation:
    return services.sheet_generate(organization=organization, period=period, actor=treasurer(organization))


def pay_cash(profile: MemberProfile, periods: list[date], **kwargs: Any) -> DuesPayment:
    return services.payment_record(
        organization=profile.organization,
        member=profile,
        periods=periods,
        method="cash",
        actor=treasurer(profile.organization),
        **kwargs,
    )


def lines_of(profile: MemberProfile) -> list[DuesLine]:
    with scopes_disabled():
        return list(DuesLine.objects.filter(member=profile).order_by("period"))


def count(model: Any, **filters: Any) -> int:
    with scopes_disabled():
        return model.objects.filter(**filters).count()
