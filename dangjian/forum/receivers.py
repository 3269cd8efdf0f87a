"""Every branch station gets its board when it is created (a station's board belongs to it, §6.3); HQ keeps
the platform-wide board instead."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def give_the_station_its_board(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw and instance.kind != "hq":
        from dangjian.forum.services import station_board

        station_board(instance)


def connect() -> None:
    post_save.connect(
        give_the_station_its_board, sender="stations.Station", dispatch_uid="forum.station_board"
    )
