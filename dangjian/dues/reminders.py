"""Reminders of unpaid dues and the 6-month arrears alert (DB3212/T 1124 §6.3 党费收缴, §7.1 timely
notice). 党章第三十八条 and the 2008 rule: a member who, without proper reason, pays no dues for six
consecutive months is regarded as having given up membership — so the organisation's secretary is
alerted once a member's unpaid streak reaches six months, early enough to talk to them.

Run by the Celery task `dues.send_reminders` (daily); each reminder (one per member a month) and each
alert (one per unpaid streak) is recorded as a `DuesNotice`, so running again sends nothing twice.
Runs unscoped: it is the platform's own scheduled job over every station.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import role_holders
from dangjian.core.notifications import notify
from dangjian.dues.models import DuesLine, DuesNotice, NoticeKind
from dangjian.dues.periods import add_months, month_start, period_label
from dangjian.members.models import ACTIVE_STATUSES, MemberProfile

ALERT_MONTHS = 6
LOOKBACK_MONTHS = 36


@dataclass(frozen=True)
class Streak:
    """A member's unbroken run of unpaid months ending with the latest month that is due."""

    member_id: int
    start: date
    end: date
    months: int


def unpaid_streaks(month_lines: list[tuple[int, date, bool]], *, last_due: date) -> dict[int, Streak]:
    """From (member, month, unpaid) rows, each member's run of unpaid months ending at `last_due`.
    A paid or waived month, or a month without a line, ends the run."""
    unpaid_by_member: defaultdict[int, set[date]] = defaultdict(set)
    for member_id, period, unpaid in month_lines:
        if unpaid:
            unpaid_by_member[member_id].add(period)
    streaks = {}
    for member_id, months in unpaid_by_member.items():
        start, count = last_due, 0
        while add_months(last_due, -count) in months:
            start, count = add_months(last_due, -count), count + 1
        if count:
            streaks[member_id] = Streak(member_id, start, last_due, count)
    return streaks


def overdue_lines(today: date) -> list[tuple[int, date, bool]]:
    """(member, month, unpaid) of the past months (the current month is not overdue yet)."""
    current = month_start(today)
    rows = DuesLine.objects.filter(
        period__lt=current,
        period__gte=add_months(current, -LOOKBACK_MONTHS),
        member__status__in=ACTIVE_STATUSES,
    ).values_list("member_id", "period", "payment_id", "amount_due")
    return [
        (member_id, period, payment_id is None and amount > 0)
        for member_id, period, payment_id, amount in rows
    ]


def send_reminders(today: date | None = None) -> dict[str, int]:
    """Remind every member with overdue months (once a month) and alert secretaries of 6-month streaks
    (once per streak). Returns how many reminders and alerts were sent."""
    today = today or timezone.localdate()
    with scopes_disabled():
        rows = overdue_lines(today)
        owed = _owed_by_member(rows)
        members = MemberProfile.objects.filter(pk__in=list(owed)).select_related(
            "user", "organization__secretary"
        )
        by_pk = {member.pk: member for member in members}
        reminded = sum(_remind(by_pk[pk], months, today) for pk, months in owed.items() if pk in by_pk)
        streaks = unpaid_streaks(rows, last_due=add_months(month_start(today), -1))
        alerted = sum(
            _alert(by_pk[s.member_id], s)
            for s in streaks.values()
            if s.months >= ALERT_MONTHS and s.member_id in by_pk
        )
    return {"reminders": reminded, "alerts": alerted}


def _owed_by_member(rows: list[tuple[int, date, bool]]) -> dict[int, list[date]]:
    owed: defaultdict[int, list[date]] = defaultdict(list)
    for member_id, period, unpaid in rows:
        if unpaid:
            owed[member_id].append(period)
    return {member_id: sorted(periods) for member_id, periods in owed.items()}


def _once(member: MemberProfile, kind: str, period: date) -> bool:
    """Record that this notice is sent; False if it was sent before."""
    try:
        with transaction.atomic():
            DuesNotice.objects.create(member=member, station_id=member.station_id, kind=kind, period=period)
    except IntegrityError:
        return False
    return True


def _remind(member: MemberProfile, months: list[date], today: date) -> bool:
    with transaction.atomic():
        if not _once(member, NoticeKind.REMINDER, month_start(today)):
            return False
        labels = "、".join(period_label(p) for p in months)
        notify(
            recipients=[member.user],
            title=f"党费缴纳提醒：您有 {len(months)} 个月的党费未缴纳",
            body=f"未缴月份：{labels}。请及时缴纳；补交一般不超过 6 个月。",
            url=reverse("dues:my_dues"),
            station=member.station,
        )
    return True


def secretaries_of(member: MemberProfile) -> list[Any]:
    """The organisation's secretary (the recorded one and whoever holds the secretary role)."""
    people = list(role_holders(Role.ORG_SECRETARY, organization_id=member.organization_id))
    if member.organization.secretary is not None:
        people.append(member.organization.secretary)
    return people


def _alert(member: MemberProfile, streak: Streak) -> bool:
    with transaction.atomic():
        if not _once(member, NoticeKind.ALERT, streak.start):
            return False
        notify(
            recipients=secretaries_of(member),
            title=f"党费预警：{member.user.display_name}已连续 {streak.months} 个月未交纳党费",
            body=(
                f"{member.user.display_name}自{period_label(streak.start)}至{period_label(streak.end)}连续 "
                f"{streak.months} 个月未交纳党费。按照党章规定，党员无正当理由连续6个月不交纳党费的，"
                "视为自行脱党，请及时谈心谈话、了解情况。"
            ),
            url=reverse("dues:arrears", kwargs={"organization": member.organization_id}),
            station=member.station,
        )
    return True
