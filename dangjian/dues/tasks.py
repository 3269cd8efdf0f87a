from celery import shared_task

from dangjian.dues.reminders import send_reminders


@shared_task(name="dues.send_reminders")
def send_reminders_task() -> dict[str, int]:
    """Daily: remind members of overdue dues (once a month) and alert secretaries when a member has not
    paid for 6 consecutive months (DB3212/T 1124 §6.3 党费收缴; 2008 rule)."""
    return send_reminders()


@shared_task(name="dues.expire_orders")
def expire_orders_task() -> int:
    """Every quarter of an hour: close online orders left unpaid for longer than `online.ORDER_LIFETIME`."""
    from dangjian.dues.online import orders_expire

    return orders_expire()
