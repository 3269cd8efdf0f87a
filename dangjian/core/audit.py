"""The audit trail. Every service that changes something calls `record_event` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from dangjian.core.models import AuditEvent
from dangjian.core.request_context import current_client_ip


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    station: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=actor_obj,
        action=action,
        station=station,
        data=_json_safe(data or {}),
        ip=current_client_ip(),
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:200]
    event.save()
    return event


def changed_fields(instance: models.Model, before: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for the fields whose value differs from the `before` snapshot."""
    after = snapshot(instance, fields=list(before))
    return {name: [before[name], after[name]] for name in before if before[name] != after[name]}


def snapshot(instance: models.Model, *, fields: list[str]) -> dict[str, Any]:
    return {name: _json_safe(getattr(instance, _attname(instance, name))) for name in fields}


def _attname(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    return getattr(field, "attname", name)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value)
