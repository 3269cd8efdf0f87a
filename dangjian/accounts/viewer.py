"""`viewer_for(user)`: the `dangjian.core.search.Viewer` of a user.

The visibility rule (`Viewer`, `visibility_q`) lives in the shared kernel so that search and every
capability's lists apply the same rule; but `core` imports no app of ours, so turning a user and
their role assignments into a `Viewer` happens here, in accounts (which may import core).
"""

from __future__ import annotations

from typing import Any

from dangjian.accounts.permissions import OFFICER_ROLES, governs_all_stations, grants_of
from dangjian.core.search import ANONYMOUS, Viewer


def viewer_for(user: Any) -> Viewer:
    """Who `user` is for visibility purposes; anonymous users (or None) see public items only.

    - station_ids: the home station plus every station where the user holds any role;
    - organization_ids: the user's own organisation plus those where they are secretary or officer;
    - all_stations: platform admins, superusers and HQ station admins (`governs_all_stations`).

    Reads the role assignments once per user object (`grants_of` caches them)."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    grants = grants_of(user)
    station_ids = {grant.station_id for grant in grants}
    organization_ids = {grant.organization_id for grant in grants if grant.role in OFFICER_ROLES}
    station_ids.add(user.home_station_id)
    organization_ids.add(user.organization_id)
    return Viewer(
        authenticated=True,
        station_ids={pk for pk in station_ids if pk is not None},
        all_stations=governs_all_stations(user),
        organization_ids={pk for pk in organization_ids if pk is not None},
    )
