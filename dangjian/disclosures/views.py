"""Pages of party-affairs disclosure (DB3212/T 1124 §6.3 党务公开).

Public: each organisation's index grouped by period, and one item. Management: the list, create and
edit pages (`ManagedResource`), a review page with the item's history, and one POST per workflow action.
Every management lookup is inside `manageable_disclosures`, so another station's item is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import cache as page_cache
from dangjian.core.manage_views import ManagedResource
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.workflow import allowed_actions
from dangjian.disclosures import selectors, services
from dangjian.disclosures.forms import CategoryFilterForm, CommentForm, DisclosureFilterForm, DisclosureForm
from dangjian.disclosures.models import Category, Disclosure

# ---------------------------------------------------------------- public pages


def _index_scopes(pk: int) -> tuple[str, ...]:
    """What an organisation's public index shows (dangjian/core/cache.py)."""
    return (page_cache.STATIONS, page_cache.organization(pk), page_cache.organization_disclosures(pk))


@require_GET
@page_cache.anonymous_page(_index_scopes, query=("category", "page"))
def organization_index(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's disclosures the visitor may read, newest period first, grouped by quarter."""
    organization = selectors.access_disclosure_organization(user=request.user, pk=pk)
    form = CategoryFilterForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else ""
    items = selectors.organization_disclosures(request.user, organization, category=category)
    context = {
        "organization": organization,
        "page": paginate(request, items),
        "categories": Category.choices,
        "category": category,
        "querystring": querystring_without_page(request),
    }
    return render(request, "disclosures/organization_index.html", context)


@require_GET
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One item; a withdrawn one shows its reason, never its body. Not visible to the viewer: 404."""
    disclosure = selectors.access_disclosure(user=request.user, pk=pk)
    return render(request, "disclosures/detail.html", {"disclosure": disclosure})


# ---------------------------------------------------------------- management


DISCLOSURES = ManagedResource(
    namespace="disclosures",
    name="disclosure",
    path="manage/disclosures",
    titles=("党务公开", "新建党务公开", "编辑党务公开"),
    form_class=DisclosureForm,
    manageable=selectors.manageable_disclosures,
    access=selectors.access_disclosure,
    save=lambda form, actor, before: services.disclosure_save(
        disclosure=form.instance, actor=actor, before=before
    ),
    permissions=("disclosures.manage", "disclosures.add_disclosure", "disclosures.change_disclosure"),
    headers=["标题", "党组织", "类别", "公开期间", "状态", "更新时间", ""],
    row_template="disclosures/rows/disclosure.html",
    search_fields=("title",),
    search_placeholder="搜索标题",
    filter_form_class=DisclosureFilterForm,
    can_create=lambda user: user.has_perm("disclosures.add_disclosure"),
    created_url=lambda disclosure: disclosure.get_manage_url(),
    edit_actions=lambda disclosure: [("查看与审核", disclosure.get_manage_url())],
)


@dataclass(frozen=True)
class ActionButton:
    name: str
    label: str
    url: str
    comment_label: str
    needs_comment: bool


OPTIONAL_COMMENT_LABELS = {"approve": "审核意见（可不填）", "submit": "提交说明（可不填）"}


def action_buttons(user: Any, disclosure: Disclosure) -> list[ActionButton]:
    """The workflow actions the state allows and the user's role permits."""
    buttons = []
    for action in allowed_actions(disclosure.status):
        step = services.STEPS[action.value]
        if user.has_perm(step.permission, disclosure):
            buttons.append(
                ActionButton(
                    name=action.value,
                    label=action.label,
                    url=reverse(f"disclosures:{action.value}", kwargs={"pk": disclosure.pk}),
                    comment_label=step.comment_label
                    or OPTIONAL_COMMENT_LABELS.get(action.value, "说明（可不填）"),
                    needs_comment=bool(step.comment_label),
                )
            )
    return buttons


@login_required
@require_GET
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review page: the item as it will be shown, its history and the actions open to the user."""
    disclosure = selectors.access_disclosure(user=request.user, pk=pk, manage=True)
    context = {
        "disclosure": disclosure,
        "events": disclosure.events.select_related("actor"),
        "actions": action_buttons(request.user, disclosure),
        "can_edit": disclosure.is_editable
        and request.user.has_perm("disclosures.change_disclosure", disclosure),
    }
    return render(request, "disclosures/manage_detail.html", context)


SUCCESS_MESSAGES = {
    "submit": "已提交审核，本站点党建指导员将收到通知",
    "approve": "已审核通过并发布",
    "return": "已退回修改",
    "withdraw": "已撤回，公开页面将显示撤回原因",
    "archive": "已归档",
}


def transition_view(action: str) -> Callable[..., HttpResponse]:
    """POST endpoint of one workflow action; refusals come back as a message on the review page."""
    service = services.TRANSITIONS[action]

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        disclosure = selectors.access_disclosure(user=request.user, pk=pk, manage=True)
        form = CommentForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(list(form.errors["comment"]))
            service(disclosure=disclosure, actor=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, SUCCESS_MESSAGES[action])
        return HttpResponseRedirect(disclosure.get_manage_url())

    view.__name__ = f"disclosure_{action}"
    return view


TRANSITION_VIEWS = {action: transition_view(action) for action in services.TRANSITIONS}
