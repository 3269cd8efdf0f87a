from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "dangjian.feedback"
    label = "feedback"
    verbose_name = "意见反馈与投诉"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers this app's rules
