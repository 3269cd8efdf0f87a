from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
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

    @property
    def action_label(self) -> str:
        from dangjian.core.audit import audit_action_label  # audit.py builds on this module

        return audit_action_label(self.action)


class Notification(models.Model):
    """One message in a person's inbox (DB3212/T 1124 §7.1: easy contact, timely updates).

    `url` is only ever a site-relative path ("/news/12/"); `target_url` re-checks that on the way out."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField("标题", max_length=120)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息通知"
        verbose_name_plural = "消息通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def target_url(self) -> str:
        """The stored link if it is a site-relative path, else ""."""
        return self.url if is_relative_path(self.url) else ""


def is_relative_path(url: str) -> bool:
    """True for a path on this site ("/x/"); False for "", "//host", "/\\host", any scheme or control
    character, so a stored link can never send a reader to another site."""
    return (
        url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.isprintable()
    )


from dangjian.core.search_models import SearchDocument  # noqa: E402,F401
from dangjian.core.word_list_models import WordListEntry, WordListVersion  # noqa: E402,F401


class ThrottleBucket(models.Model):
    """One fixed time window of one throttled key (e.g. registrations from one IP in one hour).
    Counted in the database so every worker process shares the count (`dangjian.core.throttle`)."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # the window's index: Unix time // window length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="throttle_key_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"
