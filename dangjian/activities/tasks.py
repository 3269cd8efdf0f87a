from celery import shared_task

from dangjian.activities.services import expire_offers


@shared_task(name="activities.expire_offers")
def expire_offers_task() -> int:
    """Every 5 minutes: waiting-list offers not accepted in time lapse and their seats are offered to the
    next person waiting (DB3212/T 1124 §5.5 活动报名). Returns how many offers expired."""
    return expire_offers()
