"""Demo party dues (党费收缴, DB3212/T 1124 §6.3; 2008 national rule) for the demo's member profiles: the
2008 rule, income bases declared since January of last year, monthly sheets of every organisation for
the last seven months and this one, most months paid (cash, transfer or online), a few arrears — one
member unpaid for seven months, so the 6-month alert has something to show — one approved hardship
waiver, and older months closed. The demo `member` login owes last month and this one, to pay online.

Written directly (seed data is not a user's action), priced by the same `Pricer` as the services.
Deterministic: the same random seed gives the same bases and payments on every run.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import User
from dangjian.demo.generators import RANDOM_SEED
from dangjian.dues.amounts import ReliefKind
from dangjian.dues.defaults import ensure_default_rule
from dangjian.dues.models import (
    DuesBracket,
    DuesLine,
    DuesPayment,
    DuesRelief,
    DuesRule,
    DuesSheet,
    IncomeDeclaration,
    PaymentMethod,
)
from dangjian.dues.periods import add_months, month_start
from dangjian.dues.pricing import needs_base
from dangjian.dues.services import fill_sheet
from dangjian.members.models import ACTIVE_STATUSES, MemberProfile

MONTHS_BACK = 7
CLOSED_BEFORE = 2  # months older than this many are closed (结账)
DEMO_MEMBER = "member"
PUNCTUAL_SHARE = 0.85
PAID_THIS_MONTH_SHARE = 0.4
METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER, PaymentMethod.ONLINE)


def create_dues(today: date | None = None) -> int:
    """Dues of the demo's active members; returns how many lines were made."""
    today = today or timezone.localdate()
    rng = random.Random(f"{RANDOM_SEED}-dues")
    with scopes_disabled():
        ensure_default_rule(DuesRule, DuesBracket)
        profiles = list(
            MemberProfile.objects.filter(status__in=ACTIVE_STATUSES)
            .select_related("user", "organization__secretary")
            .order_by("id")
        )
        if not profiles:
            return 0
        _declare(profiles, rng, today)
        lapsed = _choose_lapsed(profiles, rng)
        _relieve(profiles, rng, today, exclude={lapsed.pk})
        _sheets(profiles, today)
        _pay(rng, today, lapsed_id=lapsed.pk)
        return DuesLine.objects.count()


def _keeper(profile: MemberProfile) -> User:
    return profile.organization.secretary or profile.user


def _declare(profiles: list[MemberProfile], rng: random.Random, today: date) -> None:
    """A base for every 在职 and 离退休 member from January of last year (pensions 3,000–7,000; pay
    2,800–16,000, spread over all four brackets); some get a raise this year."""
    rows = []
    for profile in profiles:
        if not needs_base(profile.dues_category):
            continue
        low, high = (3000, 7000) if profile.dues_category == "retired" else (2800, 16000)
        base = Decimal(rng.randrange(low * 100, high * 100)) / 100
        rows.append(_declaration(profile, today.year - 1, 1, base))
        if rng.random() < 0.2 and today.month > 1:
            rows.append(
                _declaration(profile, today.year, rng.randint(1, today.month), base * Decimal("1.08"))
            )
    IncomeDeclaration.objects.bulk_create(rows)


def _declaration(profile: MemberProfile, year: int, month: int, base: Decimal) -> IncomeDeclaration:
    return IncomeDeclaration(
        member=profile,
        station_id=profile.station_id,
        year=year,
        effective_month=month,
        monthly_base=base.quantize(Decimal("0.01")),
        declared_by=_keeper(profile),
        note="年度申报",
    )


def _choose_lapsed(profiles: list[MemberProfile], rng: random.Random) -> MemberProfile:
    others = [p for p in profiles if p.user.username != DEMO_MEMBER and needs_base(p.dues_category)]
    return rng.choice(others or profiles)


def _relieve(profiles: list[MemberProfile], rng: random.Random, today: date, *, exclude: set[int]) -> None:
    candidates = [p for p in profiles if p.user.username != DEMO_MEMBER and p.pk not in exclude]
    profile = rng.choice(candidates)
    DuesRelief.objects.create(
        member=profile,
        organization=profile.organization,
        station_id=profile.station_id,
        kind=ReliefKind.WAIVER,
        start=add_months(month_start(today), -3),
        reason="家庭成员身患重病、生活困难，经支部委员会研究并报上级党委批准，免交党费",
        approved_by=_keeper(profile),
    )


def _sheets(profiles: list[MemberProfile], today: date) -> None:
    current = month_start(today)
    closed_at = timezone.make_aware(datetime.combine(today, time(9)))
    by_organization: defaultdict[int, list[MemberProfile]] = defaultdict(list)
    for profile in profiles:
        by_organization[profile.organization_id].append(profile)
    for members in by_organization.values():
        organization = members[0].organization
        for period in (add_months(current, -n) for n in range(MONTHS_BACK, -1, -1)):
            old = period < add_months(current, -CLOSED_BEFORE)
            sheet = DuesSheet.objects.create(
                organization=organization,
                station_id=organization.station_id,
                period=period,
                generated_by=organization.secretary,
                closed_at=closed_at if old else None,
                closed_by=organization.secretary if old else None,
            )
            fill_sheet(sheet, members)


def _pay(rng: random.Random, today: date, *, lapsed_id: int) -> None:
    """One payment per paid month (members mostly pay monthly), in bulk."""
    current = month_start(today)
    lines = list(
        DuesLine.objects.filter(amount_due__gt=0)
        .select_related("member__user", "member__organization__secretary")
        .order_by("member_id", "period")
    )
    punctual: dict[int, bool] = {}
    paid: list[tuple[DuesLine, DuesPayment]] = []
    for line in lines:
        member = line.member
        if member.pk not in punctual:
            punctual[member.pk] = rng.random() < PUNCTUAL_SHARE
        if _pays(line.period, current, rng, username=member.user.username, punctual=punctual[member.pk]) and (
            member.pk != lapsed_id
        ):
            paid.append((line, _payment(line, rng, today)))
    DuesPayment.objects.bulk_create([payment for _, payment in paid])
    for line, payment in paid:
        line.payment, line.paid_at, line.extra_paid = payment, payment.paid_at, line.extra_amount
    DuesLine.objects.bulk_update([line for line, _ in paid], ["payment", "paid_at", "extra_paid"])


def _pays(period: date, current: date, rng: random.Random, *, username: str, punctual: bool) -> bool:
    if username == DEMO_MEMBER:
        return period < add_months(current, -1)
    if period == current:
        return rng.random() < PAID_THIS_MONTH_SHARE
    return punctual or period < add_months(current, -2)


def _payment(line: DuesLine, rng: random.Random, today: date) -> DuesPayment:
    day = min(line.period + timedelta(days=rng.randint(2, 24)), today)
    paid_at = timezone.make_aware(datetime.combine(day, time(rng.randint(9, 20), rng.randint(0, 59))))
    method = rng.choice(METHODS)
    online = method == PaymentMethod.ONLINE
    return DuesPayment(
        member=line.member,
        organization_id=line.organization_id,
        station_id=line.station_id,
        receipt_no=f"DF{day:%Y%m%d}{rng.getrandbits(40):010X}",
        method=method,
        amount=line.payable,
        extra_amount=line.extra_amount,
        paid_at=paid_at,
        recorded_by=None if online else line.member.organization.secretary,
        provider="demo" if online else "",
        provider_transaction_id=f"DEMO{rng.getrandbits(64):016X}" if online else "",
    )
