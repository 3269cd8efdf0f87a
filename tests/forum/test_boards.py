"""Boards: each branch station gets its own when it is created, one platform-wide board kept by HQ, public
to read; an inactive board is seen only by its moderators."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from dangjian.forum.models import Board
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_new_station_gets_its_board(world) -> None:
    station = f.StationFactory(code="yiyao", name="医药城科创大厦分站")
    board = Board.objects.get(station=station)
    assert board.name == "医药城科创大厦分站交流区" and not board.is_platform
    assert not Board.objects.filter(station=world.hq).exists()  # HQ keeps the platform board


def test_there_is_one_platform_board(forum) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.create(is_platform=True, name="第二个全平台交流区")
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.create(is_platform=True, station=forum.a, name="有站点的全平台交流区")


def test_everyone_reads_the_boards(forum, client) -> None:
    page = client.get(reverse("forum:home")).content.decode()
    assert "全区楼宇党建交流区" in page and "万达广场分站交流区" in page and "金融大厦分站交流区" in page
    assert page.index("全区楼宇党建交流区") < page.index("万达广场分站交流区")
    assert "登录后发帖" in client.get(reverse("forum:board", args=[forum.board_a.pk])).content.decode()


def test_an_inactive_board_is_seen_by_its_moderators_only(forum, client) -> None:
    Board.objects.filter(pk=forum.board_a.pk).update(is_active=False)
    url = reverse("forum:board", args=[forum.board_a.pk])
    assert client.get(url).status_code == 404
    client.force_login(forum.worker_b)
    assert client.get(url).status_code == 404
    client.force_login(forum.member)
    assert client.get(reverse("forum:topic_new", args=[forum.board_a.pk])).status_code == 404
    client.force_login(forum.worker_a)
    assert client.get(url).status_code == 200
    assert "已停用" in client.get(reverse("forum:home")).content.decode()
