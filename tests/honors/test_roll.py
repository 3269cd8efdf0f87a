"""The public honour roll (荣誉榜): anonymous visitors see awarded honours only, with public facts only
(names, organisation, kind, year, a short summary), from the page cache, and an award shows at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core import cache as page_cache
from dangjian.honors import services
from dangjian.honors.models import HonorKind
from tests.honors.builders import nominate, this_year, walk

pytestmark = pytest.mark.django_db
LONG_DEEDS = "扎根万达广场楼宇党建十年，" * 20 + "联系电话 13900000000"


@pytest.fixture(autouse=True)
def page_caching(settings: Any) -> Iterator[None]:
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "honors-roll-tests",
        }
    }
    cache.clear()
    page_cache._local_pages.clear()
    yield
    cache.clear()
    page_cache._local_pages.clear()


def _roll(query: str = "") -> str:
    response = Client().get(reverse("honors:roll") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_only_awarded_honours_with_public_facts(hn: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        award = walk(
            nominate(
                actor=hn.admin_a,
                organization=hn.org_a,
                kind=HonorKind.MEMBER,
                nominee=hn.member,
                deeds=LONG_DEEDS,
            ),
            hn,
            3,
        )
        walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 2)  # waiting for HQ: not on the roll
    page = _roll()
    assert "周立新" in page and "优秀共产党员" in page and "万达广场楼宇联合党支部" in page
    assert f"{this_year()}年度" in page
    assert page.count("data-honour=") == 1 and f'data-honour="{award.pk}"' in page
    # the deeds are summarised: the full text (a phone number at its end) stays inside
    assert "13900000000" not in page
    # who nominated and reviewed never leaves the management pages
    assert hn.admin_a.display_name not in page and hn.instructor_a.display_name not in page


def test_an_award_shows_at_the_next_anonymous_request(
    hn: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reviewed = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 2)
    assert "data-honour=" not in _roll()
    with CaptureQueriesContext(connection) as hit:
        assert "data-honour=" not in _roll()
    assert len(hit) == 0  # served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_act(actor=hn.hq_admin, nomination=reviewed, action="award")
    assert f'data-honour="{reviewed.pk}"' in _roll()


def test_the_roll_filters_by_year_and_station(hn: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        this = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 3)
        last = walk(nominate(actor=hn.admin_a, organization=hn.org_a, year=this_year() - 1), hn, 3)
    assert f'data-honour="{this.pk}"' in _roll(f"?year={this_year()}")
    assert f'data-honour="{last.pk}"' not in _roll(f"?year={this_year()}")
    assert "data-honour=" not in _roll(f"?station={hn.b.pk}")
    assert _roll("?year=abc")  # a bad filter shows the whole roll, never an error
