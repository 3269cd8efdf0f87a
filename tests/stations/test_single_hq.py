"""DB3212/T 1124 §4.3 "1+N": exactly one HQ station, enforced by the database itself."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dangjian.stations.models import Station
from dangjian.stations.services import station_save
from tests.factories import StationFactory


@pytest.mark.django_db
def test_database_refuses_a_second_hq() -> None:
    StationFactory(kind="hq", code="hq")
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(kind="hq", code="hq2", name="第二总站", address="泰州市")
    assert Station.objects.filter(kind="hq").count() == 1


@pytest.mark.django_db
def test_database_refuses_turning_a_branch_into_a_second_hq() -> None:
    StationFactory(kind="hq", code="hq")
    branch = StationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.filter(pk=branch.pk).update(kind="hq")
    assert Station.objects.filter(kind="hq").count() == 1


@pytest.mark.django_db
def test_database_refuses_an_unknown_kind() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(kind="sub", code="x", name="未知类型", address="泰州市")


@pytest.mark.django_db
def test_service_explains_the_rule_in_chinese(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        station_save(
            station=Station(kind="hq", code="hq2", name="第二总站", address="泰州市"), actor=world.hq_admin
        )
    assert "只能有一个总站" in " ".join(excinfo.value.messages)
    assert Station.objects.filter(kind="hq").count() == 1


@pytest.mark.django_db
def test_many_branches_are_allowed() -> None:
    StationFactory(kind="hq", code="hq")
    StationFactory.create_batch(3)
    assert Station.objects.filter(kind="branch").count() == 3
