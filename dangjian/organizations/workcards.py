"""Cards of party organisations on the work page: terms to renew (§5.2 换届正常), an officer's committee."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.accounts.permissions import OFFICER_ROLES, is_any_officer, organization_ids_with_role
from dangjian.core.workcards import SHORTCUT, register_card, remembered
from dangjian.organizations.models import PartyOrganization, TermStatus
from dangjian.organizations.selectors import manageable_organizations


def _term_counts(user: Any) -> dict[str, int]:
    """Active organisations the user keeps whose term has ended / ends within 90 days (one query; the
    term rule is the model's `with_term_status`)."""

    def compute() -> dict[str, int]:
        kept: Any = manageable_organizations(user).filter(is_active=True)
        return PartyOrganization.objects.filter(pk__in=kept.values("pk")).aggregate(
            **{
                str(status): Count("pk", filter=Q(pk__in=kept.with_term_status(status).values("pk")))
                for status in (TermStatus.EXPIRED, TermStatus.EXPIRING)
            }
        )

    return remembered(user, "organizations.terms", compute)  # type: ignore[no-any-return]


def _terms(status: str) -> Any:
    return lambda user: _term_counts(user)[str(status)]


def _officer_organization_id(user: Any) -> int | None:
    ids = sorted(organization_ids_with_role(user, *OFFICER_ROLES))
    return ids[0] if ids else None


def committee_url(user: Any) -> str:
    organization_id = _officer_organization_id(user)
    return (
        reverse("orgs:committee", kwargs={"pk": organization_id})
        if organization_id
        else reverse("portal:workpage")
    )


register_card(
    key="organizations.terms_expired",
    title="已到期未换届",
    icon="hourglass-bottom",
    url="orgs:organization_list",
    query="?term=expired",
    roles="organizations.manage",
    count=_terms(TermStatus.EXPIRED),
    order=60,
    unit="个",
    hint="党组织任期已届满，请督促按期换届",
)
register_card(
    key="organizations.terms_expiring",
    title="90 天内任期届满",
    icon="hourglass-split",
    url="orgs:organization_list",
    query="?term=expiring",
    roles="organizations.manage",
    count=_terms(TermStatus.EXPIRING),
    order=61,
    unit="个",
    hint="提前筹备换届选举",
)
register_card(
    key="organizations.committee",
    title="本组织委员会",
    icon="people",
    url=committee_url,
    roles=is_any_officer,
    order=70,
    section=SHORTCUT,
    hint="书记、委员的组成与分工",
)
