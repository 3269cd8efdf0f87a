from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "dangjian.activities"
    label = "activities"
    verbose_name = "活动与组织生活"

    def ready(self) -> None:
        from . import feeds, permissions  # noqa: F401  permissions registers this app's rules

        feeds.register()  # the station calendar's and the display screen's activities
