from celery import shared_task

from dangjian.feedback.services import escalate_overdue


@shared_task(name="feedback.escalate_overdue")
def escalate_overdue_task(now: str | None = None) -> int:
    """Every hour: feedback not replied by its due date alerts the station admin; still overdue
    `rules.HQ_ESCALATION_DAYS` later, HQ's admins. Each level once. `now` (ISO 8601) for tests."""
    from django.utils.dateparse import parse_datetime

    return escalate_overdue(now=parse_datetime(now) if now else None)
