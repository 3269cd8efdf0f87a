from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """人员与角色管理: the pages that keep people and their roles (models and rules stay in accounts)."""

    name = "dangjian.people"
    label = "people"
    verbose_name = "人员与角色管理"
