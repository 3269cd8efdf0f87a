from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "dangjian.news"
    label = "news"
    verbose_name = "信息发布"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers this app's rules
