"""Reads of party dues (DB3212/T 1124 §6.3 党费收缴). Dues are personal data (DESIGN.md): pages and the
API run inside `viewer_scope(user)` (django-scopes), and every queryset here is further narrowed to what
the person may see — their own dues, the organisations where they are treasurer, or the stations where
they are admin or party-affairs worker (HQ: all). Anything outside is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django_scopes import scope, scopes_disabled

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped
from dangjian.dues.amounts import ZERO, to_fen
from dangjian.dues.models import (
    DuesLine,
    DuesPayment,
    DuesRelief,
    DuesRule,
    DuesSheet,
    IncomeDeclaration,
    OrderStatus,
    OrganizationDuesSetting,
    PaymentOrder,
)
from dangjian.dues.periods import add_months, month_start, months_between, period_key, period_label
from dangjian.dues.pricing import Pricer
from dangjian.dues.services import AHEAD_PAYMENT_MONTHS, BACK_PAYMENT_MONTHS
from dangjian.members.models import ACTIVE_STATUSES, MemberProfile
from dangjian.organizations.models import PartyOrganization

REPORT_STATION_ROLES = (Role.STATION_ADMIN, Role.WORKER)
BASE_CATEGORIES = ("employed", "retired")


# ---------------------------------------------------------------- who sees what


def own_profile(user: Any) -> MemberProfile | None:
    """The user's own member record (looked up by user, across stations), once per request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_dues_profile"):
        user._dues_profile = (
            MemberProfile.all_objects.select_related("organization", "station").filter(user=user).first()
        )
    return user._dues_profile  # type: ignore[no-any-return]


def viewer_station_ids(user: Any) -> set[int] | None:
    """Stations whose dues rows the user may read at all (None: every station)."""
    profile = own_profile(user)
    return visibility.scope_station_ids(
        user, REPORT_STATION_ROLES, also={profile.station_id} if profile is not None else set()
    )


@contextmanager
def viewer_scope(user: Any) -> Iterator[None]:
    """The django-scopes scope of everything a page or API call reads for `user`."""
    station_ids = viewer_station_ids(user)
    if station_ids is None:
        with scopes_disabled():
            yield
    else:
        with scope(station=sorted(station_ids)):
            yield


def visible_q(
    user: Any, *, station_field: str = "station_id", organization_field: str = "organization_id"
) -> Q:
    """Rows of the stations where the user is admin or worker, plus rows of the organisations they keep."""
    return visibility.role_rows_q(
        user, REPORT_STATION_ROLES, station_field=station_field, organization_field=organization_field
    )


def visible_organizations(user: Any) -> QuerySet[PartyOrganization]:
    """Organisations whose dues the user may see (choices of filters, lookups of organisation pages)."""
    return (
        PartyOrganization.objects.filter(visible_q(user, organization_field="pk"), is_active=True)
        .select_related("station")
        .order_by("station_id", "name")
    )


def visible_payments(user: Any) -> QuerySet[DuesPayment]:
    """Payments whose receipt the user may open: their own, or of organisations they may see."""
    condition = visibility.role_rows_q(user, REPORT_STATION_ROLES, owner_field="member__user_id")
    return DuesPayment.objects.filter(condition).select_related("member__user", "organization", "recorded_by")


# ---------------------------------------------------------------- fetch and authorise in one step
# `access_<thing>` (DESIGN.md "One visibility authority"), called inside `viewer_scope(user)`: a missing
# row, another organisation's or station's row and a pk that is no id all get the same 404.


def access_dues_organization(*, user: Any, pk: Any, manage: bool = False) -> PartyOrganization:
    """An organisation whose dues the person may see; else 404. `manage` also requires its treasurer
    (secretary or officer): a station admin or worker, who may look at it, gets 403 (PermissionDenied)."""
    organization = fetch_or_404(visible_organizations(user), pk)
    if not user.has_perm("dues.view_organization", organization):
        raise Http404
    if manage and not user.has_perm("dues.manage_organization", organization):
        raise PermissionDenied("只有本组织书记、委员可以办理党费收缴")
    return organization


def access_sheet(*, user: Any, organization: Any, period: date, manage: bool = False) -> DuesSheet:
    """The month's sheet of an organisation the person may see (`manage`: keep); a month never
    generated is a 404 like an organisation they may not see."""
    found = sheet_of(access_dues_organization(user=user, pk=organization, manage=manage), period)
    if found is None:
        raise Http404
    return found


