"""The shared write path of simple records: validate, save atomically, audit. Capability services
call these so every write is audited the same way (DESIGN.md: cross-cutting rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from dangjian.core.audit import record_event, snapshot

M = TypeVar("M", bound=models.Model)

CONFLICT_MESSAGE = "保存失败：与已有记录重复或已被他人修改，请刷新后重试"


NEVER_AUDITED = ("created_at", "updated_at", "password")  # a password hash never enters the audit log


def authorise_write(actor: Any, instance: models.Model, *, add: str, change: str, station: Any) -> None:
    """Every service authorises before it writes (DESIGN.md). A new row needs `add` on the station it
    goes to; an edited row needs `change` on the row as stored and on the row as edited, so moving a
    record to another station needs the right there as well. Refusal: `PermissionDenied`."""
    if instance._state.adding:
        allowed = actor.has_perm(add, station)
    else:
        stored = type(instance)._default_manager.get(pk=instance.pk)
        allowed = actor.has_perm(change, stored) and actor.has_perm(change, instance)
    if not allowed:
        raise PermissionDenied


def editable_field_names(instance: models.Model) -> list[str]:
    return [
        f.name
        for f in instance._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in NEVER_AUDITED
    ]


def save_audited(
    instance: M,
    *,
    actor: Any,
    action: str,
    station: Any,
    before: Mapping[str, Any] | None = None,
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> M:
    """Create (when `before` is None) or update `instance` and record what changed.

    `before` is the `snapshot` taken before the caller applied its changes."""
    fields = editable_field_names(instance)
    try:
        with transaction.atomic():
            instance.full_clean()
            instance.save()
            m2m_changes = _apply_m2m(instance, m2m or {})
            after = snapshot(instance, fields=fields)
            if before is None:
                data: dict[str, Any] = {"created": after}
            else:
                data = {"changed": {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}}
            data.update(m2m_changes)
            record_event(actor=actor, action=action, target=instance, station=station, data=data)
    except IntegrityError as exc:
        raise ValidationError(CONFLICT_MESSAGE, code="conflict") from exc
    return instance


def _apply_m2m(instance: models.Model, m2m: Mapping[str, Iterable[Any]]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, values in m2m.items():
        manager = getattr(instance, name)
        old = sorted(manager.values_list("pk", flat=True))
        manager.set(list(values))
        new = sorted(manager.values_list("pk", flat=True))
        if old != new:
            changes[name] = [old, new]
    return changes


def refusal(message: str, code: str, field: str | None = None) -> ValidationError:
    """A service's refusal in Chinese with its code, on `field` when it names one (forms show it there)."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def require_perm(actor: Any, permission: str, obj: Any, message: str = "您无权办理该事项") -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message)
