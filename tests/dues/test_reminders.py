"""Reminders of overdue dues and the alert after 6 consecutive unpaid months (2008 rule; 党章: a member
who pays no dues for six consecutive months without proper reason is regarded as having left)."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from dangjian.core.models import Notification
from dangjian.dues.models import DuesNotice
from dangjian.dues.reminders import send_reminders, unpaid_streaks
from dangjian.dues.tasks import send_reminders_task
from tests.dues.builders import count, generate, make_member, months_ago, pay_cash

pytestmark = pytest.mark.django_db


def test_streaks_end_at_the_last_due_month_and_break_at_a_paid_one() -> None:
    m = [date(2026, n, 1) for n in range(1, 9)]
    rows = [(1, p, True) for p in m[:7]] + [(2, p, p != m[3]) for p in m[:7]] + [(3, m[5], True)]
    streaks = unpaid_streaks(rows, last_due=m[6])
    assert (streaks[1].months, streaks[1].start) == (7, m[0])
    assert (streaks[2].months, streaks[2].start) == (3, m[4])
    assert 3 not in streaks  # its run does not reach the last due month


def _inbox(user) -> list[str]:
    with scopes_disabled():
        return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_reminders_and_six_month_alert_are_sent_once(dues, django_capture_on_commit_callbacks) -> None:
    dues.org_a.secretary = dues.secretary_a
    dues.org_a.save()
    punctual = make_member(dues.org_a)
    for n in range(1, 7):
        generate(dues.org_a, months_ago(n))
    pay_cash(punctual, [months_ago(n) for n in range(1, 7)])
    with django_capture_on_commit_callbacks(execute=True):
        first = send_reminders()
    assert first == {"reminders": 1, "alerts": 1}
    [reminder] = _inbox(dues.payer.user)
    assert "6 个月的党费未缴纳" in reminder
    assert _inbox(punctual.user) == []
    [alert] = _inbox(dues.secretary_a)
    assert "连续 6 个月未交纳党费" in alert and dues.payer.user.display_name in alert
    with django_capture_on_commit_callbacks(execute=True):
        again = send_reminders_task()
    assert again == {"reminders": 0, "alerts": 0}
    assert count(DuesNotice) == 2


def test_five_unpaid_months_remind_but_do_not_alert(dues, django_capture_on_commit_callbacks) -> None:
    for n in range(1, 6):
        generate(dues.org_a, months_ago(n))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == {"reminders": 1, "alerts": 0}
    assert _inbox(dues.secretary_a) == []
