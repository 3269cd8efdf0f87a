"""Two reversals of one entry at the same instant make one: the original row is locked and the
database's unique constraint backs it (real threads, real connections)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dangjian.accounts.models import Role, User
from dangjian.funding import services
from dangjian.funding.models import Entry
from tests import factories as f
from tests.concurrency import run_at_once
from tests.funding.builders import record


@pytest.mark.django_db(transaction=True)
def test_two_reversals_at_once_make_one() -> None:
    station = f.StationFactory(code="wanda", name="万达广场分站")
    admin, worker = f.UserFactory(username="admin_a"), f.UserFactory(username="worker_a")
    f.grant(admin, Role.STATION_ADMIN, station)
    f.grant(worker, Role.WORKER, station)
    original = record(admin, station, "expense", "equipment", "2680.00")
    people = [admin.pk, worker.pk]

    def reverse(index: int) -> Entry:
        return services.entry_reverse(
            actor=User.objects.get(pk=people[index]),
            entry=Entry.objects.get(pk=original.pk),
            reason="金额登记错误",
        )

    results = run_at_once(reverse, 2)
    made = [r for r in results if isinstance(r, Entry)]
    refused = [r for r in results if not isinstance(r, Entry)]
    assert len(made) == 1, results
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    assert refused[0].code == "already_reversed"
    assert Entry.objects.filter(reverses=original).count() == 1
    assert Entry.objects.count() == 2
