from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dangjian.dashboards"
    label = "dashboards"
    verbose_name = "总站驾驶舱"

    def ready(self) -> None:
        from . import listeners, permissions, workcards  # noqa: F401  registers this app's rules and work cards

        listeners.connect()
