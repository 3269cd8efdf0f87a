from celery import shared_task

from dangjian.news.services import announce_due_articles


@shared_task(name="news.announce_due_articles")
def announce_due_articles_task() -> int:
    """Scheduled articles (定时发布) reach screens, portals and search when their time comes."""
    return announce_due_articles()
