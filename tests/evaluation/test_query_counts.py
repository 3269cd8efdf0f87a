"""Every list of evaluation costs the same number of queries for 1× and 5× rows (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.evaluation import rectifications
from tests import factories as f
from tests.evaluation.builders import at, day, invitation, make_item, measure, occurrence, questionnaire

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _rows(world: Any, n: int) -> None:
    for _ in range(n):
        item = make_item(world.a, title=f"阵地开放{make_item.__name__}")
        occurrence(item, at(day(-2), 9))
        invitation(world.member, world.a, occasion_id=f.UserFactory().pk)
        questionnaire(world.a, world.own_admin)
        found = measure(world.a, owner=world.worker_a, verifier=world.officer_a)
        rectifications.progress_add(actor=world.worker_a, measure=found, text="已制定整改方案")


LISTS: dict[str, Callable[[Any], tuple[Any, str]]] = {
    "pending": lambda w: (w.member, "/evaluation/surveys/"),
    "questionnaires": lambda w: (w.member, "/evaluation/votes/"),
    "measures": lambda w: (w.own_admin, "/evaluation/measures/"),
    "items": lambda w: (w.own_admin, "/manage/evaluation/items/"),
    "exceptions": lambda w: (w.own_admin, "/manage/evaluation/exceptions/"),
    "questionnaire_list": lambda w: (w.own_admin, "/manage/evaluation/votes/"),
    "accountability": lambda w: (None, f"/evaluation/station/{w.a.code}/accountability/"),
    "api_pending": lambda w: (w.member, "/api/v1/evaluation/surveys/pending"),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_lists_cost_the_same_for_1x_and_5x_rows(world, client, name: str) -> None:
    user, url = LISTS[name](world)
    if user is not None:
        client.force_login(user)
    _rows(world, 1)
    once = _queries(client, url)
    _rows(world, 4)
    assert _queries(client, url) == once
