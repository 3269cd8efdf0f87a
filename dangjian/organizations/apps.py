from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "dangjian.organizations"
    label = "organizations"
    verbose_name = "党组织"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers this app's rules
