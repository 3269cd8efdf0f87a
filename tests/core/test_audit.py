"""The audit trail is append-only, station-scoped, and written by every service that changes something."""

import pytest
from django.db import DatabaseError, connection, transaction
from django_scopes import ScopeError, scope, scopes_disabled

from dangjian.core.audit import record_event
from dangjian.core.models import AppendOnlyError, AuditEvent
from dangjian.stations.services import unit_save


@pytest.fixture
def event(world):
    return record_event(
        actor=world.own_admin, action="stations.unit.update", target=world.unit_a, station=world.a
    )


@pytest.mark.django_db
def test_model_refuses_update_and_delete(event) -> None:
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with scopes_disabled():
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
def test_database_refuses_raw_update(event) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    with scopes_disabled():
        assert AuditEvent.objects.get(pk=event.pk).action == "stations.unit.update"


@pytest.mark.django_db
def test_database_refuses_raw_delete_on_postgresql(event) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE possible so test databases can be flushed")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_unscoped_queries_are_refused(event) -> None:
    with pytest.raises(ScopeError):
        list(AuditEvent.objects.all())


@pytest.mark.django_db
def test_scope_shows_only_that_stations_events(world, event) -> None:
    record_event(actor=world.other_admin, action="stations.place.update", station=world.b)
    with scope(station=[world.b.pk]):
        assert list(AuditEvent.objects.values_list("action", flat=True)) == ["stations.place.update"]


@pytest.mark.django_db
def test_service_write_records_actor_target_and_changes(world) -> None:
    from dangjian.core.audit import snapshot
    from dangjian.core.services import editable_field_names

    unit = world.unit_a
    before = snapshot(unit, fields=editable_field_names(unit))
    unit.headcount = 120
    unit_save(unit=unit, actor=world.own_admin, before=before)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="stations.unit.update")
    assert event.actor == world.own_admin
    assert event.station == world.a
    assert event.target_id == str(unit.pk)
    assert event.data["changed"] == {"headcount": [40, 120]}


@pytest.mark.django_db
def test_audit_page_filters_and_hides_other_stations(world, client) -> None:
    record_event(actor=world.own_admin, action="stations.unit.create", target=world.unit_a, station=world.a)
    record_event(actor=world.other_admin, action="stations.unit.create", target=world.unit_b, station=world.b)
    client.force_login(world.own_admin)
    body = client.get("/manage/audit/?action=stations.unit").content.decode()
    assert world.unit_a.name in body and world.unit_b.name not in body
    client.force_login(world.hq_admin)
    body = client.get("/manage/audit/?action=stations.unit").content.decode()
    assert world.unit_a.name in body and world.unit_b.name in body
    body = client.get(f"/manage/audit/?station={world.b.pk}").content.decode()
    assert world.unit_a.name not in body and world.unit_b.name in body


@pytest.mark.django_db
def test_audit_page_rejects_bad_filters_without_error(world, client) -> None:
    client.force_login(world.own_admin)
    response = client.get("/manage/audit/?date_from=2026-13-45&station=abc&date_to=2020-01-01")
    assert response.status_code == 200


@pytest.mark.django_db
def test_audit_page_shows_chinese_labels_and_filters_by_a_chosen_action(world, client) -> None:
    from django.urls import reverse

    from dangjian.core.audit import record_event

    record_event(actor=world.own_admin, action="stations.building.update", station=world.a)
    record_event(actor=world.own_admin, action="accounts.role.grant", station=world.a)
    client.force_login(world.own_admin)
    url = reverse("people:audit")
    page = client.get(url, {"action": "stations.building.update"}).content.decode()
    rows = page.split("<tbody>")[1]
    assert "修改楼宇" in rows and "授予角色" not in rows
    assert '<option value="stations.building.update" selected>修改楼宇</option>' in page
    group = client.get(url, {"action": "accounts."}).content.decode()
    assert "授予角色" in group.split("<tbody>")[1] and "修改楼宇" not in group.split("<tbody>")[1]
    refused = client.get(url, {"action": "stations.unit"}).content.decode()
    assert "选择一个有效的选项" in refused


def test_an_unlabelled_audit_action_is_refused_under_test() -> None:
    from dangjian.core.audit import record_event

    with pytest.raises(ValueError, match="未登记"):
        record_event(actor=None, action="stations.nothing.like.this")
