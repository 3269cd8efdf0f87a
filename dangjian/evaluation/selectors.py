"""Reads of service evaluation. Querysets are narrowed with the filters of `accounts.permissions` (the one
visibility authority); `access_<thing>` fetches and authorises in one step (the same 404 for missing and
forbidden). The indicators are counted in the database, grouped by station (or organisation), so a
comparison of every station costs the same few queries whatever their number (`indicator_counts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role, User
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped, merge
from dangjian.evaluation import indicators
from dangjian.evaluation.indicators import Counts, Period
from dangjian.evaluation.models import (
    Ballot,
    OccurrenceStatus,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Rectification,
    RectificationNote,
    RectificationStatus,
    SatisfactionAnswer,
    SatisfactionInvitation,
    ServiceItem,
    ServiceOccurrence,
)
from dangjian.evaluation.permissions import organization_station_id
from dangjian.feedback import selectors as feedback_selectors
from dangjian.stations.models import Station

STAFF_ROLES = (Role.STATION_ADMIN, Role.INSTRUCTOR, Role.WORKER, Role.GUIDE)
DELIVERY_ROLES = (Role.STATION_ADMIN, Role.WORKER, Role.GUIDE)
ADMIN_ROLES = (Role.STATION_ADMIN,)


def second_check(user: Any, permission: str, found: Any) -> Any:
    if not user.has_perm(permission, found):
        raise Http404
    return found


# ---------------------------------------------------------------- service items


def items_for(*, user: Any) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(visibility.station_rows_q(user, STAFF_ROLES)).select_related("station")


def access_item(*, user: Any, pk: Any, manage: bool = False) -> ServiceItem:
    found = fetch_or_404(items_for(user=user), pk)
    return second_check(user, "evaluation.manage_items" if manage else "evaluation.view_items", found)


def occurrences_for(*, user: Any) -> QuerySet[ServiceOccurrence]:
    return ServiceOccurrence.objects.filter(visibility.station_rows_q(user, STAFF_ROLES)).select_related(
        "item", "station", "delivered_by"
    )


def access_occurrence(*, user: Any, pk: Any) -> ServiceOccurrence:
    found = fetch_or_404(
        ServiceOccurrence.objects.filter(visibility.station_rows_q(user, DELIVERY_ROLES)).select_related(
            "item", "station"
        ),
        pk,
    )
    return second_check(user, "evaluation.record_delivery", found)


def exceptions_for(*, user: Any, now: datetime | None = None) -> QuerySet[ServiceOccurrence]:
    """Missed and late deliveries (and those whose window ended without a record yet), newest first."""
    now = now or timezone.now()
    late = Q(status=OccurrenceStatus.DELIVERED, on_time=False)
    missed = Q(status=OccurrenceStatus.MISSED) | Q(status=OccurrenceStatus.PLANNED, window_ends_at__lt=now)
    return occurrences_for(user=user).filter(late | missed).order_by("-scheduled_at", "-id")


def due_today_for(*, user: Any) -> QuerySet[ServiceOccurrence]:
    """Planned occurrences of today and the overdue ones not yet recorded (what the staff may record)."""
    end = timezone.localtime().replace(hour=23, minute=59, second=59)
    return (
        ServiceOccurrence.objects.filter(visibility.station_rows_q(user, DELIVERY_ROLES))
        .exclude(status=OccurrenceStatus.DELIVERED)
        .filter(scheduled_at__lte=end, scheduled_at__gte=end - timedelta(days=7))
        .select_related("item", "station")
        .order_by("scheduled_at", "id")
    )


# ---------------------------------------------------------------- surveys


def pending_surveys_for(*, user: Any) -> QuerySet[SatisfactionInvitation]:
    if not getattr(user, "is_authenticated", False):
        return SatisfactionInvitation.objects.none()
    return SatisfactionInvitation.objects.filter(person=user, answered_at__isnull=True).select_related(
        "station"
    )


def access_invitation(*, user: Any, pk: Any) -> SatisfactionInvitation:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    found = fetch_or_404(SatisfactionInvitation.objects.filter(person=user).select_related("station"), pk)
    return second_check(user, "evaluation.answer_survey", found)


def recent_comments(*, station: Station, limit: int = 10) -> list[SatisfactionAnswer]:
    """The latest comments of a station (no person: answers name none)."""
    return list(
        SatisfactionAnswer.objects.filter(station=station)
        .exclude(comment="")
        .order_by("-answered_at")[:limit]
    )


# ---------------------------------------------------------------- questionnaires


def questionnaires_for(*, user: Any) -> QuerySet[Questionnaire]:
    """Questionnaires of the stations the person belongs to (HQ holders: every one)."""
    stations = visibility.belonging_station_ids(user)
    found = Questionnaire.objects.select_related("station")
    if stations is visibility.ALL_STATIONS:
        return found
    own = organization_station_id(user)
    return found.filter(station_id__in=sorted((stations or set()) | ({own} if own else set())))


def managed_questionnaires(*, user: Any) -> QuerySet[Questionnaire]:
    return (
        Questionnaire.objects.filter(visibility.station_rows_q(user, ADMIN_ROLES))
        .select_related("station")
        .annotate(ballot_count=Count("ballots"))
    )


def access_questionnaire(*, user: Any, pk: Any) -> Questionnaire:
    found = fetch_or_404(questionnaires_for(user=user), pk)
    return second_check(user, "evaluation.view_questionnaire", found)


def has_voted(*, user: Any, questionnaire: Questionnaire) -> bool:
    return Ballot.objects.filter(questionnaire=questionnaire, voter_id=getattr(user, "pk", None)).exists()


def with_options(questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position"))
        )
    )


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    text: str
    count: int
    percent: Decimal | None


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    text: str
    kind: str
    options: tuple[OptionResult, ...]
    texts: tuple[str, ...]


def results(questionnaire: Questionnaire) -> tuple[int, list[QuestionResult]]:
    """Ballots cast and, per question, each option's count and share of the ballots (3 queries)."""
    ballots = Ballot.objects.filter(questionnaire=questionnaire).count()
    counted = Option.objects.filter(question__questionnaire=questionnaire).annotate(votes=Count("choices"))
    by_question: dict[int, list[Option]] = {}
    for option in counted.order_by("position", "id"):
        by_question.setdefault(option.question_id, []).append(option)
    texts: dict[int, list[str]] = {}
    for question_id, text in questionnaire.questions.filter(kind=QuestionKind.TEXT).values_list(
        "texts__question_id", "texts__text"
    ):
        if question_id is not None:
            texts.setdefault(question_id, []).append(text)
    out = []
    for question in questionnaire.questions.order_by("position", "id"):
        options = tuple(
            OptionResult(o.pk, o.text, o.votes, indicators.percent(indicators.rate(o.votes, ballots)))  # type: ignore[attr-defined]
            for o in by_question.get(question.pk, [])
        )
        out.append(
            QuestionResult(
                question.pk, question.text, question.kind, options, tuple(texts.get(question.pk, []))
            )
        )
    return ballots, out


