"""`dues.selectors.access_<thing>`: fetch and authorise in one step, the same 404 for a missing row and
for another organisation's or station's row (DESIGN.md "One visibility authority")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangjian.dues import online, selectors
from dangjian.dues.providers import DemoProvider
from tests.dues.builders import generate, months_ago, now, pay_cash

pytestmark = pytest.mark.django_db

MISSING = 2_000_000_000
OUTSIDERS = ("treasurer_b", "treasurer_c", "other_admin", "worker_b")


def _refusal(call: Callable[[], Any]) -> Http404:
    with pytest.raises(Http404) as refused:
        call()
    return refused.value


def assert_same_404(
    access: Callable[..., Any], *, forbidden: dict[str, Any], missing: dict[str, Any]
) -> None:
    user_f, user_m = forbidden.pop("user"), missing.pop("user")
    with selectors.viewer_scope(user_f):
        first = _refusal(lambda: access(user=user_f, **forbidden))
    with selectors.viewer_scope(user_m):
        second = _refusal(lambda: access(user=user_m, **missing))
    assert type(first) is type(second) is Http404
    assert first.args == second.args


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_organization(dues: Any, outsider: str) -> None:
    for viewer in ("treasurer_a", "own_admin", "hq_admin"):
        user = getattr(dues, viewer)
        with selectors.viewer_scope(user):
            assert selectors.access_dues_organization(user=user, pk=dues.org_a.pk) == dues.org_a
    with selectors.viewer_scope(dues.treasurer_a):
        found = selectors.access_dues_organization(user=dues.treasurer_a, pk=dues.org_a.pk, manage=True)
    assert found == dues.org_a
    assert_same_404(
        selectors.access_dues_organization,
        forbidden={"user": getattr(dues, outsider), "pk": dues.org_a.pk, "manage": False},
        missing={"user": dues.treasurer_a, "pk": MISSING, "manage": False},
    )


def test_a_station_admin_may_look_but_not_keep(dues: Any) -> None:
    """Not a 404: the admin sees the organisation's dues; keeping them is its treasurer's (403)."""
    with selectors.viewer_scope(dues.own_admin), pytest.raises(PermissionDenied):
        selectors.access_dues_organization(user=dues.own_admin, pk=dues.org_a.pk, manage=True)


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_sheet(dues: Any, outsider: str) -> None:
    sheet = generate(dues.org_a, now()).sheet
    with selectors.viewer_scope(dues.treasurer_a):
        found = selectors.access_sheet(user=dues.treasurer_a, organization=dues.org_a.pk, period=sheet.period)
        assert found == sheet and found.organization == dues.org_a
    assert_same_404(
        selectors.access_sheet,
        forbidden={"user": getattr(dues, outsider), "organization": dues.org_a.pk, "period": sheet.period},
        missing={"user": dues.treasurer_a, "organization": dues.org_a.pk, "period": months_ago(3)},
    )


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_payment(dues: Any, outsider: str) -> None:
    payment = pay_cash(dues.payer, [months_ago(1)])
    for viewer in (dues.payer.user, dues.treasurer_a, dues.own_admin, dues.hq_admin):
        with selectors.viewer_scope(viewer):
            assert selectors.access_payment(user=viewer, pk=payment.pk) == payment
    assert_same_404(
        selectors.access_payment,
        forbidden={"user": getattr(dues, outsider), "pk": payment.pk},
        missing={"user": dues.payer.user, "pk": MISSING},
    )


def test_order_is_the_payers_own(dues: Any) -> None:
    order = online.order_create(member=dues.payer, periods=[now()], actor=dues.payer.user)
    with selectors.viewer_scope(dues.payer.user):
        found = selectors.access_order(user=dues.payer.user, number=order.number, provider=DemoProvider.name)
    assert found == order
    for other in (dues.treasurer_a, dues.hq_admin, dues.member):
        assert_same_404(
            selectors.access_order,
            forbidden={"user": other, "number": order.number, "provider": DemoProvider.name},
            missing={"user": dues.payer.user, "number": "no-such-order", "provider": DemoProvider.name},
        )
