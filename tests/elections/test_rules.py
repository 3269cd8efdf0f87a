"""The election rules at their boundaries (pure: no database)."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.elections import rules
from dangjian.elections.rules import RULES_2020, Ballot, count_votes, meeting_problem


def _code(problem: rules.Problem | None) -> str | None:
    return problem.code if problem else None


@pytest.mark.parametrize(
    ("entitled", "present", "code"),
    [
        (10, 5, "no_quorum"),  # exactly half: not more than half
        (10, 6, None),  # half + 1
        (9, 4, "no_quorum"),
        (9, 5, None),
        (1, 1, None),
        (2, 1, "no_quorum"),
        (10, 0, "no_quorum"),
        (10, 11, "vote_numbers"),
        (0, 0, "no_voters"),
    ],
)
def test_quorum(entitled: int, present: int, code: str | None) -> None:
    ballot = Ballot(entitled, present, present, present)
    assert _code(meeting_problem(ballot, {}, 3)) == code


@pytest.mark.parametrize(
    ("issued", "returned", "code"),
    [(8, 8, None), (8, 7, None), (8, 9, "ballots_exceed"), (8, 0, None), (9, 9, "vote_numbers")],
)
def test_ballots(issued: int, returned: int, code: str | None) -> None:
    assert _code(meeting_problem(Ballot(10, 8, issued, returned), {}, 3)) == code


def test_votes_beyond_the_ballots_are_refused() -> None:
    ballot = Ballot(10, 8, 8, 7)
    assert _code(meeting_problem(ballot, {"a": 8}, 3)) == "vote_numbers"  # more than returned
    assert _code(meeting_problem(ballot, {"a": 7, "b": 7}, 1)) == "vote_numbers"  # 14 > 7 × 1
    assert meeting_problem(ballot, {"a": 7, "b": 7}, 2) is None


@pytest.mark.parametrize(
    ("votes", "present", "passes"), [(4, 8, False), (5, 8, True), (4, 7, True), (3, 7, False)]
)
def test_more_than_half_of_those_present(votes: int, present: int, passes: bool) -> None:
    assert rules.passes(votes, present) is passes


def test_exactly_half_of_the_votes_is_not_elected() -> None:
    tally = count_votes(2, 8, {"a": 6, "b": 4})
    assert tally.elected == ("a",)
    assert tally.undecided_seats == 1


def test_more_passing_than_seats_takes_the_most_votes() -> None:
    tally = count_votes(2, 8, {"a": 6, "b": 8, "c": 5, "d": 7})
    assert tally.elected == ("b", "d")
    assert tally.decided and tally.tied == ()


def test_a_tie_at_the_last_seat_leaves_it_to_a_further_vote() -> None:
    tally = count_votes(3, 8, {"a": 8, "b": 7, "c": 6, "d": 6, "e": 1})
    assert tally.elected == ("a", "b")
    assert set(tally.tied) == {"c", "d"}
    assert tally.undecided_seats == 1


def test_a_tie_inside_the_seats_is_no_problem() -> None:
    tally = count_votes(3, 8, {"a": 7, "b": 7, "c": 6, "d": 5})
    assert set(tally.elected) == {"a", "b", "c"} and tally.decided


def test_a_tie_across_every_seat_elects_none_of_them() -> None:
    tally = count_votes(2, 8, {"a": 6, "b": 6, "c": 6})
    assert tally.elected == () and tally.undecided_seats == 2


@pytest.mark.parametrize(
    ("seats", "candidates", "code"), [(3, 2, "too_few_candidates"), (3, 3, None), (3, 5, None)]
)
def test_candidates_at_least_the_seats(seats: int, candidates: int, code: str | None) -> None:
    problem = rules.candidates_problem(RULES_2020, seats, candidates)
    assert _code(problem) == code
    if problem:
        assert "《中国共产党基层组织选举工作条例》" in problem.message


def test_a_margin_is_data() -> None:
    margin = rules.RuleSet(date(2030, 1, 1), "假设的修订", candidate_margin_percent=20)
    assert margin.min_candidates(5) == 6
    assert margin.min_candidates(7) == 9  # 7 × 20% = 1.4, rounded up
    assert RULES_2020.min_candidates(5) == 5


def test_terms_by_kind() -> None:
    start = date(2026, 3, 5)
    assert rules.term_end(RULES_2020, "committee", start) == date(2031, 3, 5)
    assert rules.term_end(RULES_2020, "branch", start) == date(2029, 3, 5)
    assert rules.term_end(RULES_2020, "general_branch", start) == date(2029, 3, 5)
    assert rules.term_end(RULES_2020, "joint_branch", start) == date(2029, 3, 5)
    assert rules.term_end(RULES_2020, "committee", date(2028, 2, 29)) == date(2033, 2, 28)


def test_versions_by_effective_date() -> None:
    assert rules.rules_on(date(2026, 1, 1)) is RULES_2020
    assert rules.rules_on(date(2001, 1, 1)) is RULES_2020  # before every version: the earliest


@pytest.mark.parametrize(
    ("seats", "positions", "code"),
    [
        (3, ("secretary",), None),
        (3, ("organization",), "no_secretary"),
        (1, ("secretary", "deputy"), "positions"),
        (0, ("secretary",), "seats"),
        (32, ("secretary",), "seats"),
        (3, ("secretary", "secretary"), "positions"),
    ],
)
def test_the_planned_committee(seats: int, positions: tuple[str, ...], code: str | None) -> None:
    assert _code(rules.seats_problem(RULES_2020, seats, positions)) == code
