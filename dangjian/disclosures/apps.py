from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "dangjian.disclosures"
    label = "disclosures"
    verbose_name = "党务公开"

    def ready(self) -> None:
        from . import listeners, permissions  # noqa: F401  registers this app's rules

        listeners.connect()
