from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计记录只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计记录只能追加，不能删除")


class AuditEvent(models.Model):
    """One row per write of consequence. Append-only: the model refuses updates and deletes and,
    on PostgreSQL, a trigger refuses them too."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=64)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    data = models.JSONField("详情", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    objects = ScopedManager(  # type: ignore[django-manager-missing]
        station="station", _manager_class=models.Manager.from_queryset(AppendOnlyQuerySet)
    )

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["station", "-at"], name="audit_station_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计记录只能追加，不能删除")
