"""The inbox pages: a person's notifications, read one (and follow its link) or all
(DB3212/T 1124 §7.1: easy contact, timely updates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import notifications
from dangjian.core.pagination import paginate


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, notifications.inbox_for(request.user).select_related("station"))
    return render(request, "core/inbox.html", {"page": page, "title": "消息通知"})


@login_required
@require_POST
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read and go to its link (another person's is a 404)."""
    notification = notifications.access_notification(user=request.user, pk=pk)
    notifications.mark_read(user=request.user, notification=notification)
    return HttpResponseRedirect(notification.target_url or reverse("core:inbox"))


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    changed = notifications.mark_all_read(user=request.user)
    messages.success(request, f"已将 {changed} 条消息标为已读" if changed else "没有未读消息")
    return HttpResponseRedirect(reverse("core:inbox"))
