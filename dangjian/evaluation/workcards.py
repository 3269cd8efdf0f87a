"""Cards of service evaluation on the work page (工作台): station admins the indicators (this quarter's
satisfaction) and the open and overdue measures; owners and verifiers the measures waiting for them;
everyone the surveys waiting for their answer."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangjian.accounts.permissions import (
    ALL_STATIONS,
    is_any_station_admin,
    is_authenticated,
    managed_station_ids,
)
from dangjian.core.workcards import KEEP, SHORTCUT, register_card, remembered
from dangjian.evaluation import selectors
from dangjian.evaluation.indicators import Period, percent_label, rate


def figures(user: Any) -> selectors.CardFigures:
    return remembered(user, "evaluation.cards", lambda: selectors.card_figures(user=user))  # type: ignore[no-any-return]


def pending_count(user: Any) -> int | None:
    return figures(user).pending_surveys or None


def my_measure_count(user: Any) -> int | None:
    return figures(user).my_measures or None


def open_measure_count(user: Any) -> int:
    return figures(user).open_measures


def overdue_note(user: Any) -> str:
    overdue = figures(user).overdue_measures
    return f"其中逾期 {overdue} 项" if overdue else "没有逾期的整改"


def satisfaction_note(user: Any) -> str:
    """This quarter's satisfaction of the stations the admin keeps (HQ: of every station)."""
    shown = figures(user)
    where = "全平台" if managed_station_ids(user) is ALL_STATIONS else "本站"
    label = Period.containing(timezone.localdate(), "quarter").label
    return f"{where}{label}满意度 {percent_label(rate(shown.satisfied, shown.answers))}"


register_card(
    key="evaluation.pending_surveys",
    title="待评价的服务",
    icon="emoji-smile",
    url="evaluation:pending",
    roles=is_authenticated,
    count=pending_count,
    order=40,
    unit="项",
    hint="活动、场所预约、参观和服务项目结束后的满意度评价",
)
register_card(
    key="evaluation.my_measures",
    title="我负责的整改",
    icon="clipboard-check",
    url="evaluation:measures",
    roles=is_authenticated,
    count=my_measure_count,
    order=35,
    unit="项",
    hint="待整改、整改中，以及等待您验证的整改措施",
)
register_card(
    key="evaluation.open_measures",
    title="未办结的整改措施",
    icon="clipboard-data",
    url="evaluation:measures",
    roles=is_any_station_admin,
    count=open_measure_count,
    order=45,
    section=KEEP,
    unit="项",
    note=overdue_note,
)
register_card(
    key="evaluation.indicators",
    title="服务评价指标",
    icon="graph-up",
    url="evaluation:indicators",
    roles=is_any_station_admin,
    order=40,
    section=SHORTCUT,
    note=satisfaction_note,
    hint="满意度、服务时间准确率、完成率、投诉办结率",
)
