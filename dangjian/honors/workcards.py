"""Work-page cards of demonstration and leadership (工作台): for station admins (HQ: every station), the
stations with no publicity at city level or above this year (§9); for instructors and HQ, the nominations
waiting for their review or decision."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from dangjian.core.workcards import register_card, remembered
from dangjian.honors import selectors
from dangjian.honors.models import NominationStatus


def missing_publicity(user: Any) -> int:
    return selectors.stations_missing_publicity(user, year=timezone.localdate().year)


def _waiting(user: Any) -> dict[str, int]:
    def compute() -> dict[str, int]:
        return selectors.visible_nominations(user).aggregate(
            submitted=Count("pk", filter=Q(status=NominationStatus.SUBMITTED)),
            reviewed=Count("pk", filter=Q(status=NominationStatus.REVIEWED)),
        )

    return remembered(user, "honors.waiting", compute)  # type: ignore[no-any-return]


def waiting_review(user: Any) -> int:
    return int(_waiting(user)["submitted"] or 0)


def waiting_decision(user: Any) -> int:
    return int(_waiting(user)["reviewed"] or 0)


register_card(
    key="honors.publicity_missing",
    title="本年度尚无市级以上宣传报道",
    icon="megaphone",
    url="honors:publicity_check",
    roles="honors.see_publicity_check",
    count=missing_publicity,
    order=70,
    unit="个站点",
    hint="示范引领：每年应有市级及以上媒体的宣传报道",
)
register_card(
    key="honors.review",
    title="待审核的评先评优推荐",
    icon="award",
    url="honors:list",
    query="?status=submitted",
    roles="honors.see_reviews",
    count=waiting_review,
    order=71,
    unit="件",
    hint="由本站点党建指导员审核",
)
register_card(
    key="honors.decide",
    title="待总站决定的评先评优推荐",
    icon="trophy",
    url="honors:list",
    query="?status=reviewed",
    roles="honors.see_decisions",
    count=waiting_decision,
    order=72,
    unit="件",
    hint="指导员审核通过后由总站决定是否授予",
)
