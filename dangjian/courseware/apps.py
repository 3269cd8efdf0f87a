from django.apps import AppConfig


class CoursewareConfig(AppConfig):
    name = "dangjian.courseware"
    label = "courseware"
    verbose_name = "课件分享"

    def ready(self) -> None:
        from . import audit_labels, permissions  # noqa: F401  registers this app's rules and audit labels
