from celery import shared_task

from dangjian.evaluation.rectifications import alert_overdue
from dangjian.evaluation.services import mark_missed, plan_all_occurrences


@shared_task(name="evaluation.daily")
def daily_task() -> dict[str, int]:
    """Once a day (and safe to run again): plan service items two months ahead, mark the occurrences whose
    promised window ended without a delivery as missed, alert overdue rectifications once."""
    return {
        "planned": plan_all_occurrences(),
        "missed": mark_missed(),
        "overdue_alerted": alert_overdue(),
    }


@shared_task(name="evaluation.mark_missed")
def mark_missed_task() -> int:
    """Every 15 minutes: occurrences whose window ended without a delivery become 未提供."""
    return mark_missed()
