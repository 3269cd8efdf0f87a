"""Reads of feedback (DB3212/T 1124 §10.1.2). Every queryset is narrowed to what the person may see with
the filters of `accounts.permissions`: the submitter's own feedback, and that of the stations where they
are station admin, party-affairs worker or guide (HQ: every station). `access_feedback` fetches and
authorises in one step: another station's staff, a missing row and a pk that is no id get the same 404.
A tracking-code holder reaches one item by its code (`by_code`), nothing else.

Contact details are personal data in a scoped table: `contact_for` reads them inside the station's
django-scopes scope, only for a person `feedback.view_contact` allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scope

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role, User
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped
from dangjian.feedback.models import (
    OPEN_STATUSES,
    Feedback,
    FeedbackContact,
    FeedbackEvent,
    Kind,
    Resolution,
    Status,
    Validity,
    normalize_code,
)
from dangjian.stations.models import Station

HANDLER_ROLES = (Role.STATION_ADMIN, Role.WORKER, Role.GUIDE)
ADMIN_ROLES = (Role.STATION_ADMIN,)
COUNTED_BY = {"station": "station_id", "organization": "organization_id"}
STAFF_WORDING = "工作人员"


def _feedback() -> QuerySet[Feedback]:
    return Feedback.objects.select_related(
        "station", "organization", "unit", "assignee", "submitter", "entered_by"
    )


def handled_feedback(*, user: Any) -> QuerySet[Feedback]:
    """Feedback of the stations where the person is admin, worker or guide (HQ: all)."""
    return _feedback().filter(visibility.station_rows_q(user, HANDLER_ROLES))


def visible_feedback(*, user: Any) -> QuerySet[Feedback]:
    """The person's own feedback plus what they handle."""
    return _feedback().filter(visibility.station_rows_q(user, HANDLER_ROLES, owner_field="submitter_id"))


def my_feedback(*, user: Any) -> QuerySet[Feedback]:
    if not getattr(user, "is_authenticated", False):
        return Feedback.objects.none()
    return _feedback().filter(submitter_id=user.pk).order_by("-received_at", "-id")


def access_feedback(*, user: Any, pk: Any, manage: bool = False) -> Feedback:
    """One item the person may see (`manage`: handle); else 404 — the same for missing and forbidden."""
    if manage:
        found = fetch_or_404(handled_feedback(user=user), pk)
        permission = "feedback.handle"
    else:
        found = fetch_or_404(visible_feedback(user=user), pk)
        permission = "feedback.view"
    if not user.has_perm(permission, found):
        raise Http404
    return found


def by_code(code: Any) -> Feedback:
    """The item a tracking code opens; a wrong or malformed code is a 404."""
    normalized = normalize_code(code)
    if len(normalized) != Feedback._meta.get_field("tracking_code").max_length:
        raise Http404
    found = _feedback().filter(tracking_code=normalized).first()
    if found is None:
        raise Http404
    return found


def contact_for(*, user: Any, feedback: Feedback) -> FeedbackContact | None:
    """The submitter's contact details, for the submitter and the station's handlers (HQ); else None."""
    if not user.has_perm("feedback.view_contact", feedback):
        return None
    return contact_of(feedback)


def contact_of(feedback: Feedback) -> FeedbackContact | None:
    """The contact row of one item (callers decided the reader may see it: a code holder sees it masked)."""
    with scope(station=[feedback.station_id]):
        return FeedbackContact.objects.filter(feedback_id=feedback.pk).first()


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class ListFilters:
    status: str = ""
    kind: str = ""
    channel: str = ""
    overdue: bool = False
    mine: bool = False
    station: int | None = None
    q: str = ""


def filtered(
    queryset: QuerySet[Feedback], filters: ListFilters, *, user: Any, today: date | None = None
) -> QuerySet[Feedback]:
    today = today or timezone.localdate()
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.overdue:
        queryset = queryset.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    if filters.mine:
        queryset = queryset.filter(assignee_id=getattr(user, "pk", None))
    if filters.station:
        queryset = queryset.filter(station_id=filters.station)
    if filters.q:
        queryset = queryset.filter(Q(title__icontains=filters.q) | Q(content__icontains=filters.q))
    return queryset.order_by("-received_at", "-id")


def staff_list(*, user: Any, filters: ListFilters) -> QuerySet[Feedback]:
    return filtered(handled_feedback(user=user), filters, user=user)


def timeline(feedback: Feedback) -> list[FeedbackEvent]:
    return list(FeedbackEvent.objects.filter(feedback=feedback).select_related("actor").order_by("at", "id"))


