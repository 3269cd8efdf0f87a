"""Management pages and services of the station structure: bad input changes nothing, isolation holds."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.stations.models import Building, Floor, GridArea, ResidentUnit, Station
from dangjian.stations.services import building_save, unit_save
from tests.factories import ResidentUnitFactory, valid_uscc


def unit_form(world, **overrides):
    data = {
        "name": "泰州医药城生物科技有限公司",
        "uscc": valid_uscc(501),
        "building": world.building_a.pk,
        "industry": "medicine",
        "headcount": 58,
        "party_member_count": 7,
        "contact_phone": "13852690001",
        "moved_in_on": "2025-03-01",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_unit_is_created_audited_and_listed(world, client) -> None:
    client.force_login(world.own_admin)
    floor = world.building_a.floors.get(number=8)
    response = client.post(reverse("stations:unit_create"), unit_form(world, floor=floor.pk, room="0806"))
    assert response.status_code == 302
    unit = ResidentUnit.objects.get(name="泰州医药城生物科技有限公司")
    assert unit.station == world.a and unit.floor == floor
    assert (
        AuditEvent.objects.with_scopes_disabled()
        .filter(action="stations.unit.create", target_id=str(unit.pk))
        .exists()
    )
    assert unit.name in client.get(reverse("stations:unit_list")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"uscc": "91321202MA0000501X"}, "uscc", "校验位不正确"),
        ({"uscc": "12345"}, "uscc", "18 位"),
        ({"contact_phone": "0523-1234"}, "contact_phone", "11 位手机号码"),
        ({"party_member_count": 99}, "party_member_count", "党员人数不能超过从业人数"),
        ({"headcount": -3}, "headcount", "确保该值大于或等于0。"),
        ({"name": ""}, "name", "这个字段是必填项。"),
        ({"moved_in_on": "2025-02-30"}, "moved_in_on", "输入一个有效的日期。"),
    ],
)
@pytest.mark.django_db
def test_bad_unit_input_changes_nothing(world, client, overrides, field, message) -> None:
    client.force_login(world.own_admin)
    before = ResidentUnit.objects.count()
    response = client.post(reverse("stations:unit_create"), unit_form(world, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]  # the one wrong field, and nothing else, is refused
    assert any(message in error for error in errors[field]), errors
    assert message in response.content.decode()  # …and the person is told so on the page
    assert ResidentUnit.objects.count() == before


@pytest.mark.django_db
def test_duplicate_credit_code_is_refused_in_chinese(world, client) -> None:
    client.force_login(world.own_admin)
    response = client.post(reverse("stations:unit_create"), unit_form(world, uscc=world.unit_b.uscc))
    assert "已登记为其他入驻单位" in response.content.decode()


@pytest.mark.django_db
def test_floor_of_another_building_is_refused(world) -> None:
    unit = ResidentUnit(
        name="错层公司",
        uscc=valid_uscc(600),
        building=world.building_a,
        floor=world.building_b.floors.first(),
        moved_in_on=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        unit_save(unit=unit, actor=world.own_admin)
    assert not ResidentUnit.objects.filter(name="错层公司").exists()


@pytest.mark.django_db
def test_admin_of_b_cannot_move_unit_into_a(world, client) -> None:
    client.force_login(world.other_admin)
    response = client.post(reverse("stations:unit_create"), unit_form(world))
    assert response.status_code == 200
    refusal = "选择一个有效的选项： 该选择不在可用的选项中。"  # A's building is no choice of B's admin
    assert response.context["form"].errors == {"building": [refusal]}
    assert refusal in response.content.decode()
    assert not ResidentUnit.objects.filter(name="泰州医药城生物科技有限公司").exists()


@pytest.mark.django_db
def test_worker_edits_units_of_own_station_only(world, client) -> None:
    client.force_login(world.worker_a)
    assert client.get(reverse("stations:unit_edit", kwargs={"pk": world.unit_a.pk})).status_code == 200
    assert client.get(reverse("stations:unit_edit", kwargs={"pk": world.unit_b.pk})).status_code == 404
    assert (
        client.get(reverse("stations:building_edit", kwargs={"pk": world.building_a.pk})).status_code == 404
    )


@pytest.mark.django_db
def test_building_floors_follow_counts_and_protect_occupied_floors(world) -> None:
    building = Building(
        station=world.a,
        name="凤城河商务中心",
        address="泰州市海陵区凤城河路1号",
        floors_above=5,
        floors_below=2,
    )
    building_save(building=building, actor=world.own_admin)
    assert sorted(building.floors.values_list("number", flat=True)) == [-2, -1, 1, 2, 3, 4, 5]
    ResidentUnitFactory(building=building, floor=building.floors.get(number=5))
    before = {"floors_above": 5}
    building.floors_above = 4
    with pytest.raises(ValidationError, match="仍有入驻单位"):
        building_save(building=building, actor=world.own_admin, before=before)
    assert Floor.objects.filter(building=building, number=5).exists()
    building.refresh_from_db()
    assert building.floors_above == 5


@pytest.mark.django_db
def test_grid_covers_only_its_buildings_floors(world, client) -> None:
    client.force_login(world.own_admin)
    other_floor = world.building_b.floors.first()
    response = client.post(
        reverse("stations:grid_create"),
        {"building": world.building_a.pk, "name": "低区网格", "floors": [other_floor.pk]},
    )
    assert response.status_code == 200
    assert not GridArea.objects.filter(name="低区网格").exists()
    floors = list(world.building_a.floors.filter(number__in=[1, 2, 3]).values_list("pk", flat=True))
    response = client.post(
        reverse("stations:grid_create"),
        {"building": world.building_a.pk, "name": "低区网格", "floors": floors},
    )
    assert response.status_code == 302
    assert GridArea.objects.get(name="低区网格").floors.count() == 3


@pytest.mark.django_db
def test_branch_admin_cannot_create_station_but_hq_admin_can(world, client) -> None:
    data = {
        "name": "凤凰城分站",
        "code": "fenghuang",
        "address": "泰州市海陵区凤凰路8号",
        "sort_order": 10,
        "is_active": "on",
    }
    client.force_login(world.own_admin)
    assert client.post(reverse("stations:station_create"), data).status_code == 403
    client.force_login(world.hq_admin)
    assert client.post(reverse("stations:station_create"), data).status_code == 302
    assert Station.objects.get(code="fenghuang").kind == "branch"


@pytest.mark.django_db
def test_station_photo_must_be_an_image(world, client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.own_admin)
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    data = {
        "name": world.a.name,
        "code": world.a.code,
        "address": world.a.address,
        "sort_order": 1,
        "photo": fake,
    }
    response = client.post(reverse("stations:station_edit", kwargs={"pk": world.a.pk}), data)
    assert response.status_code == 200
    world.a.refresh_from_db()
    assert not world.a.photo


@pytest.mark.django_db
def test_list_filters_and_bad_filter_values(world, client) -> None:
    client.force_login(world.hq_admin)
    url = reverse("stations:unit_list")
    body = client.get(url, {"station": world.b.pk}).content.decode()
    assert world.unit_b.name in body and world.unit_a.name not in body
    for params in (
        {"station": "abc"},
        {"page": "-1"},
        {"page": "999"},
        {"industry": "<script>"},
        {"q": "x" * 500},
    ):
        assert client.get(url, params).status_code == 200
