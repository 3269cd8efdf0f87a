"""Rules of funds (`funding.<action>`), built from the role predicates of accounts.

A station's admins and party-affairs workers keep its ledger and budgets (record and reverse entries,
add vouchers, set budgets); HQ station admins and platform admins do so for every station. The
station's instructors read. Objects are a `Station` or anything with a `station_id` (an entry)."""

from __future__ import annotations

import rules

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    is_any_instructor,
    is_any_station_admin,
    is_any_worker,
    is_instructor_of,
    is_station_admin_of,
    is_worker_of,
)

KEEPER_ROLES = (Role.STATION_ADMIN, Role.WORKER)
READER_ROLES = (*KEEPER_ROLES, Role.INSTRUCTOR)

keeps_funds = is_station_admin_of | is_worker_of
reads_funds = keeps_funds | is_instructor_of

rules.add_perm("funding.enter", is_any_station_admin | is_any_worker | is_any_instructor)  # pages, menu
rules.add_perm("funding.keep_any", is_any_station_admin | is_any_worker)  # the "new entry" buttons
rules.add_perm("funding.view_ledger", reads_funds)  # obj: station or entry
rules.add_perm("funding.record", keeps_funds)  # obj: station or entry (record, reverse, add a voucher)
rules.add_perm("funding.set_budget", keeps_funds)  # obj: station
