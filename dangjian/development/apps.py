from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    label = "development"
    verbose_name = "发展党员"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers this app's rules
