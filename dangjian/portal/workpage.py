"""The role work page (工作台): where people with roles, and party members, land after signing in.

It shows the cards the capabilities registered in `dangjian.core.workcards`, each counted for the
person; the page itself knows no capability, so a later one adds its cards without touching it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from dangjian.accounts.selectors import role_assignments_of
from dangjian.core.workcards import work_page_for


@login_required
@require_GET
def workpage(request: HttpRequest) -> HttpResponse:
    user = request.user
    manages = user.has_perm("stations.enter_management")
    page = work_page_for(user)
    context = {"page": page, "roles": list(role_assignments_of(user)), "manages": manages}
    inbox = page.card("accounts.inbox")
    if inbox is not None:  # the header's bell shows the same number: count it once
        context["unread_notification_count"] = inbox.count
    template = "portal/workpage.html" if manages else "portal/workpage_personal.html"
    response = render(request, template, context)
    add_never_cache_headers(response)  # counts of personal things: never from a shared cache
    return response


@login_required
@require_GET
def manage_home(request: HttpRequest) -> HttpResponse:
    """管理中心 used to be an overview of its own; the work page is that overview now."""
    return HttpResponseRedirect(reverse("portal:workpage"))