def access_payment(*, user: Any, pk: Any) -> DuesPayment:
    """A payment whose receipt the person may open (the payer, the organisation's treasurer, the
    station's admins and workers, HQ); else 404."""
    payment = fetch_or_404(visible_payments(user), pk)
    if not user.has_perm("dues.view_payment", payment):
        raise Http404
    return payment


def access_order(*, user: Any, number: str, provider: str | None = None) -> PaymentOrder:
    """One of the person's own online orders (at `provider`, if named), by its number; anyone else's is a
    404."""
    profile = own_profile(user)
    if profile is None:
        raise Http404
    mine = PaymentOrder.objects.filter(member=profile, number=number[:40])
    found = (
        (mine if provider is None else mine.filter(provider=provider)).select_related("organization").first()
    )
    if found is None:
        raise Http404
    return found


# ---------------------------------------------------------------- an organisation's month


def sheet_of(organization: PartyOrganization, period: date) -> DuesSheet | None:
    return (
        DuesSheet.objects.filter(organization=organization, period=period)
        .select_related("organization", "closed_by")
        .first()
    )


def sheet_lines(sheet: DuesSheet) -> QuerySet[DuesLine]:
    return (
        DuesLine.objects.filter(sheet=sheet)
        .select_related("member__user", "payment", "relief")
        .order_by("member_id")
    )


def unbilled_count(organization: PartyOrganization, period: date) -> int:
    """Active members of the organisation without a line for the month."""
    billed = DuesLine.objects.filter(member=OuterRef("pk"), period=period)
    return (
        MemberProfile.objects.filter(organization=organization, status__in=ACTIVE_STATUSES)
        .exclude(Exists(billed))
        .count()
    )


def undeclared_members(organization: PartyOrganization, period: date) -> QuerySet[MemberProfile]:
    """Active 在职/离退休 members with no line for the month and no base declared on or before it."""
    declared = IncomeDeclaration.objects.filter(member=OuterRef("pk")).filter(
        Q(year__lt=period.year) | Q(year=period.year, effective_month__lte=period.month)
    )
    billed = DuesLine.objects.filter(member=OuterRef("pk"), period=period)
    return (
        MemberProfile.objects.filter(
            organization=organization, status__in=ACTIVE_STATUSES, dues_category__in=BASE_CATEGORIES
        )
        .exclude(Exists(declared))
        .exclude(Exists(billed))
        .select_related("user")
        .order_by("id")
    )


def arrears_rows(organization: PartyOrganization, today: date) -> QuerySet[Any]:
    """Members with unpaid months up to the current one: how many, how much, since when (most first)."""
    return (
        DuesLine.objects.filter(organization=organization, period__lte=month_start(today))
        .unpaid()  # type: ignore[attr-defined]
        .values("member_id", "member__user__real_name", "member__user__username")
        .annotate(
            months=Count("id"),
            total=Sum(F("amount_due") + F("extra_amount")),
            oldest=Min("period"),
            latest=Max("period"),
        )
        .order_by("-months", "member_id")
    )


def organization_payments(organization: PartyOrganization) -> QuerySet[DuesPayment]:
    return (
        DuesPayment.objects.filter(organization=organization)
        .select_related("member__user", "recorded_by")
        .order_by("-paid_at", "-id")
    )


def organization_declarations(
    organization: PartyOrganization, year: int | None
) -> QuerySet[IncomeDeclaration]:
    declarations = IncomeDeclaration.objects.filter(member__organization=organization)
    if year:
        declarations = declarations.filter(year=year)
    return declarations.select_related("member__user", "declared_by").order_by(
        "member_id", "-year", "-effective_month"
    )


def organization_reliefs(organization: PartyOrganization) -> QuerySet[DuesRelief]:
    return (
        DuesRelief.objects.filter(organization=organization)
        .select_related("member__user", "approved_by")
        .order_by("-start", "-id")
    )


def organization_members(organization: PartyOrganization) -> QuerySet[MemberProfile]:
    """Active members of the organisation (choices of the treasurer's forms)."""
    return (
        MemberProfile.objects.filter(organization=organization, status__in=ACTIVE_STATUSES)
        .select_related("user")
        .order_by("user__real_name", "id")
    )


