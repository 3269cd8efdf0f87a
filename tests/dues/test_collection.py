"""Collection (DB3212/T 1124 §6.3 党费收缴; 2008 rule): income declarations from their month, idempotent
monthly sheets, hardship relief, the farmers' amount, cash payments, back payment ≤ 6 months, paying ahead."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from dangjian.dues import services
from dangjian.dues.models import DuesLine, DuesPayment, DuesSheet
from tests.dues.builders import (
    MONTHLY,
    count,
    declare,
    generate,
    lines_of,
    make_member,
    months_ago,
    now,
    pay_cash,
    treasurer,
)
from tests.dues.conftest import audit_actions

pytestmark = pytest.mark.django_db
D = Decimal


def snapshot(organization) -> list[tuple]:
    with scopes_disabled():
        return list(
            DuesLine.objects.filter(organization=organization)
            .order_by("pk")
            .values_list("pk", "member_id", "period", "amount_due", "extra_amount", "rule_id")
        )


def test_generating_twice_changes_nothing(dues) -> None:
    for i in range(3):
        make_member(dues.org_a, base=D(f"{3000 + i * 1000}.00"))
    first = generate(dues.org_a, now())
    rows = snapshot(dues.org_a)
    second = generate(dues.org_a, now())
    assert first.created == 4 and second.created == 0
    assert snapshot(dues.org_a) == rows
    assert count(DuesSheet, organization=dues.org_a) == 1
    assert audit_actions("dues.sheet.") == ["dues.sheet.generate"]  # nothing happened the second time


def test_generation_adds_late_joiners_and_declarers_only(dues) -> None:
    undeclared = make_member(dues.org_a, base=None)
    first = generate(dues.org_a, now())
    assert [m.pk for m in first.undeclared] == [undeclared.pk]
    before = snapshot(dues.org_a)
    declare(undeclared, D("2000.00"))  # 0.5%
    second = generate(dues.org_a, now())
    assert second.created == 1 and not second.undeclared
    assert snapshot(dues.org_a)[: len(before)] == before
    assert lines_of(undeclared)[0].amount_due == D("10.00")


def test_students_and_farmers_need_no_declaration(dues) -> None:
    student = make_member(dues.org_a, base=None, dues_category="student")
    farmer = make_member(dues.org_a, base=None, dues_category="farmer")
    generate(dues.org_a, now())
    assert lines_of(student)[0].amount_due == D("0.20")
    assert lines_of(farmer)[0].amount_due == D("0.20")  # the branch set nothing: the rule's minimum
    services.setting_save(organization=dues.org_a, farmer_amount=D("0.80"), actor=treasurer(dues.org_a))
    assert lines_of(farmer)[0].amount_due == D("0.80")  # unpaid lines follow the branch's setting
    with pytest.raises(ValidationError, match=r"1\.00"):
        services.setting_save(organization=dues.org_a, farmer_amount=D("1.50"), actor=treasurer(dues.org_a))


def test_a_pay_change_applies_from_its_month_only(dues) -> None:
    """2008 rule: the base changes with the pay; months before the change keep the old base."""
    start, change = months_ago(3), months_ago(1)
    for period in (start, months_ago(2), change, now()):
        generate(dues.org_a, period)
    pay_cash(dues.payer, [start])
    declare(dues.payer, D("12000.00"), year=change.year, month=change.month)  # 2%: 240.00
    amounts = {line.period: line.amount_due for line in lines_of(dues.payer)}
    assert amounts == {start: MONTHLY, months_ago(2): MONTHLY, change: D("240.00"), now(): D("240.00")}


def test_paid_lines_never_change(dues) -> None:
    generate(dues.org_a, now())
    pay_cash(dues.payer, [now()])
    declare(dues.payer, D("12000.00"), year=now().year, month=now().month)
    assert lines_of(dues.payer)[0].amount_due == MONTHLY


@pytest.mark.parametrize(
    ("kind", "amount", "expected"), [("waiver", None, D("0.00")), ("reduction", D("5.00"), D("5.00"))]
)
def test_hardship_relief_is_recorded_with_approver_and_reason(dues, kind, amount, expected) -> None:
    generate(dues.org_a, now())
    relief = services.relief_approve(
        member=dues.payer,
        kind=kind,
        reduced_amount=amount,
        start=now(),
        end=None,
        reason="家庭遭遇重大变故，经支委会研究同意",
        actor=dues.treasurer_a,
    )
    assert relief.approved_by == dues.treasurer_a and "支委会" in relief.reason
    line = lines_of(dues.payer)[0]
    assert (line.standard_amount, line.amount_due, line.relief_id) == (MONTHLY, expected, relief.pk)
    assert "dues.relief.approve" in audit_actions()


def test_relief_needs_a_reason(dues) -> None:
    with pytest.raises(ValidationError, match="理由"):
        services.relief_approve(
            member=dues.payer, kind="waiver", start=now(), end=None, reason="  ", actor=dues.treasurer_a
        )


def test_cash_payment_settles_the_months_and_counts_voluntary_extra(dues) -> None:
    generate(dues.org_a, now())
    payment = pay_cash(dues.payer, [now()], extra=D("100.00"))
    assert (payment.amount, payment.extra_amount, payment.method) == (D("145.68"), D("100.00"), "cash")
    assert lines_of(dues.payer)[0].payment_id == payment.pk
    with pytest.raises(ValidationError, match="已缴纳"):
        pay_cash(dues.payer, [now()])
    assert count(DuesPayment) == 1
    assert "dues.payment.record" in audit_actions()


def test_declared_monthly_voluntary_extra_is_billed_on_top(dues) -> None:
    declare(dues.payer, D("4567.89"), year=now().year, month=now().month, voluntary_extra=D("10.00"))
    generate(dues.org_a, now())
    line = lines_of(dues.payer)[0]
    assert (line.amount_due, line.extra_amount, line.payable) == (MONTHLY, D("10.00"), D("55.68"))


def test_back_payment_older_than_six_months_is_refused(dues) -> None:
    with pytest.raises(ValidationError) as refused:
        pay_cash(dues.payer, [months_ago(7), months_ago(6)])
    assert "补交党费一般不超过 6 个月" in refused.value.messages[0]
    assert refused.value.code == "back_payment_too_old"
    assert count(DuesPayment) == 0 and not lines_of(dues.payer)  # refused before anything was written


def test_back_payment_of_six_months_and_paying_ahead(dues) -> None:
    months = [months_ago(6), months_ago(1), now(), services.add_months(now(), 3)]
    payment = pay_cash(dues.payer, months)  # lines not generated yet are made on the way
    assert payment.amount == MONTHLY * 4
    assert [line.period for line in lines_of(dues.payer)] == sorted(months)
    with pytest.raises(ValidationError, match="12 个月"):
        pay_cash(dues.payer, [services.add_months(now(), 13)])


def test_only_the_organisations_treasurer_records(dues) -> None:
    for outsider in (dues.treasurer_b, dues.treasurer_c, dues.own_admin, dues.payer.user):
        with pytest.raises(PermissionDenied):
            services.payment_record(
                organization=dues.org_a, member=dues.payer, periods=[now()], method="cash", actor=outsider
            )
    with pytest.raises(PermissionDenied):
        services.sheet_generate(organization=dues.org_a, period=now(), actor=dues.treasurer_b)


def test_the_secretary_is_a_treasurer_too(dues) -> None:
    assert (
        services.payment_record(
            organization=dues.org_a,
            member=dues.payer,
            periods=[now()],
            method="transfer",
            actor=dues.secretary_a,
        ).method
        == "transfer"
    )


def test_closing_a_month_sends_the_summary_signal_once(dues, django_capture_on_commit_callbacks) -> None:
    from dangjian.dues.signals import dues_period_closed

    received = []

    def listener(sender, summary, actor, **kwargs):
        received.append((summary, actor))

    dues_period_closed.connect(listener)
    try:
        sheet = generate(dues.org_a, now()).sheet
        pay_cash(dues.payer, [now()], extra=D("10.00"))
        with django_capture_on_commit_callbacks(execute=True):
            services.sheet_close(sheet=sheet, actor=dues.treasurer_a)
        with pytest.raises(ValidationError, match="已结账"):
            services.sheet_close(sheet=sheet, actor=dues.treasurer_a)
        with pytest.raises(ValidationError, match="已结账"):
            generate(dues.org_a, now())
    finally:
        dues_period_closed.disconnect(listener)
    [(summary, actor)] = received
    assert actor == dues.treasurer_a
    assert (summary.due, summary.paid, summary.extra, summary.rate_percent) == (
        MONTHLY,
        MONTHLY,
        D("10.00"),
        D("100.0"),
    )
    assert summary.period_start == now() and summary.period_end.month == now().month
    assert "党费收缴情况公示" in summary.title and "收缴率 100.0%" in summary.body_html


def test_closed_month_becomes_a_disclosure_draft(dues, django_capture_on_commit_callbacks) -> None:
    from dangjian.disclosures.models import Disclosure

    sheet = generate(dues.org_a, now()).sheet
    pay_cash(dues.payer, [now()])
    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_close(sheet=sheet, actor=dues.treasurer_a)
    draft = Disclosure.objects.get(organization=dues.org_a, category="dues")
    assert draft.status == "draft" and draft.author == dues.treasurer_a and "党费" in draft.title
