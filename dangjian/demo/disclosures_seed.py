"""Demo 党务公开 items of the demo organisation: dues, recruitment, honours, and one withdrawn item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.workflow import ReviewStatus
from dangjian.disclosures.models import Category, Disclosure, Visibility
from dangjian.disclosures.services import index_disclosure
from dangjian.organizations.models import PartyOrganization


@dataclass(frozen=True)
class DemoDisclosure:
    category: str
    title: str
    body: str
    period: tuple[date, date]
    visibility: str = Visibility.PUBLIC
    withdrawn_reason: str = ""


def _disclosures(year: int) -> tuple[DemoDisclosure, ...]:
    return (
        DemoDisclosure(
            Category.DUES,
            f"{year}年第三季度党费收缴与使用情况公示",
            "<p>本季度应缴党费 4,862.40 元，实缴 4,862.40 元，收缴率 100%。</p>"
            "<p>使用：订阅党报党刊 1,200.00 元，主题党日活动 860.00 元，结余上缴区委组织部。</p>",
            (date(year, 7, 1), date(year, 9, 30)),
        ),
        DemoDisclosure(
            Category.RECRUITMENT,
            "关于确定张晓明等2名同志为发展对象的公示",
            "<p>经支部委员会研究，拟确定张晓明、陈雨萱同志为发展对象，公示期5个工作日。</p>"
            "<p>如有意见，请向支部书记或区委两新工委反映。</p>",
            (date(year, 10, 1), date(year, 12, 31)),
            visibility=Visibility.ORGANIZATION,
        ),
        DemoDisclosure(
            Category.HONORS,
            f"{year - 1}年度优秀共产党员推荐人选公示",
            "<p>经党员推荐、支委会研究，拟推荐王海涛同志为区级优秀共产党员。</p>",
            (date(year - 1, 1, 1), date(year - 1, 12, 31)),
        ),
        DemoDisclosure(
            Category.DUES,
            f"{year}年第二季度党费收缴情况公示",
            "<p>本季度应缴党费 4,710.00 元。</p>",
            (date(year, 4, 1), date(year, 6, 30)),
            withdrawn_reason="金额统计有误，更正后重新公示",
        ),
    )


def create_disclosures(organization_name: str, now: datetime | None = None) -> int:
    now = now or timezone.now()
    organization = PartyOrganization.objects.select_related("station").get(name=organization_name)
    author = _holder(organization, Role.ORG_SECRETARY)
    reviewer = _holder(organization, Role.INSTRUCTOR)
    items = _disclosures(now.year)
    for days_ago, spec in enumerate(items, start=1):
        at = now - timedelta(days=days_ago * 9)
        disclosure = Disclosure.objects.create(
            organization=organization,
            station=organization.station,
            category=spec.category,
            title=spec.title,
            body=spec.body,
            period_start=spec.period[0],
            period_end=spec.period[1],
            visibility=spec.visibility,
            status=ReviewStatus.WITHDRAWN if spec.withdrawn_reason else ReviewStatus.PUBLISHED,
            author=author,
            submitted_by=author,
            submitted_at=at,
            reviewed_by=reviewer,
            reviewed_at=at,
            published_at=at,
            withdrawn_reason=spec.withdrawn_reason,
            withdrawn_by=author if spec.withdrawn_reason else None,
            withdrawn_at=at + timedelta(days=1) if spec.withdrawn_reason else None,
        )
        if not spec.withdrawn_reason:
            index_disclosure(disclosure)
    return len(items)


def _holder(organization: PartyOrganization, role: Role):
    grants = RoleAssignment.objects.select_related("user").order_by("id")
    grant = (
        grants.filter(role=role, organization=organization).first()
        or grants.filter(role=role, station=organization.station).first()
    )
    assert grant is not None, f"no {role} for {organization}"
    return grant.user
