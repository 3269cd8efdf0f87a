from celery import shared_task

from dangjian.development.services import send_reminders


@shared_task(name="development.send_reminders")
def send_reminders_task(today: str | None = None) -> int:
    """Daily: remind the responsible person and the secretaries of each step or report due within 7 days
    and of each overdue one, once per kind (`Reminder`). `today` (ISO date, for tests) defaults to the
    local day. Beat entry (config/settings.py CELERY_BEAT_SCHEDULE):
    "development-send-reminders": {"task": "development.send_reminders", "schedule": 24 * 3600.0}."""
    from datetime import date

    return send_reminders(today=date.fromisoformat(today) if today else None)
