"""Cards of party dues (党费收缴, §6.3) on the work page: what a member owes, and for an organisation's
secretary or officer (its treasurer) the members in arrears."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import PersonKind
from dangjian.accounts.permissions import OFFICER_ROLES, is_any_officer, organization_ids_with_role
from dangjian.core.workcards import SHORTCUT, register_card, remembered
from dangjian.dues.models import DuesLine
from dangjian.dues.periods import month_start
from dangjian.dues.selectors import member_unpaid, own_profile, viewer_scope


def _unpaid(user: Any) -> dict[str, Any] | None:
    def compute() -> dict[str, Any] | None:
        profile = own_profile(user)
        if profile is None:
            return None
        with viewer_scope(user):
            return member_unpaid(profile, timezone.localdate())

    return remembered(user, "dues.unpaid", compute)  # type: ignore[no-any-return]


def pays_dues(user: Any) -> bool:
    """Party members see their own dues (a role holder who is a member too); others ask no query."""
    return getattr(user, "person_kind", "") == PersonKind.MEMBER and bool(user.has_perm("dues.view_own"))


def owed_months(user: Any) -> int | None:
    unpaid = _unpaid(user)
    return None if unpaid is None else unpaid["months"]


def owed_note(user: Any) -> str:
    unpaid = _unpaid(user)
    return f"合计 ¥{unpaid['total']}" if unpaid and unpaid["months"] else "本月及以前均已交清"


def treasurer_organization_ids(user: Any) -> list[int]:
    """Organisations whose dues the user keeps (2008 rule: 党费由党支部收缴 — secretary or officer)."""
    return sorted(organization_ids_with_role(user, *OFFICER_ROLES))


def arrears_count(user: Any) -> int:
    """Members of the user's organisations with an unpaid month up to this one (one query)."""
    organization_ids = treasurer_organization_ids(user)
    with viewer_scope(user):
        unpaid = (
            DuesLine.objects.filter(
                organization_id__in=organization_ids, period__lte=month_start(timezone.localdate())
            )
            .unpaid()  # type: ignore[attr-defined]
            .aggregate(members=Count("member_id", distinct=True))
        )
    return int(unpaid["members"] or 0)


def arrears_url(user: Any) -> str:
    organization_ids = treasurer_organization_ids(user)
    if len(organization_ids) == 1:
        return reverse("dues:arrears", kwargs={"organization": organization_ids[0]})
    return reverse("dues:home")


register_card(
    key="dues.owed",
    title="待交党费",
    icon="wallet2",
    url="dues:my_dues",
    roles=pays_dues,
    count=owed_months,
    order=10,
    unit="个月",
    note=owed_note,
)
register_card(
    key="dues.arrears",
    title="欠缴党费的党员",
    icon="exclamation-diamond",
    url=arrears_url,
    roles=is_any_officer,
    count=arrears_count,
    order=50,
    unit="名",
    hint="截至本月尚有未交月份",
)
register_card(
    key="dues.manage",
    title="党费收缴",
    icon="cash-coin",
    url="dues:home",
    roles="dues.enter",
    order=50,
    section=SHORTCUT,
    hint="按月生成明细、登记收缴、查看报表",
)
