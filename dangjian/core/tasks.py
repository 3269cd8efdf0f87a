"""Background work of the shared kernel (Celery; inline in the embedded default)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from dangjian.core.models import Notification

SUBJECT_PREFIX = "【楼宇党建共享平台】"


@shared_task(ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification to its recipient, if they have an address (DB3212/T 1124 §7.1 timely
    updates). Returns how many emails were sent."""
    notifications = (
        Notification.objects.filter(pk__in=notification_ids)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    sent = 0
    for notification in notifications:
        sent += send_mail(
            subject=SUBJECT_PREFIX + notification.title,
            message=_email_body(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
            fail_silently=False,
        )
    return sent


def _email_body(notification: Notification) -> str:
    lines = [notification.title, "", notification.body] if notification.body else [notification.title]
    if notification.target_url:
        lines += ["", f"查看详情：{_site_url()}{notification.target_url}"]
    return "\n".join(lines)


def _site_url() -> str:
    """Absolute address of the site for links in emails (`SITE_URL`; empty leaves the path alone)."""
    return str(settings.SITE_URL).rstrip("/")


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Every minute (beat entry "core-heartbeat"): tells `/readyz` a worker is alive."""
    from dangjian.core.health import record_heartbeat

    record_heartbeat()
