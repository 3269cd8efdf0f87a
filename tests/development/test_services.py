"""The services of the pipeline: the application, premature steps refused with the rule and the earliest
day (and the refusal audited), the stage moves, contact persons and introducers, the vote from the
roster, the probationary and full member's record written by the service, closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from dangjian.core.crypto import decrypt
from dangjian.core.models import AuditEvent
from dangjian.development import services
from dangjian.development.models import Candidate, CandidateStatus, PersonRole, StepRecord
from dangjian.development.rules import add_months, chinese_date
from dangjian.development.selectors import entitled_voters
from dangjian.members.models import Category, MemberProfile
from tests.development.builders import (
    figures,
    make_candidate,
    old_candidate,
    plan_day,
    today,
    walk,
)

pytestmark = pytest.mark.django_db


def events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def complete(branch, candidate, step, day, **data):
    return services.step_complete(
        actor=branch.secretary, candidate=candidate, step=step, data=services.StepInput(done_on=day, **data)
    )


def test_an_application_stores_the_id_number_encrypted_and_masked(dev) -> None:
    candidate = make_candidate(dev.a)
    with scopes_disabled():
        stored = Candidate.objects.get(pk=candidate.pk)
    assert len(stored.id_number_masked) == 18 and "*" in stored.id_number_masked
    assert stored.id_number_masked[:3] == decrypt(stored.id_number_encrypted)[:3]
    assert decrypt(stored.id_number_encrypted) not in stored.id_number_encrypted
    assert StepRecord.all_objects.get(candidate=candidate).step == "apply"
    assert events("development.candidate.create")


def test_a_second_active_application_of_the_same_person_is_refused(dev) -> None:
    from tests.development.builders import applicant

    first = applicant(today() - timedelta(days=3))
    services.candidate_create(actor=dev.a.secretary, organization=dev.a.organization, applicant=first)
    with pytest.raises(ValidationError) as caught:
        services.candidate_create(actor=dev.a.secretary, organization=dev.a.organization, applicant=first)
    assert "duplicate" in codes(caught.value)


def test_bad_applications_are_refused_in_chinese(dev) -> None:
    from tests.development.builders import applicant

    for bad, code in (
        ({"id_number": "32120219960818123"}, "id_format"),
        ({"phone": "12345"}, "mobile"),
        ({"applied_on": today() + timedelta(days=1)}, "future_date"),
        ({"birth_date": add_months(today(), -12 * 17)}, "under_age"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.candidate_create(
                actor=dev.a.secretary,
                organization=dev.a.organization,
                applicant=applicant(
                    bad.get("applied_on", today()), **{k: v for k, v in bad.items() if k != "applied_on"}
                ),
            )
        assert code in codes(caught.value), bad
    assert not Candidate.all_objects.exists()


def test_another_organisations_officer_cannot_register_into_a(dev) -> None:
    from tests.development.builders import applicant

    with pytest.raises(PermissionDenied):
        services.candidate_create(
            actor=dev.other_officer, organization=dev.a.organization, applicant=applicant(today())
        )


def test_the_development_target_too_early_is_refused_with_the_rule_and_earliest_day(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a, months_ago=13), "contacts")
    earliest = add_months(plan_day(candidate, "activist"), 12)  # about a month from now
    assert earliest > today()
    for step in ("target", "cultivation"):
        with pytest.raises(ValidationError) as caught:
            complete(dev.a, candidate, step, today())
        assert "too_early" in codes(caught.value)
        assert f"（最早 {chinese_date(earliest)}）" in caught.value.messages[0]
    assert caught.value.messages[0].startswith("入党积极分子须经过一年以上培养教育和考察")
    with pytest.raises(ValidationError) as caught:
        complete(dev.a, candidate, "target", today())
    assert (
        caught.value.messages[0]
        == f"成为入党积极分子满一年后才能确定为发展对象（最早 {chinese_date(earliest)}）"
    )
    refused = events("development.step.refused")[-1]
    assert refused.data["step"] == "target"
    assert refused.data["reason"] == caught.value.messages[0]
    assert not StepRecord.all_objects.filter(candidate=candidate, step="target").exists()


def test_a_step_of_a_later_stage_waits_for_the_stage_move(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "talk")
    with pytest.raises(ValidationError) as caught:
        complete(dev.a, candidate, "activist", today())
    assert "wrong_stage" in codes(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.stage_advance(actor=dev.a.secretary, candidate=make_candidate(dev.a))
    assert "stage_open" in codes(caught.value)


def test_the_stage_moves_only_when_its_steps_are_done(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "talk")
    moved = services.stage_advance(actor=dev.a.secretary, candidate=candidate)
    assert moved.stage == 2


def test_contact_persons_and_introducers_are_full_members(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "activist")
    with pytest.raises(ValidationError) as caught:
        services.person_assign(
            actor=dev.a.secretary, candidate=candidate, user=dev.a.probationary[0], role=PersonRole.CONTACT
        )
    assert "not_full_member" in codes(caught.value)
    with pytest.raises(ValidationError) as caught:
        complete(dev.a, candidate, "contacts", plan_day(candidate, "contacts"))
    assert "contacts" in codes(caught.value)
    for user in dev.a.members[1:3]:
        services.person_assign(actor=dev.a.secretary, candidate=candidate, user=user, role=PersonRole.CONTACT)
    with pytest.raises(ValidationError) as caught:
        services.person_assign(
            actor=dev.a.secretary, candidate=candidate, user=dev.a.members[3], role=PersonRole.CONTACT
        )
    assert "too_many" in codes(caught.value)


def test_the_cultivation_needs_the_evaluations_due(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "contacts")
    with pytest.raises(ValidationError) as caught:
        complete(dev.a, candidate, "cultivation", plan_day(candidate, "cultivation"))
    assert "reports_missing" in codes(caught.value)


def test_training_and_notice_and_vote_figures_are_checked(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "political_review")
    with pytest.raises(ValidationError) as caught:
        complete(
            dev.a, candidate, "training", plan_day(candidate, "training"), training_days=2, training_hours=16
        )
    assert "training_short" in codes(caught.value)
    complete(dev.a, candidate, "training", plan_day(candidate, "training"), training_hours=24)
    services.stage_advance(actor=dev.a.secretary, candidate=candidate)
    complete(dev.a, candidate, "committee_review", plan_day(candidate, "committee_review"))
    start = plan_day(candidate, "committee_review") + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        complete(
            dev.a,
            candidate,
            "pre_review",
            plan_day(candidate, "pre_review"),
            notice_from=start,
            notice_until=start + timedelta(days=1),
        )
    assert codes(caught.value) & {"notice_short"}


def test_the_branch_meeting_vote_is_judged_against_the_roster(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "application_form")
    entitled = entitled_voters(dev.a.organization.pk)
    assert entitled == len(dev.a.members)  # the probationary members have no vote
    day = plan_day(candidate, "branch_meeting")
    half = entitled // 2
    with pytest.raises(ValidationError) as caught:
        complete(dev.a, candidate, "branch_meeting", day, entitled=entitled, present=half, votes_for=half)
    assert "no_quorum" in codes(caught.value)
    with pytest.raises(ValidationError) as caught:
        complete(dev.a, candidate, "branch_meeting", day, entitled=entitled, present=entitled, votes_for=half)
    assert "not_passed" in codes(caught.value)
    complete(dev.a, candidate, "branch_meeting", day, entitled=entitled, present=half + 1, votes_for=half + 1)


def test_the_approval_writes_the_probationary_members_record_and_full_membership_updates_it(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "approval")
    with scopes_disabled():
        profile = MemberProfile.objects.get(user_id=candidate.user_id)
    assert profile.category == Category.PROBATIONARY
    assert profile.admitted_on == plan_day(candidate, "branch_meeting")
    assert profile.id_number_hash == candidate.id_number_hash
    assert profile.organization_id == dev.a.organization.pk
    candidate = walk(dev.a, candidate, "full_approval")
    with scopes_disabled():
        profile.refresh_from_db()
    assert profile.category == Category.FORMAL
    assert profile.full_member_on == add_months(profile.admitted_on, 12)
    assert candidate.status == CandidateStatus.FULL_MEMBER


def test_a_closed_candidate_takes_no_more_steps(dev) -> None:
    candidate = make_candidate(dev.a)
    with pytest.raises(ValidationError):
        services.candidate_close(actor=dev.a.secretary, candidate=candidate, status="refused", note="")
    services.candidate_close(
        actor=dev.a.secretary, candidate=candidate, status="withdrawn", note="本人申请撤回"
    )
    with pytest.raises(ValidationError) as caught:
        complete(dev.a, candidate, "talk", today())
    assert "not_active" in codes(caught.value)


def test_only_keepers_and_contact_persons_file_reports(dev) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "contacts")
    with pytest.raises(PermissionDenied):
        services.report_file(
            actor=dev.a.members[5],
            candidate=candidate,
            kind="evaluation",
            filed_on=today(),
            content="表现良好",
        )
    report = services.report_file(
        actor=dev.a.members[1], candidate=candidate, kind="evaluation", filed_on=today(), content="表现良好"
    )
    assert report.number == 1


def test_figures_helper_vote_passes(dev) -> None:
    candidate = make_candidate(dev.a)
    data = figures(dev.a, candidate, "branch_meeting")
    assert data["present"] * 2 > data["entitled"]
