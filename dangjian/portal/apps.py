from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public portal of the platform and of each station: it reads every capability's selectors
    (like dashboards) and writes nothing."""

    name = "dangjian.portal"
    label = "portal"
    verbose_name = "门户"
