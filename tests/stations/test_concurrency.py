"""Concurrent writers never duplicate data: the database constraints decide, the loser gets a clear error."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dangjian.stations.models import ResidentUnit, Station
from dangjian.stations.services import station_save, unit_save
from tests.factories import BuildingFactory, StationFactory, UserFactory, valid_uscc

WRITERS = 6


def run_concurrently(action: Callable[[int], None]) -> list[BaseException]:
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            action(n)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_hq_creation_leaves_exactly_one_hq() -> None:
    actor = UserFactory(is_superuser=True)

    def create_hq(n: int) -> None:
        station_save(
            station=Station(kind="hq", code=f"hq{n}", name=f"总站{n}", address="泰州市海陵区"), actor=actor
        )

    errors = run_concurrently(create_hq)
    assert Station.objects.filter(kind="hq").count() == 1
    assert len(errors) == WRITERS - 1
    assert all(isinstance(e, ValidationError) for e in errors), errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_registration_of_one_credit_code_keeps_one_unit() -> None:
    StationFactory(kind="hq", code="hq")
    building = BuildingFactory()
    actor = UserFactory(is_superuser=True)
    code = valid_uscc(4242)

    def register(n: int) -> None:
        unit = ResidentUnit(
            building=building, name=f"泰州并发科技有限公司{n}", uscc=code, moved_in_on=date(2025, 1, 1)
        )
        unit_save(unit=unit, actor=actor)

    errors = run_concurrently(register)
    assert ResidentUnit.objects.filter(uscc=code).count() == 1
    assert len(errors) == WRITERS - 1
    assert all(isinstance(e, ValidationError) for e in errors), errors
