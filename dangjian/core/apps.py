from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "平台内核"

    def ready(self) -> None:
        # Each app's `audit_labels.py` registers the Chinese names of its audited actions.
        autodiscover_modules("audit_labels")
        # Each app's `workcards.py` registers its cards of the role work page (core.workcards).
        autodiscover_modules("workcards")
