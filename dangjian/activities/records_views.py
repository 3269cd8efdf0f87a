"""An organisation's records (台账, DB3212/T 1124 §7.3: 每次活动后建立台账) of a year: a tidy page to print
(every held activity with its date, type, theme, place, attendance, quorum, summary, minutes, resolutions
and photos; the activities still without a record flagged) and the same year as an Excel workbook
(`records.records_workbook`).

Both are for the people who see the organisation's compliance (its officers; the admins, workers and
instructors of its station; HQ) — `selectors.access_life_organization`, the same 404 for missing and
forbidden. The page reads a constant number of queries whatever the number of activities: one
organisation's year is bounded, so it is shown whole (a quarter at a time on request) rather than in pages
that would not print as one ledger.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from dangjian.activities import permissions, records, selectors
from dangjian.activities.life_rules import SHANGHAI
from dangjian.activities.models import Activity, RecordPhoto
from dangjian.activities.views import _today, _year_of
from dangjian.core.page_guards import staff_page_for
from dangjian.organizations.models import PartyOrganization

staff_page = staff_page_for(permissions.ENTER_MANAGEMENT)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_LINES = 400  # more than any organisation holds in a year; beyond it the page asks for a quarter
QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def quarter_of(request: HttpRequest) -> int | None:
    text = request.GET.get("quarter", "")
    return int(text) if text in ("1", "2", "3", "4") else None


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    """The quarter as aware moments in Asia/Shanghai: [its first day 00:00, the next quarter's)."""
    first = datetime(year, 3 * quarter - 2, 1, tzinfo=SHANGHAI)
    following = datetime(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1, tzinfo=SHANGHAI)
    return first, following


def ledger_activities(
    *, organization: PartyOrganization, year: int, quarter: int | None = None
) -> QuerySet[Activity]:
    """The organisation's held activities of the year (or quarter) with their records, resolutions,
    photos, attendance and venue — a constant number of queries."""
    activities = (
        records.year_activities(organization=organization, year=year)
        .select_related("reservation__venue", "station")
        .prefetch_related(
            Prefetch("record__photos", queryset=RecordPhoto.objects.order_by("uploaded_at", "id"))
        )
    )
    if quarter is not None:
        start, end = quarter_bounds(year, quarter)
        activities = activities.filter(starts_at__gte=start, starts_at__lt=end)
    return activities


@staff_page("GET")
def records_print(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.access_life_organization(user=request.user, pk=pk)
    year, quarter = _year_of(request), quarter_of(request)
    activities = list(
        ledger_activities(organization=organization, year=year, quarter=quarter)[: MAX_LINES + 1]
    )
    lines = [
        records.RecordLine(activity=a, record=getattr(a, "record", None)) for a in activities[:MAX_LINES]
    ]
    today, now = _today(), timezone.now()
    filed = sum(1 for line in lines if line.record is not None)
    ahead = sum(1 for line in lines if line.record is None and line.activity.ends_at > now)
    context = {
        "organization": organization,
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "quarter": quarter,
        "quarter_label": QUARTERS.get(quarter or 0, "全年"),
        "quarters": QUARTERS,
        "lines": lines,
        "truncated": len(activities) > MAX_LINES,
        "filed": filed,
        "missing": len(lines) - filed - ahead,
        "ahead": ahead,
        "now": now,
        "printed_on": timezone.localdate(),
        "title": f"{organization.name} {year}年活动台账",
    }
    return render(request, "activities/manage/records_print.html", context)


@staff_page("GET")
def records_export(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.access_life_organization(user=request.user, pk=pk)
    year = _year_of(request)
    content = records.records_workbook(organization=organization, year=year)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = records.records_filename(organization=organization, year=year)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"  # RFC 6266
    add_never_cache_headers(response)
    return response
