from django.apps import AppConfig


class HonorsConfig(AppConfig):
    name = "dangjian.honors"
    label = "honors"
    verbose_name = "示范引领"

    def ready(self) -> None:
        from . import permissions, workcards  # noqa: F401  registers this app's rules and work cards
