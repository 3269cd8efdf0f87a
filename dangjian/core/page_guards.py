"""Decorators the capabilities' pages share: the methods a page answers (else 405), sign-in (else the
sign-in page), and for management pages the rule that lets a role in at all (else 403); what the person may
do with an object is still asked by the view's `access_*` selector and the service."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_http_methods

View = Callable[..., HttpResponseBase]  # a page, or one the page cache serves
Guard = Callable[[View], View]


def page(*methods: str, login: bool = True) -> Guard:
    """These methods only; signed in unless `login=False`."""

    def decorate(view: View) -> View:
        allowed = require_http_methods(list(methods))(view)
        return login_required(allowed) if login else allowed

    return decorate


def staff_page_for(permission: str) -> Callable[..., Guard]:
    """`staff_page(*methods)` for one capability: signed in, these methods, and `permission` (no object)."""

    def staff_page(*methods: str) -> Guard:
        def decorate(view: View) -> View:
            @wraps(view)
            def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                if not request.user.has_perm(permission):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

            return login_required(require_http_methods(list(methods))(guarded))

        return decorate

    return staff_page
