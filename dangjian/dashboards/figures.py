"""The cockpit's figures: computed from every capability's selectors, stored as `Figure` rows, read back.

`compute(year)` asks each capability for its counts grouped by station (a fixed number of queries
whatever the number of stations), adds the coverage of resident units (§4.3) and organisation-life
compliance (§7.3), and derives the rates (`metrics.with_rates`). `refresh(year)` stores the result and the
platform's totals in one transaction; the Celery task `dashboards.refresh_figures` runs it on a schedule
and shortly after the commits that change what it counts (`request_refresh`). The pages read the stored
rows (`station_values`, `platform_values`), so they cost the same few queries at 10 or 1,000 stations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from dangjian.accounts import selectors as accounts
from dangjian.activities import selectors as activities
from dangjian.activities.life_rules import Status as LifeStatus
from dangjian.core import live
from dangjian.core.figures import Figures, merge
from dangjian.dashboards import metrics
from dangjian.dashboards.models import Figure
from dangjian.development import selectors as development
from dangjian.disclosures import selectors as disclosures
from dangjian.dues import selectors as dues
from dangjian.evaluation import selectors as evaluation
from dangjian.feedback import selectors as feedback
from dangjian.funding import selectors as funding
from dangjian.honors import selectors as honors
from dangjian.learning import selectors as learning
from dangjian.members import selectors as members
from dangjian.news import selectors as news
from dangjian.organizations import selectors as organizations
from dangjian.stations import selectors as stations
from dangjian.stations.models import Station
from dangjian.venues import selectors as venues

REFRESH_QUEUED_KEY = "dashboards:refresh-queued"
STALE_KEY = "dashboards:figures-stale"
CHANGED_EVENT = "cockpit.changed"
REFRESH_DELAY_SECONDS = 60
STORED_PLACES = Decimal("0.0001")
StationValues = dict[str, Decimal | None]


def _coverage(year: int) -> Figures:
    """Per station: its active resident units and how many of them the platform reached (§4.3)."""
    unit_station = stations.unit_stations()
    reached = {
        "units_with_people": accounts.units_with_people(),
        "units_with_party": organizations.units_with_organization() | members.units_with_members(),
        "units_with_activity": activities.units_taking_part(year=year),
    }
    counts: Figures = {}
    for unit_id, station_id in unit_station.items():
        row = counts.setdefault(station_id, {key: Decimal(0) for key in ("units_total", *reached)})
        row["units_total"] += 1
        for key, units in reached.items():
            if unit_id in units:
                row[key] += 1
    return counts


def _life(year: int, today: date) -> Figures:
    """Per station: organisations taking part in organisation life and those with nothing missing so far."""
    counts: Figures = {}
    every_organization = list(organizations.organizations_of_stations())
    statuses = activities.life_statuses(year=year, organizations=every_organization, today=today)
    for organization in every_organization:
        status = statuses.get(organization.pk)
        if status is None:  # no rule in force: not judged
            continue
        row = counts.setdefault(
            organization.station_id, {"life_orgs_total": Decimal(0), "life_orgs_compliant": Decimal(0)}
        )
        row["life_orgs_total"] += 1
        if status != LifeStatus.MISSING:
            row["life_orgs_compliant"] += 1
    return counts


def _learning_targets(year: int, member_counts: Figures) -> Figures:
    target = learning.default_yearly_target(year)
    return {pk: {"learning_target_hours": row["members"] * target} for pk, row in member_counts.items()}


def _funding_and_honours(year: int) -> list[Figures]:
    """Funding (§8) and demonstration (§9)."""
    totals = funding.station_year_totals(year=year)
    ledger = {
        pk: {"funding_income": t.income, "funding_expense": t.expense, "funding_budget": t.budget}
        for pk, t in totals.items()
    }
    counted = {
        "honors_awarded": honors.awards_by_station(year=year),
        "publicity_city_or_above": honors.publicity_city_or_above_by_station(year=year),
        "demonstration_events": honors.events_by_station(year=year),
    }
    return [ledger, *({pk: {key: Decimal(n)} for pk, n in found.items()} for key, found in counted.items())]


def compute(year: int, *, now: datetime | None = None) -> dict[int, StationValues]:
    """Every metric of every station for `year` (see the module's docstring)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    member_counts = members.member_figures()
    counts = merge(
        _coverage(year),
        accounts.people_figures(),
        accounts.role_figures(),
        organizations.organization_figures(today=today),
        organizations.alliance_figures(),
        member_counts,
        _learning_targets(year, member_counts),
        _life(year, today),
        activities.activity_figures(year=year, now=now),
        learning.learning_figures(year=year),
        dues.dues_figures(year=year, today=today),
        venues.venue_figures(year=year),
        news.article_figures(year=year),
        disclosures.disclosure_figures(year=year),
        feedback.feedback_figures(year=year),
        evaluation.evaluation_figures(year=year, now=now),
        development.development_figures(year=year),
        *_funding_and_honours(year),
    )
    station_ids = Station.objects.values_list("pk", flat=True)
    return {pk: metrics.with_rates(counts.get(pk, {})) for pk in station_ids}


def refresh(year: int | None = None, *, now: datetime | None = None) -> int:
    """Recompute and store the figures of `year` (this year by default); returns the rows written."""
    now = now or timezone.now()
    year = year or timezone.localdate(now).year
    by_station = compute(year, now=now)
    platform = metrics.summed([_counts_only(values) for values in by_station.values()])
    rows = [
        Figure(station_id=station_id, year=year, key=key, value=_stored(value), computed_at=now)
        for station_id, values in by_station.items()
        for key, value in values.items()
    ]
    rows += [
        Figure(station_id=None, year=year, key=key, value=_stored(value), computed_at=now)
        for key, value in platform.items()
    ]
    with transaction.atomic():
        Figure.objects.filter(year=year).delete()
        Figure.objects.bulk_create(rows, batch_size=2000)
        live.publish("platform", CHANGED_EVENT, {"year": year})  # public: the open screens fetch again
    _analyze()
    return len(rows)


def _analyze() -> None:
    """Fresh planner statistics for the rows just replaced: with the old ones PostgreSQL sorts the stations
    by a figure through the ranking index (30 times slower at 1,000 stations than the station index)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Figure._meta.db_table}")


def _stored(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(STORED_PLACES, ROUND_HALF_UP)


def _counts_only(values: StationValues) -> dict[str, Decimal]:
    return {key: value for key, value in values.items() if value is not None and key in metrics.COUNT_KEYS}


def request_refresh() -> None:
    """After a commit that changes what the figures count: with a Celery worker, refresh a minute later
    (many commits, one refresh); where tasks run inline (the embedded default), mark the figures stale
    and let the next cockpit page recompute them (`fresh_platform_values`), not the committing request."""
    from dangjian.dashboards.tasks import refresh_figures

    def enqueue() -> None:
        cache.set(STALE_KEY, True, None)
        if not settings.CELERY_TASK_ALWAYS_EAGER and cache.add(
            REFRESH_QUEUED_KEY, True, REFRESH_DELAY_SECONDS
        ):
            refresh_figures.apply_async(countdown=REFRESH_DELAY_SECONDS)

    transaction.on_commit(enqueue)


def fresh_platform_values(year: int) -> tuple[StationValues, datetime | None]:
    """The platform's stored values, computed first if the year has none yet, or if they are stale where
    no worker refreshes them (the embedded default)."""
    values, computed_at = platform_values(year)
    stale = settings.CELERY_TASK_ALWAYS_EAGER and cache.get(STALE_KEY)
    if computed_at is None or stale:
        cache.delete(STALE_KEY)
        refresh(year)
        values, computed_at = platform_values(year)
    return values, computed_at


# ---------------------------------------------------------------- reading what was stored


def _values(rows: Iterable[Figure]) -> StationValues:
    return {row.key: row.value for row in rows}


def station_values(year: int, station_ids: Iterable[int]) -> dict[int, StationValues]:
    """{station id: its stored values} for the stations asked for, one query."""
    found: dict[int, StationValues] = {pk: {} for pk in station_ids}
    for row in Figure.objects.filter(year=year, station_id__in=list(found)).only(
        "station_id", "key", "value"
    ):
        found[row.station_id][row.key] = row.value  # type: ignore[index]
    return found


def platform_values(year: int) -> tuple[StationValues, datetime | None]:
    """The platform's stored values and when they were computed (None: never), one query."""
    rows = list(Figure.objects.filter(year=year, station__isnull=True).only("key", "value", "computed_at"))
    return _values(rows), max((row.computed_at for row in rows), default=None)


def ranking(
    year: int, key: str, *, limit: int = 10, station_ids: Iterable[int] | None = None
) -> list[tuple[int, Decimal]]:
    """The stations with the highest value of `key` (those with a value), best first, one query."""
    rows = Figure.objects.filter(year=year, key=key, station__isnull=False, value__isnull=False)
    if station_ids is not None:
        rows = rows.filter(station_id__in=list(station_ids))
    metric = metrics.BY_KEY[key]
    order = "value" if metric.lower_is_better else "-value"
    found = rows.order_by(order, "station_id").values_list("station_id", "value")[:limit]
    return [(pk, value) for pk, value in found if value is not None]
