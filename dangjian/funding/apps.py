from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "dangjian.funding"
    label = "funding"
    verbose_name = "经费管理"

    def ready(self) -> None:
        from . import permissions, workcards  # noqa: F401  registers this app's rules and work cards
