from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project itself (no models): registers the checks of settings that concern every app."""

    name = "config"
    label = "project"
    verbose_name = "平台配置"

    def ready(self) -> None:
        from config import checks  # noqa: F401  registers the production-secrets check
