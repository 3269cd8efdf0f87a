"""Publicity records (宣传报道) and the yearly §9 check: a station meets it with one record at city level or
above that year; HQ sees every station, a station admin their own; the work card warns while none."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.honors import selectors, services
from dangjian.honors.models import MediaLevel, PublicityRecord
from dangjian.honors.workcards import missing_publicity
from tests.honors.builders import publicity, this_year

pytestmark = pytest.mark.django_db


def _met(user: Any, year: int) -> dict[int, bool]:
    return {s.pk: bool(s.city_or_above) for s in selectors.publicity_check(user, year=year)}


def test_a_city_level_record_meets_the_year(hn: Any) -> None:
    year = this_year()
    publicity(hn.admin_a, hn.a, level=MediaLevel.OTHER, on=date(year, 1, 1))  # a WeChat account: not enough
    publicity(hn.admin_b, hn.b, level=MediaLevel.CITY, on=date(year - 1, 12, 31))  # last year
    assert _met(hn.hq_admin, year) == {hn.hq.pk: False, hn.a.pk: False, hn.b.pk: False}
    publicity(hn.worker_a, hn.a, level=MediaLevel.CITY, on=date(year, 1, 1))
    assert _met(hn.hq_admin, year) == {hn.hq.pk: False, hn.a.pk: True, hn.b.pk: False}
    assert _met(hn.hq_admin, year - 1)[hn.b.pk] is True


def test_a_station_admin_sees_only_their_station(hn: Any) -> None:
    assert set(_met(hn.admin_a, this_year())) == {hn.a.pk}
    assert _met(hn.worker_a, this_year()) == {}


def test_the_work_card_warns_until_a_record_at_city_level(hn: Any) -> None:
    assert missing_publicity(hn.admin_a) == 1
    publicity(hn.admin_a, hn.a, level=MediaLevel.PROVINCE, on=date(this_year(), 1, 1))
    assert missing_publicity(hn.admin_a) == 0
    assert missing_publicity(hn.hq_admin) == 2  # HQ and branch B have none
    assert missing_publicity(hn.member) == 0


def test_another_station_cannot_record(hn: Any) -> None:
    with pytest.raises(PermissionDenied):
        publicity(hn.admin_b, hn.a, level=MediaLevel.CITY, on=date(this_year(), 1, 1))
    assert not PublicityRecord.objects.exists()


def test_the_link_must_be_a_url(hn: Any) -> None:
    with pytest.raises(ValidationError):
        services.publicity_create(
            actor=hn.admin_a,
            station=hn.a,
            data=services.PublicityInput(
                outlet="泰州日报",
                level="city",
                published_on=date(this_year(), 1, 1),
                title="t",
                link="javascript:alert(1)",
            ),
        )
    assert not PublicityRecord.objects.exists()


def test_the_check_page_shows_each_station(hn: Any, client: Any) -> None:
    publicity(hn.admin_a, hn.a, level=MediaLevel.CITY, on=date(this_year(), 1, 1))
    client.force_login(hn.hq_admin)
    page = client.get(reverse("honors:publicity_check")).content.decode()
    assert "已达标" in page and "未达标" in page and f'data-station="{hn.b.pk}"' in page


def test_a_clipping_is_an_image_or_pdf(hn: Any, client: Any) -> None:
    client.force_login(hn.admin_a)
    body = {
        "station": hn.a.pk,
        "outlet": "新华日报",
        "level": "province",
        "published_on": f"{this_year()}-01-01",
        "title": "泰州海陵：楼宇里的红色引擎",
        "link": "https://www.xhby.net/",
    }
    html = SimpleUploadedFile(
        "报道.html", b"<html><script>alert(1)</script></html>", content_type="text/html"
    )
    refused = client.post(reverse("honors:publicity_create"), {**body, "clipping": html})
    assert refused.status_code == 200 and not PublicityRecord.objects.exists()
    pdf = SimpleUploadedFile(
        "新华日报剪报.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        content_type="application/pdf",
    )
    saved = client.post(reverse("honors:publicity_create"), {**body, "clipping": pdf})
    assert saved.status_code == 302
    record = PublicityRecord.objects.get()
    assert record.clipping_name == "新华日报剪报.pdf"
    download = client.get(reverse("honors:publicity_clipping", kwargs={"pk": record.pk}))
    assert download.status_code == 200
    client.force_login(hn.admin_b)
    assert client.get(reverse("honors:publicity_clipping", kwargs={"pk": record.pk})).status_code == 404
