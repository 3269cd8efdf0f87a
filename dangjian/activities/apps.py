from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "dangjian.activities"
    label = "activities"
    verbose_name = "活动与组织生活"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers this app's rules
