from celery import shared_task

from dangjian.activities.invitations import remind_silent_invitations
from dangjian.activities.records import flag_missing_records
from dangjian.activities.reminders import finish_ended_activities, remind_monthly_theme, remind_plan_deadline
from dangjian.activities.services import expire_offers


@shared_task(name="activities.expire_offers")
def expire_offers_task() -> int:
    """Every 5 minutes: waiting-list offers not accepted in time lapse and their seats are offered to the
    next person waiting (DB3212/T 1124 §5.5 活动报名). Returns how many offers expired."""
    return expire_offers()


@shared_task(name="activities.remind_silent_invitations")
def remind_silent_invitations_task() -> int:
    """Hourly: invitations (活动邀约) unanswered for a day are reminded, once per invitation per day."""
    return remind_silent_invitations()


@shared_task(name="activities.flag_missing_records")
def flag_missing_records_task() -> int:
    """Hourly: activities without a record (台账) 7 days after they ended are flagged once (§7.3)."""
    return flag_missing_records()


@shared_task(name="activities.remind_deadlines")
def remind_deadlines_task() -> int:
    """Daily: the annual plan before the deadline of the rules in force, the monthly theme before the month
    starts (§7.3) — each reminder sent once."""
    return remind_plan_deadline() + remind_monthly_theme()


@shared_task(name="activities.finish_ended")
def finish_ended_task() -> int:
    """Every 5 minutes: published activities that have ended become finished."""
    return finish_ended_activities()
