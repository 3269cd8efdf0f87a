from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = "党费收缴"

    def ready(self) -> None:
        from . import checks, permissions  # noqa: F401  registers this app's rules and system checks