# ---------------------------------------------------------------- rectifications


def measures_for(*, user: Any) -> QuerySet[Rectification]:
    if not getattr(user, "is_authenticated", False):
        return Rectification.objects.none()
    condition = visibility.station_rows_q(user, STAFF_ROLES)
    if condition:  # not everything already (HQ): add the person's own measures
        condition |= Q(owner_id=user.pk) | Q(verifier_id=user.pk)
    return Rectification.objects.filter(condition).select_related("station", "owner", "verifier")


def access_measure(*, user: Any, pk: Any, manage: bool = False) -> Rectification:
    found = fetch_or_404(measures_for(user=user), pk)
    return second_check(
        user, "evaluation.manage_rectification" if manage else "evaluation.view_rectification", found
    )


def open_measures(*, user: Any) -> QuerySet[Rectification]:
    """Measures not closed of the stations the person administers (HQ: every station)."""
    return Rectification.objects.filter(visibility.station_rows_q(user, ADMIN_ROLES)).exclude(
        status=RectificationStatus.CLOSED
    )


def my_measures(*, user: Any) -> QuerySet[Rectification]:
    """Measures waiting for the person: as owner (not closed, not waiting for verification) or as verifier."""
    if not getattr(user, "is_authenticated", False):
        return Rectification.objects.none()
    owner = Q(owner_id=user.pk, status__in=[RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS])
    verifier = Q(verifier_id=user.pk, status=RectificationStatus.PENDING_VERIFICATION)
    return Rectification.objects.filter(owner | verifier)


