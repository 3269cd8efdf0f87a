"""Fetch-and-authorise in one step (Zulip's `access_stream_by_id`): each app's `selectors.access_<thing>`
narrows a queryset to what the person may see or manage and fetches one row from it with `fetch_or_404`,
so a missing row, a forbidden row and a pk that is no id all get the same 404, on pages and in the API."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from dangjian.core.parsing import positive_int_or_none

M = TypeVar("M", bound=Model)


def fetch_or_404(queryset: QuerySet[M], pk: Any) -> M:
    number = positive_int_or_none(pk)
    if number is None:
        raise Http404
    found = queryset.filter(pk=number).first()
    if found is None:
        raise Http404
    return found
