"""六有 (§6.1: 有场所、有设施、有标志、有党旗、有书报、有制度): a station's worker checks each item with evidence
photos; HQ sees every station with the items met and missing, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.venues import services
from dangjian.venues.models import SixHaveEvidence, SixHaveItem
from dangjian.venues.selectors import six_have_overview, station_six_have
from tests import factories as f
from tests.venues.builders import png

pytestmark = pytest.mark.django_db


def test_a_check_with_photo_evidence(venues) -> None:
    row = services.six_have_check(
        actor=venues.worker_a,
        station=venues.a,
        item="flag",
        met=True,
        note="党旗悬挂规范",
        photos=[png(), png()],
    )
    assert (row.met, row.checked_by, row.checked_at is not None) == (True, venues.worker_a, True)
    assert SixHaveEvidence.objects.filter(item=row).count() == 2
    assert all(e.photo.name.startswith("venues/six-have/") for e in SixHaveEvidence.objects.all())
    again = services.six_have_check(
        actor=venues.own_admin, station=venues.a, item="flag", met=False, note="党旗褪色"
    )
    assert again.pk == row.pk and SixHaveItem.objects.count() == 1 and not again.met
    with pytest.raises(ValidationError):
        services.six_have_check(actor=venues.worker_a, station=venues.a, item="nothing", met=True)


def test_another_stations_worker_may_not_check(venues) -> None:
    with pytest.raises(PermissionDenied):
        services.six_have_check(actor=venues.worker_b, station=venues.a, item="site", met=True)
    with pytest.raises(PermissionDenied):
        services.six_have_check(actor=venues.member, station=venues.a, item="site", met=True)


def test_the_hq_overview_shows_met_and_missing_items_in_constant_queries(
    venues, django_assert_max_num_queries
) -> None:
    for item in ("site", "facilities", "sign", "flag", "books", "rules"):
        services.six_have_check(actor=venues.worker_a, station=venues.a, item=item, met=True, photos=[png()])
    services.six_have_check(actor=venues.worker_b, station=venues.b, item="site", met=True)
    services.six_have_check(
        actor=venues.worker_b, station=venues.b, item="books", met=False, note="书报未更新"
    )
    with django_assert_max_num_queries(5):
        overview = {row.station.pk: row for row in six_have_overview(user=venues.hq_admin)}
    assert overview[venues.a.pk].complete and overview[venues.a.pk].missing == []
    assert overview[venues.b.pk].missing == ["有设施", "有标志", "有党旗", "有书报", "有制度"]
    assert set(overview) == {venues.hq.pk, venues.a.pk, venues.b.pk}

    for _ in range(5):  # more stations, the same number of queries
        station = f.StationFactory()
        services.six_have_check(actor=venues.hq_admin, station=station, item="sign", met=True, photos=[png()])
    with django_assert_max_num_queries(5):
        assert len(six_have_overview(user=venues.hq_admin)) == 8

    # A branch admin sees only their own station.
    assert [row.station for row in six_have_overview(user=venues.own_admin)] == [venues.a]
    assert [r.met for r in station_six_have(station=venues.b).rows] == [
        True,
        False,
        False,
        False,
        False,
        False,
    ]
