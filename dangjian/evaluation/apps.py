from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "dangjian.evaluation"
    label = "evaluation"
    verbose_name = "服务评价与改进"

    def ready(self) -> None:
        from . import listeners, permissions  # noqa: F401  registers this app's rules and listeners
