from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "dangjian.venues"
    label = "venues"
    verbose_name = "阵地场所与预约"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers this app's rules
