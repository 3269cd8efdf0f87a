from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员管理"

    def ready(self) -> None:
        from . import listeners, permissions  # noqa: F401  registers this app's rules

        listeners.connect()
