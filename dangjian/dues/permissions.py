"""Who may see and handle party dues (DB3212/T 1124 §6.3 党费收缴; DESIGN.md "Personal data is isolated").

- A member sees only their own dues, payments and receipts.
- The organisation's treasurer — its secretary or an officer (党组织书记、委员) — manages its dues: income
  declarations, hardship relief, the farmers' amount, monthly sheets, cash and transfer payments.
- The station admins and party-affairs workers of the organisation's station, and HQ (whose grants reach
  every branch), see its sheets and reports but record nothing.
- Everyone else — another organisation's treasurer, another station's admin — gets a 404 (the lookups are
  inside `selectors`' visible querysets; these rules are the second check).

Objects are a `PartyOrganization`, or anything with an `organization` (sheet, line, payment, order).
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.permissions import (
    is_any_officer,
    is_any_station_admin,
    is_any_worker,
    is_authenticated,
    is_officer_of,
    is_station_admin_of,
    is_worker_of,
)


def organization_of(obj: Any) -> Any:
    """The organisation of a dues record, or the organisation itself."""
    return getattr(obj, "organization", obj) if hasattr(obj, "organization_id") else obj


@rules.predicate
def is_treasurer_of(user: Any, obj: Any) -> bool:
    """The organisation's secretary or an officer (2008 rule: 党费由党支部收缴)."""
    return bool(is_officer_of(user, organization_of(obj)))


@rules.predicate
def is_payer(user: Any, obj: Any) -> bool:
    """The member a line, payment or order belongs to."""
    member = getattr(obj, "member", None)
    return member is not None and member.user_id == getattr(user, "pk", None)


can_view_organization = is_treasurer_of | is_station_admin_of | is_worker_of

rules.add_perm(
    "dues.enter", is_any_officer | is_any_station_admin | is_any_worker
)  # management index, reports
rules.add_perm("dues.view_organization", can_view_organization)  # sheets, arrears, payments, declarations
rules.add_perm("dues.manage_organization", is_treasurer_of)  # generate, record, declare, relieve, close
rules.add_perm("dues.view_payment", is_payer | can_view_organization)  # a receipt
rules.add_perm("dues.view_own", is_authenticated)
