"""Celery application. In the embedded default (no REDIS_URL) tasks run inline."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dangjian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_insecure_start(**_: object) -> None:
    """Workers and beat sign and decrypt like the web processes: same refusal of the default keys.
    SystemExit, because Celery logs and swallows an ordinary exception raised by a signal handler."""
    from django.core.exceptions import ImproperlyConfigured

    from config.checks import refuse_insecure_start

    try:
        refuse_insecure_start()
    except ImproperlyConfigured as refusal:
        raise SystemExit(f"ImproperlyConfigured: {refusal}") from refusal
