"""Organisation-life compliance (DB3212/T 1124 §7.3; 中国共产党支部工作条例（试行）): per month, quarter and
year what is met and what is missing, with the reason; periods in Asia/Shanghai (an activity at 23:30 on
31 March local time counts for Q1); frequencies read from the rule set in force (data, not code)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from dangjian.activities import life_rules
from dangjian.activities.defaults import NATIONAL_BRANCH_REQUIREMENTS
from dangjian.activities.life_rules import ActivityFact, Period, Status, evaluate
from dangjian.activities.models import Activity, LifeRequirement, LifeRuleSet
from dangjian.activities.selectors import compliance_for, compliance_for_organizations
from dangjian.activities.services import (
    PlannedItem,
    activity_cancel,
    plan_submit,
    record_file,
    theme_set,
)
from tests.activities.builders import local, new_activity

pytestmark = pytest.mark.django_db
YEAR = 2027
AFTER_YEAR = date(2028, 1, 15)


def held(life, activity_type: str, starts_at, *, record: bool = True, **fields) -> Activity:
    activity = new_activity(
        life.secretary_a, [life.world.org_a], activity_type=activity_type, starts_at=starts_at, **fields
    )
    if record:
        record_file(actor=life.secretary_a, activity=activity, summary="会议纪要", now=activity.ends_at)
    return activity


def reasons_of(result) -> list[str]:
    return [c.reason for c in result.missing]


# ---------------------------------------------------------------- the rules as seeded data


def test_the_migration_seeds_the_national_branch_rules() -> None:
    rule_set = LifeRuleSet.objects.get()
    rows = {(r.activity_type, r.period, r.minimum, r.needs_record) for r in rule_set.requirements.all()}
    assert rows == {
        ("general_meeting", "quarter", 1, False),  # 支部党员大会 每季度
        ("committee_meeting", "month", 1, False),  # 支委会 每月
        ("group_meeting", "month", 1, False),  # 党小组会 每月
        ("party_lecture", "quarter", 1, False),  # 党课 每季度
        ("theme_day", "month", 1, False),  # 主题党日 每月
        ("life_meeting", "year", 1, False),  # 组织生活会 每年
        ("member_review", "year", 1, False),  # 民主评议党员 每年
        ("", "quarter", 3, True),  # DB3212/T 1124 §7.3: ≥3 activities a quarter, each with a record
    }
    assert len(NATIONAL_BRANCH_REQUIREMENTS) == len(rows)
    rules = rule_set.rules()
    assert rules.theme_every_month and rules.plan_deadline(YEAR) == date(YEAR, 1, 31)


# ---------------------------------------------------------------- period boundaries in Asia/Shanghai


def test_an_activity_at_2330_on_31_march_counts_for_march_and_q1(life) -> None:
    held(life, "general_meeting", local(YEAR, 3, 31, 23, 30), hours=0.5)
    just_after = local(YEAR, 4, 1, 0, 10)  # still 31 March in UTC
    assert just_after.astimezone(life_rules.ZoneInfo("UTC")).day == 31
    held(life, "party_lecture", just_after)
    result = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR)
    q1, q2 = result.quarter(1), result.quarter(2)
    assert "2027年第1季度支部党员大会 0 次，至少 1 次" not in reasons_of(q1)
    assert "2027年第1季度党课 0 次，至少 1 次" in reasons_of(q1)
    assert "2027年第2季度党课 0 次，至少 1 次" not in reasons_of(q2)
    assert "2027年第2季度支部党员大会 0 次，至少 1 次" in reasons_of(q2)


def test_month_boundary_in_shanghai_time(life) -> None:
    held(life, "committee_meeting", local(YEAR, 4, 30, 23, 30), hours=0.5)  # 15:30 UTC on 30 April
    held(life, "committee_meeting", local(YEAR, 6, 1, 0, 30))  # 16:30 UTC on 31 May
    result = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR)
    committee = {m.index: _check(m, "type:committee_meeting").actual for m in result.months}
    assert (committee[4], committee[5], committee[6]) == (1, 0, 1)
    assert "2027年5月支委会 0 次，至少 1 次" in reasons_of(result.month(5))


def test_year_boundary_in_shanghai_time(life) -> None:
    held(life, "life_meeting", local(YEAR, 1, 1, 0, 30))  # 16:30 UTC on 31 December of the year before
    held(life, "member_review", local(YEAR, 12, 31, 23, 30), hours=0.4)  # 15:30 UTC, 31 December
    held(life, "member_review", local(YEAR + 1, 1, 1, 0, 5), record=False)  # the next year
    whole = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR).whole_year
    assert _check(whole, "type:life_meeting").status is Status.MET
    assert _check(whole, "type:member_review").actual == 1
    before = compliance_for(organization=life.world.org_a, year=YEAR - 1, today=AFTER_YEAR).whole_year
    assert _check(before, "type:life_meeting").actual == 0


def _check(period, key: str):
    return next(c for c in period.checks if c.key == key)


# ---------------------------------------------------------------- what counts, and the §7.3 rules


def test_three_activities_a_quarter_each_with_a_record(life) -> None:
    for day in (10, 11):
        held(life, "theme_day", local(YEAR, 1, day))
    unrecorded = held(life, "lecture", local(YEAR, 2, 3), record=False)
    q1 = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR).quarter(1)
    check = _check(q1, "any-recorded")
    assert (check.actual, check.status) == (2, Status.MISSING)
    assert check.reason == "2027年第1季度组织生活活动（有台账） 2 次，至少 3 次（另有 1 次活动尚未提交台账）"
    record_file(actor=life.secretary_a, activity=unrecorded, summary="讲座纪要", now=unrecorded.ends_at)
    q1 = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR).quarter(1)
    assert _check(q1, "any-recorded").status is Status.MET


def test_drafts_cancelled_and_non_counting_activities_do_not_count(life) -> None:
    new_activity(life.secretary_a, [life.world.org_a], activity_type="general_meeting",
                 starts_at=local(YEAR, 2, 1), publish=False)  # fmt: skip
    new_activity(life.secretary_a, [life.world.org_a], activity_type="general_meeting",
                 starts_at=local(YEAR, 2, 2), counts_for_life=False)  # fmt: skip
    cancelled = new_activity(
        life.secretary_a, [life.world.org_a], activity_type="general_meeting",
        starts_at=local(YEAR, 2, 3),
    )  # fmt: skip
    Activity.objects.filter(pk=cancelled.pk).update(status="cancelled")
    q1 = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR).quarter(1)
    assert _check(q1, "type:general_meeting").actual == 0


def test_a_joint_activity_counts_for_every_organiser(life) -> None:
    activity = new_activity(
        life.secretary_a, [life.world.org_a, life.world.org_b], activity_type="general_meeting",
        starts_at=local(YEAR, 5, 6),
    )  # fmt: skip
    assert activity.organizer_ids == {life.world.org_a.pk, life.world.org_b.pk}
    a, b = compliance_for_organizations(
        organizations=[life.world.org_a, life.world.org_b], year=YEAR, today=AFTER_YEAR
    )
    assert _check(a.quarter(2), "type:general_meeting").actual == 1
    assert _check(b.quarter(2), "type:general_meeting").actual == 1


def test_a_month_without_a_theme_and_a_green_month(life) -> None:
    org = life.world.org_a
    for activity_type in ("committee_meeting", "group_meeting", "theme_day"):
        held(life, activity_type, local(YEAR, 3, 12))
    result = compliance_for(organization=org, year=YEAR, today=AFTER_YEAR)
    assert reasons_of(result.month(3)) == ["2027年3月未确定组织生活主题"]
    theme_set(actor=life.secretary_a, organization=org, month=date(YEAR, 3, 20), theme="学习党章党规")
    march = compliance_for(organization=org, year=YEAR, today=AFTER_YEAR).month(3)
    assert march.status is Status.MET and march.met


def test_the_annual_plan_deadline(life) -> None:
    org = life.world.org_a
    result = compliance_for(organization=org, year=YEAR, today=date(YEAR, 1, 20))
    assert _check(result.whole_year, "plan").status is Status.OPEN
    result = compliance_for(organization=org, year=YEAR, today=date(YEAR, 2, 1))
    assert _check(result.whole_year, "plan").reason == "2027年度工作计划未在1月31日前报送"
    plan = plan_submit(actor=life.secretary_a, organization=org, year=YEAR,
                       planned=[PlannedItem(3, "party_lecture", "书记讲党课")])  # fmt: skip
    plan.submitted_at = local(YEAR, 1, 31, 23, 50)  # still 31 January in Shanghai (15:50 UTC)
    plan.save()
    assert _check(compliance_for(organization=org, year=YEAR).whole_year, "plan").status is Status.MET
    plan.submitted_at = local(YEAR, 2, 1, 0, 20)  # 16:20 UTC on 31 January: late in Shanghai
    plan.save()
    check = _check(compliance_for(organization=org, year=YEAR).whole_year, "plan")
    assert check.status is Status.MISSING
    assert check.reason == "2027年度工作计划逾期报送（应于1月31日前报送，实际2月1日报送）"


def test_a_running_period_is_open_and_an_ended_one_missing(life) -> None:
    result = compliance_for(organization=life.world.org_a, year=YEAR, today=date(YEAR, 5, 15))
    assert result.month(4).status is Status.MISSING
    assert result.month(5).status is Status.OPEN and result.month(5).open
    assert result.quarter(2).status is Status.OPEN
    assert result.month(6).status is Status.OPEN


# ---------------------------------------------------------------- frequencies are data


def test_a_newer_rule_set_changes_the_result(life) -> None:
    held(life, "general_meeting", local(YEAR, 2, 10))
    before = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR)
    assert _check(before.quarter(1), "type:general_meeting").status is Status.MET

    newer = LifeRuleSet.objects.create(name="示例：每季度两次党员大会", effective_from=date(YEAR, 1, 1))
    for row in LifeRuleSet.objects.get(effective_from=date(2018, 10, 28)).requirements.all():
        row.pk, row.rule_set = None, newer
        row.save()
    LifeRequirement.objects.filter(rule_set=newer, activity_type="general_meeting").update(minimum=2)

    after = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR)
    check = _check(after.quarter(1), "type:general_meeting")
    assert (check.required, check.status) == (2, Status.MISSING)
    assert check.reason == "2027年第1季度支部党员大会 1 次，至少 2 次"
    # the year before is still judged by the version then in force
    earlier = compliance_for(organization=life.world.org_a, year=YEAR - 1, today=AFTER_YEAR)
    assert _check(earlier.quarter(1), "type:general_meeting").required == 1

    LifeRequirement.objects.filter(rule_set=newer, activity_type="committee_meeting").update(period="quarter")
    changed = compliance_for(organization=life.world.org_a, year=YEAR, today=AFTER_YEAR)
    assert not any(c.key == "type:committee_meeting" for c in changed.month(1).checks)
    assert any(c.key == "type:committee_meeting" for c in changed.quarter(1).checks)


def test_no_rule_in_force_is_a_clear_error(life) -> None:
    LifeRuleSet.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        compliance_for(organization=life.world.org_a, year=YEAR)
    assert error.value.code == "no_rule"


def test_compliance_costs_the_same_queries_for_one_or_many(life, django_assert_max_num_queries) -> None:
    held(life, "general_meeting", local(YEAR, 2, 10))
    organizations = [life.world.org_a, life.world.org_b]
    with django_assert_max_num_queries(6):
        compliance_for_organizations(organizations=organizations[:1], year=YEAR)
    with django_assert_max_num_queries(6):
        compliance_for_organizations(organizations=organizations, year=YEAR)


# ---------------------------------------------------------------- the pure engine


def test_the_engine_judges_each_period_by_its_own_version() -> None:
    old = life_rules.LifeRules(
        effective_from=date(2018, 1, 1),
        requirements=(life_rules.Requirement("theme_day", "主题党日", Period.MONTH, 1),),
        plan_deadline_month=None,
        plan_deadline_day=None,
    )
    new = life_rules.LifeRules(
        effective_from=date(YEAR, 7, 1),
        requirements=(life_rules.Requirement("theme_day", "主题党日", Period.MONTH, 2),),
        theme_every_month=False,
        plan_deadline_month=None,
        plan_deadline_day=None,
    )
    facts = [ActivityFact("theme_day", local(YEAR, m, 5)) for m in range(1, 13)]
    result = evaluate(
        year=YEAR, versions=[new, old], activities=facts, theme_months=range(1, 13), today=AFTER_YEAR
    )
    assert [m.met for m in result.months] == [True] * 6 + [False] * 6
    assert result.month(7).missing[0].reason == "2027年7月主题党日 1 次，至少 2 次"
    assert result.whole_year.checks == ()  # the year is judged by the version in force on 1 January
    assert result.status is Status.MISSING and len(result.reasons) == 6


def test_cancelling_removes_an_activity_from_the_count(life) -> None:
    from django.utils import timezone

    soon = timezone.now() + timedelta(days=2)
    activity = new_activity(
        life.secretary_a, [life.world.org_a], activity_type="general_meeting", starts_at=soon
    )
    year = timezone.localdate(soon).year
    quarter = (timezone.localtime(soon).month - 1) // 3 + 1

    def count() -> int:
        result = compliance_for(organization=life.world.org_a, year=year)
        return _check(result.quarter(quarter), "type:general_meeting").actual

    assert count() == 1
    activity_cancel(actor=life.secretary_a, activity=activity, reason="改期")
    assert count() == 0