def farmer_amount_of(organization: PartyOrganization) -> Decimal | None:
    return (
        OrganizationDuesSetting.objects.filter(organization=organization)
        .values_list("farmer_amount", flat=True)
        .first()
    )


def rules_with_brackets() -> QuerySet[DuesRule]:
    return DuesRule.objects.prefetch_related("brackets").order_by("-effective_from")


# ---------------------------------------------------------------- a member's own dues


def member_lines(profile: MemberProfile, year: int) -> QuerySet[DuesLine]:
    return (
        DuesLine.objects.filter(member=profile, period__gte=date(year, 1, 1), period__lte=date(year, 12, 1))
        .select_related("payment", "relief")
        .order_by("period")
    )


def member_payments(profile: MemberProfile) -> QuerySet[DuesPayment]:
    return DuesPayment.objects.filter(member=profile).order_by("-paid_at", "-id")


def member_open_orders(profile: MemberProfile) -> QuerySet[PaymentOrder]:
    """The member's orders still waiting to be paid (待支付), with their months (two queries in all)."""
    return (
        PaymentOrder.objects.filter(member=profile, status=OrderStatus.PENDING)
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def member_unpaid(profile: MemberProfile, today: date) -> dict[str, Any]:
    """The member's unpaid months up to now: count and total."""
    totals = (
        DuesLine.objects.filter(member=profile, period__lte=month_start(today))
        .unpaid()  # type: ignore[attr-defined]
        .aggregate(months=Count("id"), total=Sum(F("amount_due") + F("extra_amount")))
    )
    return {"months": totals["months"] or 0, "total": to_fen(totals["total"] or ZERO)}


@dataclass(frozen=True)
class PayOption:
    """A month the member may pay now, with its amount (already billed or priced for paying ahead)."""

    period: date
    amount: Decimal
    overdue: bool
    ahead: bool

    @property
    def key(self) -> str:
        return period_key(self.period)

    @property
    def label(self) -> str:
        return period_label(self.period)


def pay_options(profile: MemberProfile, today: date) -> list[PayOption]:
    """Months the member may pay online now: the organisation's unpaid lines of the last 6 months (2008
    rule: 补交一般不超过6个月), this month and up to 12 ahead. This month and months ahead without a line
    yet are priced without writing anything; a past month the organisation never billed is not offered."""
    now = month_start(today)
    window = [add_months(now, n) for n in range(-BACK_PAYMENT_MONTHS, AHEAD_PAYMENT_MONTHS + 1)]
    lines = {line.period: line for line in DuesLine.objects.filter(member=profile, period__in=window)}
    pricer = Pricer(member_ids=[profile.pk], organization_ids=[profile.organization_id])
    options = []
    for period in window:
        amount = _payable(lines.get(period), pricer, profile, period, now)
        if amount:
            options.append(PayOption(period, amount, overdue=period < now, ahead=period > now))
    return options


def _payable(
    line: DuesLine | None, pricer: Pricer, profile: MemberProfile, period: date, now: date
) -> Decimal | None:
    if line is not None:
        return line.payable if line.payment_id is None else None
    if period < now:
        return None
    try:
        priced = pricer.price(
            member_id=profile.pk,
            dues_category=profile.dues_category,
            organization_id=profile.organization_id,
            period=period,
        )
    except ValidationError:  # no rule in force, or a setting out of the rule's range: not payable online
        return None
    return (priced.amount_due + priced.extra_amount) if priced is not None else None


def months_overdue(period: date, today: date) -> int:
    return months_between(period, month_start(today))


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def dues_figures(
    *, year: int, today: date, by: str = "station_id", within: Iterable[int] | None = None
) -> Figures:
    """Per station or organisation: `dues_due` (owed for this year's months up to this one) and
    `dues_paid` (of it, paid), in yuan, one query."""
    with scopes_disabled():  # totals only
        lines = DuesLine.objects.filter(period__year=year, period__lte=month_start(today))
        return grouped(
            lines,
            by,
            within=within,
            dues_due=Sum("amount_due"),
            dues_paid=Sum("amount_due", filter=Q(paid_at__isnull=False)),
        )
