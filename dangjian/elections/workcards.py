"""Cards of committee elections on the work page (工作台): for the station's admins and HQ, the
organisations whose term has ended with no renewal approved (§5.2 换届正常) and the requests and results
waiting for their 批复; for the keepers, the elections under way."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from dangjian.core.workcards import KEEP, register_card, remembered
from dangjian.elections import selectors
from dangjian.elections.models import OPEN_STATUSES, ElectionStatus


def overdue_renewals(user: Any) -> int:
    return int(selectors.overdue_organizations(user).count())


def _counts(user: Any) -> dict[str, int]:
    def compute() -> dict[str, int]:
        return selectors.visible_elections(user).aggregate(
            waiting=Count("pk", filter=Q(status__in=[ElectionStatus.REQUESTED, ElectionStatus.REPORTED])),
            open=Count("pk", filter=Q(status__in=list(OPEN_STATUSES))),
        )

    return remembered(user, "elections.counts", compute)  # type: ignore[no-any-return]


def waiting_decisions(user: Any) -> int:
    return int(_counts(user)["waiting"] or 0)


def open_elections(user: Any) -> int:
    return int(_counts(user)["open"] or 0)


def keeps_elections(user: Any) -> bool:
    return bool(user.has_perm("elections.manage"))


register_card(
    key="elections.overdue",
    title="任期届满未启动换届",
    icon="calendar-x",
    url="elections:overdue",
    roles="elections.see_overdue",
    count=overdue_renewals,
    order=62,
    unit="个",
    hint="任期已届满且尚无获批的换届选举",
)
register_card(
    key="elections.waiting",
    title="待批复的换届事项",
    icon="clipboard-check",
    url="elections:list",
    query="?status=waiting",
    roles="elections.see_overdue",
    count=waiting_decisions,
    order=63,
    unit="件",
    hint="换届请示和选举结果报告",
)
register_card(
    key="elections.open",
    title="换届选举",
    icon="check2-square",
    url="elections:list",
    roles=keeps_elections,
    count=open_elections,
    order=66,
    section=KEEP,
    unit="个",
    hint="进行中的换届选举",
)
