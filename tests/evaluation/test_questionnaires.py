"""Questionnaires (投票问卷, §5.2 事务共商): opened by a station admin to its people, one ballot per person,
single and multiple choice and text, open/close times, results with counts and percentages after voting
or after closing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.evaluation import selectors, services
from dangjian.evaluation.models import Ballot, Question, QuestionKind
from tests import factories as f
from tests.evaluation.builders import at, day, questionnaire

pytestmark = pytest.mark.django_db


def questions(found: Any) -> tuple[Question, Question, Question]:
    single, multiple, text = Question.objects.filter(questionnaire=found).order_by("position")
    return single, multiple, text


def options(question: Question) -> list[int]:
    return list(question.options.order_by("position").values_list("pk", flat=True))


def ballot(found: Any, single: int, multiple: list[int]) -> dict[int, list[int]]:
    s, m, _ = questions(found)
    return {s.pk: [options(s)[single]], m.pk: [options(m)[i] for i in multiple]}


def station_people(world: Any, n: int) -> list[Any]:
    return [f.UserFactory(home_station=world.a) for _ in range(n)]


def test_one_ballot_per_person(world) -> None:
    found = questionnaire(world.a, world.own_admin)
    services.ballot_cast(actor=world.member, questionnaire=found, choices=ballot(found, 0, [0]))
    with pytest.raises(ValidationError) as refused:
        services.ballot_cast(actor=world.member, questionnaire=found, choices=ballot(found, 1, [1]))
    assert refused.value.code == "duplicate"
    assert Ballot.objects.filter(questionnaire=found).count() == 1


def test_results_count_and_percent_of_the_ballots(world) -> None:
    found = questionnaire(world.a, world.own_admin)
    _, _, t = questions(found)
    for person, (one, many) in zip(station_people(world, 3), [(0, [0, 1]), (0, [1]), (1, [2])], strict=True):
        services.ballot_cast(
            actor=person,
            questionnaire=found,
            choices=ballot(found, one, many),
            texts={t.pk: "希望增加夜间开放"},
        )

    ballots, rows = selectors.results(found)

    assert ballots == 3
    single = {o.text: (o.count, str(o.percent)) for o in rows[0].options}
    assert single == {"同意": (2, "66.7"), "不同意": (1, "33.3"), "无所谓": (0, "0.0")}
    multiple = {o.text: o.count for o in rows[1].options}
    assert multiple == {"党课讲座": 1, "法律咨询": 2, "心理疏导": 1}
    assert rows[2].texts == ("希望增加夜间开放",) * 3


def test_no_ballots_gives_dashes_not_zero(world) -> None:
    found = questionnaire(world.a, world.own_admin)
    _, rows = selectors.results(found)
    assert all(o.percent is None for o in rows[0].options)


@pytest.mark.parametrize(
    "bad",
    [
        lambda s, m: {s.pk: options(s)[:2], m.pk: options(m)[:1]},  # two answers to a single-choice question
        lambda s, m: {s.pk: [], m.pk: options(m)[:1]},  # a question left out
        lambda s, m: {s.pk: options(m)[:1], m.pk: options(m)[:1]},  # an option of another question
        lambda s, m: {s.pk: options(s)[:1], m.pk: options(m)[:1], 2**31 - 1: [1]},  # a question of no one
    ],
)
def test_bad_ballots_are_refused(world, bad: Any) -> None:
    found = questionnaire(world.a, world.own_admin)
    s, m, _ = questions(found)
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=world.member, questionnaire=found, choices=bad(s, m))
    assert not Ballot.objects.exists()


def test_voting_only_while_open(world) -> None:
    later = questionnaire(world.a, world.own_admin, opens=at(day(2), 9), closes=at(day(5), 9))
    with pytest.raises(ValidationError) as refused:
        services.ballot_cast(actor=world.member, questionnaire=later, choices=ballot(later, 0, [0]))
    assert refused.value.code == "not_open"
    closed = questionnaire(world.a, world.own_admin, opens=at(day(-5), 9), closes=at(day(-1), 9))
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=world.member, questionnaire=closed, choices=ballot(closed, 0, [0]))


def test_only_the_station_people_vote(world) -> None:
    found = questionnaire(world.a, world.own_admin)
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=world.other_admin, questionnaire=found, choices=ballot(found, 0, [0]))
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=world.resident, questionnaire=found, choices=ballot(found, 0, [0]))


def test_only_a_station_admin_opens_one(world) -> None:
    with pytest.raises(PermissionDenied):
        questionnaire(world.a, world.other_admin)
    with pytest.raises(ValidationError):
        services.questionnaire_open(
            actor=world.own_admin,
            station=world.a,
            title="空问卷",
            description="",
            opens_at=at(day(0), 9),
            closes_at=at(day(3), 9),
            questions=[services.QuestionData("只有一个选项", QuestionKind.SINGLE, ["是"])],
        )


def test_results_are_shown_after_voting(world, client) -> None:
    found = questionnaire(world.a, world.own_admin)
    s, m, _ = questions(found)
    client.force_login(world.member)
    before = client.get(f"/evaluation/votes/{found.pk}/").content.decode()
    assert "投票结果" not in before and "提交投票" in before

    data = {f"q{s.pk}": str(options(s)[0]), f"q{m.pk}": [str(options(m)[0]), str(options(m)[2])]}
    assert client.post(f"/evaluation/votes/{found.pk}/", data).status_code == 302
    after = client.get(f"/evaluation/votes/{found.pk}/").content.decode()
    assert "投票结果" in after and "100.0%" in after and "共 1 人参与" in after
    assert "evaluation-results-data" in after  # the chart's data


def test_results_are_shown_to_everyone_after_closing(world, client) -> None:
    closed = questionnaire(world.a, world.own_admin, opens=at(day(-5), 9), closes=at(day(-1), 9))
    client.force_login(world.member)
    assert "投票结果" in client.get(f"/evaluation/votes/{closed.pk}/").content.decode()
