"""Reads of the people pages (人员管理): the people a station keeps and the fetch-and-authorise look-up of
one of them (`access_person`, the same 404 for a missing person and one the admin may not see or change).
Who governs whom is decided in `accounts.permissions` (`governed_people_q`, `accounts.change_person`);
role assignments are fetched by `accounts.selectors.access_role_assignment`."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, QuerySet, When
from django.http import Http404

from dangjian.accounts.models import User
from dangjian.accounts.permissions import governed_people_q, managed_station_ids
from dangjian.core.access import fetch_or_404
from dangjian.stations.selectors import restrict_to_stations


def people_of_managed_stations(user: Any) -> QuerySet[User]:
    """The list: everyone whose home station the admin keeps, marked with whether the admin may change
    them (someone holding roles at another station or at HQ is listed but not editable)."""
    return (
        restrict_to_stations(
            User.objects.select_related("home_station", "resident_unit", "organization"),
            managed_station_ids(user),
            field="home_station_id",
        )
        .annotate(can_change=Case(When(governed_people_q(user), then=True), default=False))
        .order_by("home_station_id", "real_name", "id")
    )


def changeable_people(user: Any) -> QuerySet[User]:
    """The listed people the admin may change and reset (`accounts.change_person` as a filter)."""
    return people_of_managed_stations(user).filter(governed_people_q(user))


def access_person(*, user: Any, pk: Any, manage: bool = False) -> User:
    """A person of a station the admin keeps; with `manage`, one they may change (edit, reset the
    password). Another station's person, or one holding a role the admin does not govern, is the same 404
    as a missing one."""
    if manage:
        person = fetch_or_404(changeable_people(user), pk)
        if not user.has_perm("accounts.change_person", person):  # the rule agrees with the queryset
            raise Http404
        return person
    return fetch_or_404(people_of_managed_stations(user), pk)


def access_member_account(*, user: Any, pk: Any) -> User:
    """The account of a member whose password `user` may reset from the member's record (their
    organisation's secretary or officer, or whoever governs the person); the same 404 otherwise."""
    person = fetch_or_404(User.objects.select_related("home_station"), pk)
    if not user.has_perm("accounts.reset_member_password", person):
        raise Http404
    return person