def timeline(measure: Rectification) -> list[RectificationNote]:
    return list(measure.notes.order_by("at", "id"))


def public_measures(*, station: Station) -> list[Rectification]:
    """A station's measures with their timelines for the anonymous accountability page (2 queries)."""
    notes = Prefetch("notes", queryset=RectificationNote.objects.order_by("at", "id"))
    return list(
        Rectification.objects.filter(station=station).order_by("-created_at", "-id").prefetch_related(notes)
    )


# ---------------------------------------------------------------- indicators


def indicator_stations(*, user: Any) -> QuerySet[Station]:
    """Stations whose indicators the person may read."""
    station_ids = visibility.stations_with_role(user, *STAFF_ROLES)
    stations = Station.objects.order_by("kind", "name", "id")
    if station_ids is visibility.ALL_STATIONS:
        return stations
    return stations.filter(pk__in=sorted(station_ids or ()))


def access_indicator_station(*, user: Any, pk: Any) -> Station:
    return second_check(user, "evaluation.view_indicators", fetch_or_404(indicator_stations(user=user), pk))


def _answer_counts(
    start: datetime, end: datetime, field: str, ids: list[int] | None
) -> dict[int, dict[str, int]]:
    rows = SatisfactionAnswer.objects.filter(
        answered_at__gte=start, answered_at__lt=end, **{f"{field}__isnull": False}
    )
    if ids is not None:
        rows = rows.filter(**{f"{field}__in": ids})
    grouped = rows.values(field).annotate(
        answers=Count("id"),
        satisfied=Count("id", filter=Q(score__gte=indicators.SATISFIED_FROM)),
        total=Sum("score"),
    )
    return {
        row[field]: {
            "answers": row["answers"],
            "satisfied": row["satisfied"],
            "score_total": row["total"] or 0,
        }
        for row in grouped.order_by()
    }


def _delivery_counts(
    start: datetime, end: datetime, now: datetime, ids: list[int] | None
) -> dict[int, dict[str, int]]:
    rows = ServiceOccurrence.objects.filter(scheduled_at__gte=start, scheduled_at__lt=end)
    if ids is not None:
        rows = rows.filter(station_id__in=ids)
    delivered = Q(status=OccurrenceStatus.DELIVERED)
    grouped = rows.values("station_id").annotate(
        delivered=Count("id", filter=delivered),
        on_time=Count("id", filter=delivered & Q(on_time=True)),
        planned_due=Count("id", filter=delivered | Q(window_ends_at__lt=now)),
    )
    return {
        row["station_id"]: {
            "delivered": row["delivered"],
            "completed": row["delivered"],
            "on_time": row["on_time"],
            "planned_due": row["planned_due"],
        }
        for row in grouped.order_by()
    }


def _complaint_counts(
    start: datetime, end: datetime, by: str, ids: list[int] | None
) -> dict[int, tuple[int, int]]:
    """(valid complaints received in the period, of those closed as resolved), from the feedback capability."""
    return feedback_selectors.valid_complaint_counts(start=start, end=end, by=by, ids=ids)


def indicator_counts(
    *, period: Period, ids: Iterable[int] | None = None, by: str = "station", now: datetime | None = None
) -> dict[int, Counts]:
    """The counts of every station (`by="station"`) or organisation (`by="organization"`: satisfaction
    and complaints only — service items are a station's) in `ids` (every one: None) for the period:
    three queries whatever their number."""
    now = now or timezone.now()
    start, end = period.bounds(timezone.get_current_timezone())
    wanted = sorted(set(ids)) if ids is not None else None
    field = "station_id" if by == "station" else "organization_id"
    answers = _answer_counts(start, end, field, wanted)
    deliveries = _delivery_counts(start, end, now, wanted) if by == "station" else {}
    complaints = _complaint_counts(start, end, by, wanted)
    keys = set(answers) | set(deliveries) | set(complaints) | set(wanted or ())
    out = {}
    for key in keys:
        valid, resolved = complaints.get(key, (0, 0))
        out[key] = Counts(
            **answers.get(key, {}),
            **deliveries.get(key, {}),
            complaints_valid=valid,
            complaints_resolved=resolved,
        )
    return out


