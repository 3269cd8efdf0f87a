"""The courseware library and its management list read the same number of queries however many items
they show (DESIGN.md: constant queries on every list)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.courseware.conftest import publish, upload_draft
from tests.learning.test_list_queries import assert_constant, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("route", "who"), [("courseware:library", "member"), ("courseware:manage_list", "worker_a")]
)
def test_the_courseware_lists(cw, route: str, who: str) -> None:
    made = [0]

    def items(count: int) -> None:
        for _ in range(count):
            made[0] += 1
            publish(
                cw,
                upload_draft(
                    cw, title=f"党课课件第{made[0]}份", tags=f"党课 第{made[0]}份", sharing="platform"
                ),
            )

    assert_constant(signed_in(getattr(cw, who)), reverse(route), items, shows="党课课件第5份")
