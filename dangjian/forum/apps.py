from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "dangjian.forum"
    label = "forum"
    verbose_name = "互动交流"

    def ready(self) -> None:
        from . import (
            permissions,  # noqa: F401  registers this app's rules
            receivers,
        )

        receivers.connect()
