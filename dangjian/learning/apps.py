from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    label = "learning"
    verbose_name = "远程学习"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers this app's rules
