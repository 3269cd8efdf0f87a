from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "dangjian.stations"
    label = "stations"
    verbose_name = "站点与楼宇"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers this app's rules
