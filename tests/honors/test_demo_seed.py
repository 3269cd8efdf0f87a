"""The demo 示范引领 records: last year's three honours awarded along the whole workflow and on the roll,
a nomination of this year under review, a 市级 and a 省级 report (so the station meets §9), a 现场会."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.demo.honors_seed import create_honors
from dangjian.honors import selectors
from dangjian.honors.models import (
    DemonstrationEvent,
    HonorKind,
    Nomination,
    NominationStatus,
    PublicityRecord,
)
from tests.honors.builders import this_year

pytestmark = pytest.mark.django_db


def test_the_demo_honours_publicity_and_meeting(hn: Any) -> None:
    assert create_honors() == 3
    awarded = Nomination.objects.filter(status=NominationStatus.AWARDED, year=this_year() - 1)
    assert sorted(awarded.values_list("kind", flat=True)) == sorted(HonorKind.values)
    assert Nomination.objects.get(year=this_year()).status == NominationStatus.SUBMITTED
    assert selectors.honour_roll(year=this_year() - 1).count() == 3
    outlets = dict(PublicityRecord.objects.values_list("outlet", "level"))
    assert outlets == {"泰州日报": "city", "新华日报": "province"}
    station_id = awarded.first().station_id
    assert selectors.publicity_city_or_above_by_station(year=this_year()) == {station_id: 2}
    meeting = DemonstrationEvent.objects.get()
    assert meeting.kind == "on_site" and meeting.attendees.count() >= 2 and meeting.visitor_count == 18
    assert create_honors() == 0  # nothing is made twice
