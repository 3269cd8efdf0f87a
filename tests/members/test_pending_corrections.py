"""One pending correction request per field of a record (security probe finding 11b: twenty identical
requests made twenty rows). The service refuses another with code `pending_exists`, and a conditional
unique constraint holds when the requests arrive at once (real threads, PostgreSQL and SQLite)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django_scopes import scopes_disabled

from dangjian.members import services
from dangjian.members.models import CorrectionStatus, ProfileCorrection
from tests.concurrency import run_at_once

REQUESTS = 20
FORM = {"field": "job_title", "new_value": "部门经理", "reason": "岗位调整"}


def pending_rows() -> list[ProfileCorrection]:
    with scopes_disabled():
        return list(ProfileCorrection.objects.filter(status=CorrectionStatus.PENDING))


def ask(people: Any, value: str = "部门经理", field: str = "job_title") -> ProfileCorrection:
    return services.correction_request(
        actor=people.member_a, profile=people.profile_a, field=field, new_value=value, reason="岗位调整"
    )


@pytest.mark.django_db
def test_a_second_request_for_a_pending_field_is_refused_until_the_first_is_decided(people) -> None:
    first = ask(people)

    with pytest.raises(ValidationError) as refused:
        ask(people, "办公室主任")

    assert [error.code for error in refused.value.error_dict["field"]] == ["pending_exists"]
    assert "该项目已有一条待确认的更正申请" in refused.value.messages[0]
    assert [row.pk for row in pending_rows()] == [first.pk]
    other_field = ask(people, "研究生", field="education")  # another field may still be asked for
    services.correction_reject(actor=people.secretary_a, correction=first, note="与档案不符")
    again = ask(people, "办公室主任")  # once decided, the field may be asked for again
    assert {row.pk for row in pending_rows()} == {other_field.pk, again.pk}


@pytest.mark.django_db
def test_twenty_identical_requests_in_a_row_make_one_and_a_clear_form_error(people, client) -> None:
    client.force_login(people.member_a)

    answers = [client.post("/me/member/", FORM) for _ in range(REQUESTS)]

    assert [answer.status_code for answer in answers] == [302] + [200] * (REQUESTS - 1)
    assert "该项目已有一条待确认的更正申请" in answers[-1].content.decode()
    assert len(pending_rows()) == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_pending_row(people) -> None:
    ask(people)
    with scopes_disabled():
        row = ProfileCorrection.objects.get()
    row.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        row.save(force_insert=True)


@pytest.mark.django_db
def test_a_request_that_loses_the_race_gets_pending_exists_not_a_500(people, monkeypatch) -> None:
    """The path PostgreSQL takes when two requests pass the check together: the second insert hits the
    constraint, and the service answers `pending_exists` (the check is made to miss the first here)."""
    ask(people)
    answers = iter([False, True])  # the check before the insert misses it; the one after sees it
    monkeypatch.setattr(services, "_pending_request_exists", lambda profile, field: next(answers))

    with pytest.raises(ValidationError) as refused:
        ask(people, "办公室主任")

    assert [error.code for error in refused.value.error_dict["field"]] == ["pending_exists"]
    assert len(pending_rows()) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_requests_at_once_make_one_row(people) -> None:
    login = Client()
    login.force_login(people.member_a)
    session_key = login.cookies[settings.SESSION_COOKIE_NAME].value

    def request_correction(_: int) -> int:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        return client.post("/me/member/", FORM).status_code

    answers = run_at_once(request_correction, REQUESTS)

    assert len(answers) == REQUESTS
    assert sorted(answers) == [200] * (REQUESTS - 1) + [302]  # one accepted, the rest a form error
    assert len(pending_rows()) == 1
