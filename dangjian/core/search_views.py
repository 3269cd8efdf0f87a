"""全文检索 page and API across everything published (articles, disclosures…).

Who may see what is decided by `core.search.visibility_q`; the Viewer of a request comes from the
function named by settings.SEARCH_VIEWER_FACTORY (accounts provides it: core imports no app of ours)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from dangjian.core.parsing import positive_int_or_none
from dangjian.core.search import SearchResults, Viewer, search

KINDS = ("文章", "党务公开", "课件")


@cache
def _viewer_factory() -> Any:
    return import_string(settings.SEARCH_VIEWER_FACTORY)


def viewer_of(request: HttpRequest) -> Viewer:
    return _viewer_factory()(request.user)


def run_search(request: HttpRequest, *, page_size: int = 10) -> SearchResults:
    query = request.GET.get("q", "")[:100]
    kind = request.GET.get("kind", "")
    return search(
        query,
        viewer=viewer_of(request),
        kinds=[kind] if kind in KINDS else None,
        page=positive_int_or_none(request.GET.get("page")) or 1,
        page_size=page_size,
    )


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    results = run_search(request)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "results": results,
        "kinds": KINDS,
        "kind": request.GET.get("kind", ""),
        "querystring": params.urlencode(),
    }
    return render(request, "core/search.html", context)
