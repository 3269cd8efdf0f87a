"""The audit trail. Every service that changes something calls `record_event` inside its transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from dangjian.core.models import AuditEvent
from dangjian.core.request_context import current_client_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionGroup:
    """The audited actions of one capability, with the Chinese label shown beside each code (pretix's
    `LoggedModel.log_action` + display). Each app declares its group in `audit_labels.py`, found by
    `CoreConfig.ready`."""

    prefix: str  # "news." — every action of the group starts with it
    label: str  # "信息发布"
    actions: Mapping[str, str]


_GROUPS: dict[str, ActionGroup] = {}
_LABELS: dict[str, str] = {}


def register_audit_actions(*, prefix: str, label: str, actions: Mapping[str, str]) -> None:
    wrong = [code for code in actions if not code.startswith(prefix)]
    if wrong:
        raise ValueError(f"audit actions outside {prefix!r}: {wrong}")
    _GROUPS[prefix] = ActionGroup(prefix, label, dict(actions))
    _LABELS.update(actions)


def audit_action_label(code: str) -> str:
    return _LABELS.get(code, code)


def audit_action_groups() -> list[ActionGroup]:
    return sorted(_GROUPS.values(), key=lambda group: group.prefix)


def _check_registered(action: str) -> None:
    if action in _LABELS:
        return
    if getattr(settings, "AUDIT_REQUIRE_LABELS", False):
        raise ValueError(f"审计操作 {action!r} 未登记中文名称（见各应用的 audit_labels.py）")
    logger.warning("audit action %s has no label", action)


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    station: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    _check_registered(action)
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
