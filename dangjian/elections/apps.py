from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "dangjian.elections"
    label = "elections"
    verbose_name = "换届选举"

    def ready(self) -> None:
        from . import permissions, workcards  # noqa: F401  registers this app's rules and work cards
