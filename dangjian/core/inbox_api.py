"""JSON API of the caller's own inbox (DB3212/T 1124 §7.1: easy contact, timely updates).

Registered by `dangjian.api.api` (core imports no app of ours, so it cannot register itself)."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dangjian.core import notifications
from dangjian.core.api_schemas import ObjectId, paginated, with_errors
from dangjian.core.models import Notification

router = Router(tags=["消息通知"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str = Field(..., description="站内链接（以 / 开头），没有则为空")
    station_id: int | None
    created_at: datetime
    read_at: datetime | None
    is_read: bool

    @staticmethod
    def resolve_url(obj: Notification) -> str:
        return obj.target_url


class InboxFilter(Schema):
    unread: bool | None = Field(None, description="true 只看未读，false 只看已读，不填为全部")

    def apply(self, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        if self.unread is None:
            return queryset
        return queryset.filter(read_at__isnull=self.unread)


class MarkedOut(Schema):
    updated: int = Field(..., description="本次标为已读的消息条数")


@router.get(
    "/inbox",
    response=with_errors({200: list[NotificationOut]}, 401, 422),
    url_name="inbox_list",
    summary="我的消息",
)
@paginated
def inbox_list(request: HttpRequest, filters: Query[InboxFilter]) -> QuerySet[Notification]:
    return filters.apply(notifications.inbox_for(request.user))


@router.post(
    "/inbox/{notification_id}/read",
    response=with_errors({200: NotificationOut}, 401, 403, 404, 422),
    url_name="inbox_mark_read",
    summary="标记一条消息已读",
)
def inbox_mark_read(request: HttpRequest, notification_id: ObjectId) -> Notification:
    notification = notifications.access_notification(user=request.user, pk=notification_id)
    notifications.mark_read(user=request.user, notification=notification)
    return notification


@router.post(
    "/inbox/read-all",
    response=with_errors({200: MarkedOut}, 401, 403),
    url_name="inbox_mark_all_read",
    summary="全部标为已读",
)
def inbox_mark_all_read(request: HttpRequest) -> dict[str, Any]:
    return {"updated": notifications.mark_all_read(user=request.user)}