def _counted(rows: QuerySet[Any]) -> Subquery:
    """`SELECT COUNT(id) …` of `rows` as a scalar subquery (several counts in one query)."""
    return Subquery(
        rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"), output_field=IntegerField()
    )


@dataclass(frozen=True)
class CardFigures:
    pending_surveys: int
    my_measures: int
    open_measures: int
    overdue_measures: int
    answers: int = 0  # this quarter's satisfaction answers of the stations the person keeps
    satisfied: int = 0


def card_figures(*, user: Any) -> CardFigures:
    """What the work-page cards count for the person, in one query: surveys waiting for their answer,
    measures waiting for them (owner or verifier), open and overdue measures of the stations they keep."""
    if not getattr(user, "is_authenticated", False):
        return CardFigures(0, 0, 0, 0)
    open_rows = open_measures(user=user)
    start, end = Period.containing(timezone.localdate(), "quarter").bounds(timezone.get_current_timezone())
    answers = SatisfactionAnswer.objects.filter(
        visibility.station_rows_q(user, ADMIN_ROLES), answered_at__gte=start, answered_at__lt=end
    )
    found: Mapping[str, Any] = (
        User.objects.filter(pk=user.pk)
        .values(
            pending=_counted(pending_surveys_for(user=user)),
            mine=_counted(my_measures(user=user)),
            open=_counted(open_rows),
            overdue=_counted(open_rows.filter(deadline__lt=timezone.localdate())),
            answers=_counted(answers),
            satisfied=_counted(answers.filter(score__gte=indicators.SATISFIED_FROM)),
        )
        .first()
    ) or {}
    keys = ("pending", "mine", "open", "overdue", "answers", "satisfied")
    return CardFigures(*(int(found.get(key) or 0) for key in keys))


def station_report(*, station_id: int, period: Period, now: datetime | None = None) -> indicators.Report:
    counts = indicator_counts(period=period, ids=[station_id], now=now)
    return indicators.report(counts.get(station_id, Counts()))


def station_trend(
    *, station_id: int, period: Period, length: int = 6
) -> list[tuple[Period, indicators.Report]]:
    """The station's indicators over this period and the ones before it (3 queries per period)."""
    return [(p, station_report(station_id=station_id, period=p)) for p in period.trend(length)]


def comparison(*, period: Period) -> list[tuple[Station, indicators.Report]]:
    """Every station's indicators for HQ (4 queries whatever the number of stations)."""
    stations = list(Station.objects.order_by("kind", "name", "id"))
    counts = indicator_counts(period=period)
    return [(s, indicators.report(counts.get(s.pk, Counts()))) for s in stations]


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)

OPEN_MEASURES = (
    RectificationStatus.OPEN,
    RectificationStatus.IN_PROGRESS,
    RectificationStatus.PENDING_VERIFICATION,
)
INDICATOR_COUNTS = (
    "satisfied", "answers", "on_time", "delivered", "completed", "planned_due", "complaints_resolved",
    "complaints_valid",
)  # fmt: skip


def evaluation_figures(*, year: int, now: datetime) -> Figures:
    """Per station: the counts behind the four §10.1.1 indicators of the year (`satisfied` of `answers`,
    `on_time` of `delivered`, `completed` of `planned_due`, `complaints_resolved` of `complaints_valid`),
    `rectifications_open` and `rectifications_overdue` (§10.2); four queries."""
    answer: Figures = {
        station_id: {key: Decimal(getattr(counts, key)) for key in INDICATOR_COUNTS}
        for station_id, counts in indicator_counts(period=Period("year", year), now=now).items()
    }
    measures = grouped(
        Rectification.objects.filter(status__in=OPEN_MEASURES),
        rectifications_open=Count("pk"),
        rectifications_overdue=Count("pk", filter=Q(deadline__lt=timezone.localdate(now))),
    )
    return merge(answer, measures)