@dataclass(frozen=True)
class Step:
    """A timeline step as a person sees it: staff names only to staff."""

    at: datetime
    label: str
    who: str
    note: str
    action: str


def public_steps(feedback: Feedback, *, staff_view: bool = False) -> list[Step]:
    """The timeline worded for the viewer: the submitter sees "工作人员" instead of the staff's names."""
    steps = []
    for event in timeline(feedback):
        if event.by_staff:
            who = event.actor.display_name if staff_view and event.actor else STAFF_WORDING
        elif event.actor is None and event.action.startswith("escalate"):
            who = "系统"
        else:
            who = "提交人"
        steps.append(
            Step(at=event.at, label=event.get_action_display(), who=who, note=event.note, action=event.action)
        )
    return steps


def handled_stations(*, user: Any) -> QuerySet[Station]:
    """Active stations where the person handles feedback (HQ: every station): the paper entry's choices."""
    condition = visibility.station_rows_q(user, HANDLER_ROLES, station_field="pk")
    return Station.objects.filter(condition, is_active=True).order_by("-kind", "sort_order", "id")


def handlers_for(*, feedback: Feedback) -> QuerySet[User]:
    """The people an item may be assigned to: the station's admins, workers and guides."""
    return visibility.role_holders(*HANDLER_ROLES, station_id=feedback.station_id)


# ---------------------------------------------------------------- work cards


def overdue_managed(*, user: Any, today: date | None = None) -> QuerySet[Feedback]:
    """Overdue items of the stations where the person is station admin (HQ: all)."""
    today = today or timezone.localdate()
    return Feedback.objects.filter(
        visibility.station_rows_q(user, ADMIN_ROLES), status__in=OPEN_STATUSES, due_on__lt=today
    )


@dataclass(frozen=True)
class CardCounts:
    assigned: int
    overdue: int


def card_counts(*, user: Any, today: date | None = None) -> CardCounts:
    """Both work-card numbers in one query: open items assigned to the person, and overdue items of the
    stations where they are station admin (a station admin is a handler, so both are within what they
    handle)."""
    if not getattr(user, "is_authenticated", False):
        return CardCounts(0, 0)
    today = today or timezone.localdate()
    overdue = Q(status__in=OPEN_STATUSES, due_on__lt=today) & visibility.station_rows_q(user, ADMIN_ROLES)
    counts = Feedback.objects.filter(visibility.station_rows_q(user, HANDLER_ROLES)).aggregate(
        assigned=Count("pk", filter=Q(assignee_id=user.pk, status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue),
    )
    return CardCounts(assigned=counts["assigned"] or 0, overdue=counts["overdue"] or 0)


# ---------------------------------------------------------------- indicator (§10.1.1) for evaluation


def valid_complaint_counts(
    *, start: datetime, end: datetime, by: str = "station", ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """Per station (`by="station"`) or organisation (`by="organization"`, complaints about one): complaints
    received in [start, end) and decided **valid**, and of those how many are **closed as resolved** —
    the "有效投诉解决率" (§10.1.1). One query whatever the number of stations; with `ids`, every id asked
    for is in the answer ((0, 0) when it had none), without, only those with a valid complaint."""
    field = COUNTED_BY.get(by)
    if field is None:
        raise ValueError(f"by must be 'station' or 'organization', not {by!r}")
    rows = Feedback.objects.filter(
        kind=Kind.COMPLAINT, validity=Validity.VALID, received_at__gte=start, received_at__lt=end
    ).exclude(**{f"{field}__isnull": True})
    wanted = None if ids is None else sorted(set(ids))
    if wanted is not None:
        rows = rows.filter(**{f"{field}__in": wanted})
    counted = (
        rows.values(field)
        .annotate(
            valid=Count("pk"),
            resolved=Count("pk", filter=Q(status=Status.CLOSED, resolution=Resolution.RESOLVED)),
        )
        .order_by()
    )
    answer: dict[int, tuple[int, int]] = {row[field]: (row["valid"], row["resolved"]) for row in counted}
    if wanted is not None:
        answer = {pk: answer.get(pk, (0, 0)) for pk in wanted}
    return answer


def status_counts(queryset: QuerySet[Feedback]) -> Mapping[str, int]:
    """How many items of each status (the list's tabs), one query."""
    return dict(queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


__all__ = ["access_feedback", "by_code", "valid_complaint_counts"]


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def feedback_figures(*, year: int) -> Figures:
    """Per station: `feedback_total` received this year (§10.1.2), one query."""
    received = Feedback.objects.filter(received_at__year=year)
    return grouped(received, feedback_total=Count("pk"))
