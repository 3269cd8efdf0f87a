from celery import shared_task


@shared_task(name="dashboards.refresh_figures")
def refresh_figures(year: int | None = None) -> int:
    """Recompute the cockpit's figures of `year` (this year by default), and in January last year's too
    (late records of December). Beat entry "dashboards-refresh-figures" (config/settings.py)."""
    from django.core.cache import cache
    from django.utils import timezone

    from dangjian.dashboards.figures import REFRESH_QUEUED_KEY, refresh

    cache.delete(REFRESH_QUEUED_KEY)
    today = timezone.localdate()
    if year is not None:
        return refresh(year)
    written = refresh(today.year)
    if today.month == 1:
        written += refresh(today.year - 1)
    return written
