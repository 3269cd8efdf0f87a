"""Access-matrix rows of party-dues collection (§6.3 党费收缴). The objects belong to org_a in branch A and
to a member of it who is none of the matrix roles: this month's sheet, a cash payment (receipt) and a
pending online order (made while the demo gateway was on; in the matrix it is off, as by default). Dues are
personal data: everything of org_a is a 404 outside A and HQ; A's and HQ's admins may look but not act (403
on the treasurer's forms); the matrix "member" has no dues of their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    LOGGED_IN_PAGE,
    LOGGED_IN_POST_REDIRECT,
    Row,
    everyone,
    statuses,
)
from tests.dues.builders import DEMO_ON, default_rule, generate, make_member, months_ago, now, pay_cash

GET_ONLY_FOR_SIGNED_IN = statuses(302, 405, 405, 405, 405, 405)
ORG_PAGE = statuses(302, 404, 404, 404, 200, 200)  # A's and HQ's admins see org_a's dues
TREASURER_ONLY = statuses(302, 404, 404, 404, 403, 403)  # …but only org_a's treasurer acts
NOBODY_ELSES = statuses(302, 404, 404, 404, 404, 404)


def prepare(world: Any) -> None:
    from django.test import override_settings

    from dangjian.dues import online

    default_rule()
    payer = make_member(world.org_a)
    world.dues_sheet = generate(world.org_a, now()).sheet
    world.dues_payment = pay_cash(payer, [months_ago(1)])
    with override_settings(**DEMO_ON):  # an order made while the demo gateway was on; it is off in the matrix
        world.dues_order = online.order_create(member=payer, periods=[now()], actor=payer.user)


def _org(w: Any) -> dict[str, Any]:
    return {"organization": w.org_a.pk}


def _month(w: Any) -> dict[str, Any]:
    period = w.dues_sheet.period
    return {"organization": w.org_a.pk, "year": period.year, "month": period.month}


def _org_row(
    get: dict[str, int], post: dict[str, int], kwargs: Callable[[Any], dict[str, Any]] = _org
) -> Row:
    return Row(get=get, post=post, kwargs=kwargs)


ROWS: dict[str, Row] = {
    "dues:my_dues": Row(get=LOGGED_IN_PAGE, post=GET_ONLY_FOR_SIGNED_IN),
    "dues:my_pay": Row(get=GET_ONLY_FOR_SIGNED_IN, post=LOGGED_IN_POST_REDIRECT),
    "dues:receipt": Row(
        get=ORG_PAGE, post=GET_ONLY_FOR_SIGNED_IN, kwargs=lambda w: {"pk": w.dues_payment.pk}
    ),
    # the payer's own pending order: no one else's to cancel
    "dues:my_order_cancel": Row(
        get=GET_ONLY_FOR_SIGNED_IN, post=NOBODY_ELSES, kwargs=lambda w: {"order": w.dues_order.number}
    ),
    "api:my_dues_order_cancel": Row(
        get=everyone(405),
        post=statuses(401, 404, 404, 404, 404, 404),
        kwargs=lambda w: {"order": w.dues_order.number},
    ),
    "dues:demo_pay": Row(
        get=NOBODY_ELSES, post=NOBODY_ELSES, kwargs=lambda w: {"order": w.dues_order.number}
    ),
    # The demo gateway is off unless a setting turns it on: no such provider, for everyone.
    "dues:callback": Row(get=everyone(405), post=everyone(404), kwargs=lambda w: {"provider": "demo"}),
    "dues:home": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "dues:report": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "dues:report_export": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "dues:rule_list": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "dues:sheet": _org_row(ORG_PAGE, GET_ONLY_FOR_SIGNED_IN, _month),
    "dues:sheet_generate": _org_row(GET_ONLY_FOR_SIGNED_IN, TREASURER_ONLY, _month),
    "dues:sheet_close": _org_row(GET_ONLY_FOR_SIGNED_IN, TREASURER_ONLY, _month),
    "dues:arrears": _org_row(ORG_PAGE, GET_ONLY_FOR_SIGNED_IN),
    "dues:payment_list": _org_row(ORG_PAGE, GET_ONLY_FOR_SIGNED_IN),
    "dues:declaration_list": _org_row(ORG_PAGE, GET_ONLY_FOR_SIGNED_IN),
    "dues:relief_list": _org_row(ORG_PAGE, GET_ONLY_FOR_SIGNED_IN),
    "dues:payment_create": _org_row(TREASURER_ONLY, TREASURER_ONLY),
    "dues:declaration_create": _org_row(TREASURER_ONLY, TREASURER_ONLY),
    "dues:relief_create": _org_row(TREASURER_ONLY, TREASURER_ONLY),
    "dues:setting_edit": _org_row(TREASURER_ONLY, TREASURER_ONLY),
    "api:my_dues": Row(get=statuses(401, 200, 200, 200, 200, 200), post=everyone(405)),
    "api:my_dues_pay": Row(
        get=everyone(405),
        post=statuses(401, 403, 403, 403, 403, 403),  # none of the matrix roles is a party member
        post_data=lambda w: {"months": [f"{now():%Y-%m}"]},
        json=True,
    ),
    "api:dues_sheet": Row(
        get=statuses(401, 404, 404, 404, 200, 200),
        post=everyone(405),
        kwargs=lambda w: {
            "organization_id": w.org_a.pk,
            "year": w.dues_sheet.period.year,
            "month": w.dues_sheet.period.month,
        },
    ),
}
