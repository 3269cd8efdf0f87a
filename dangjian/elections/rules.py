"""The rules of a committee election (换届选举) as data — pure (no database, no Django).

Basis: 《中国共产党基层组织选举工作条例》 (中共中央 2020 年 7 月印发, "the 2020 rules"). A `RuleSet` is one
version of the rules in force from `effective_from`; `rules_on(day)` picks the version in force on a day
(like `dangjian.development.rules`). A later revision is a new `RuleSet` appended to `VERSIONS`: an
election is judged by the version in force on the day of its meeting.

What the platform checks (a refusal is a `Problem`: a Chinese message and a machine-readable code):

- 候选人: the number of candidates may not be fewer than the seats (`too_few_candidates`); 差额选举 is
  allowed (more candidates than seats), `candidate_margin_percent` raises the minimum when a revision asks
  for a fixed 差额 share;
- 选举大会: 有选举权的到会人数超过应到会人数的半数, the meeting may elect (`no_quorum`);
- 收回的选票等于或少于发出的选票, the vote is valid; more returned than issued voids it (`ballots_exceed`);
- 被选举人获得的赞成票超过实到会有选举权的人数的一半, 始得当选 (`votes * 2 > present`);
- more candidates passing than seats: those with the most votes are elected; a tie at the last seat leaves
  that seat undecided (另行选举);
- 任期: 党的基层委员会每届任期 5 年, 总支部委员会、支部委员会每届任期 3 年 (`term_years`).
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

BASIS = "《中国共产党基层组织选举工作条例》"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Problem:
    """Why something cannot stand: a Chinese message and a code."""

    message: str
    code: str


@dataclass(frozen=True)
class RuleSet:
    effective_from: date
    name: str
    basis: str = BASIS
    # years of one term by organisation kind (OrgKind values); anything not named takes `default_term_years`
    term_years: Mapping[str, int] = field(default_factory=dict)
    default_term_years: int = 3
    candidate_margin_percent: int = 0  # 差额 share the candidates must exceed the seats by (0: 等额 allowed)
    min_seats: int = 1
    max_seats: int = 31

    def years_for(self, kind: str) -> int:
        return self.term_years.get(kind, self.default_term_years)

    def min_candidates(self, seats: int) -> int:
        """The fewest candidates for `seats`: the seats plus the 差额 share, rounded up."""
        return seats + -(-seats * self.candidate_margin_percent // 100)


RULES_2020 = RuleSet(
    effective_from=date(2020, 7, 13),
    name="中国共产党基层组织选举工作条例（2020）",
    term_years={"committee": 5, "general_branch": 3, "branch": 3, "joint_branch": 3},
    default_term_years=3,
)

VERSIONS: tuple[RuleSet, ...] = (RULES_2020,)


def rules_on(day: date) -> RuleSet:
    """The version in force on `day` (the earliest version for days before every version)."""
    in_force = [rules for rules in VERSIONS if rules.effective_from <= day]
    return max(in_force, key=lambda rules: rules.effective_from) if in_force else VERSIONS[0]


# ---------------------------------------------------------------- dates


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def term_end(rules: RuleSet, kind: str, start: date) -> date:
    """The day a term that starts on `start` ends (届满)."""
    return add_years(start, rules.years_for(kind))


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- the request and the candidates


def seats_problem(rules: RuleSet, seats: int, positions: tuple[str, ...]) -> Problem | None:
    """The planned committee: its size and the named positions (书记 among them, no more than the seats)."""
    if not rules.min_seats <= seats <= rules.max_seats:
        return Problem(f"应选人数应在 {rules.min_seats} 至 {rules.max_seats} 人之间", "seats")
    if "secretary" not in positions:
        return Problem("拟设职务中须有书记", "no_secretary")
    if len(positions) != len(set(positions)):
        return Problem("拟设职务不能重复", "positions")
    if len(positions) > seats:
        return Problem(f"拟设职务（{len(positions)} 个）不能多于应选人数（{seats} 人）", "positions")
    return None


def candidates_problem(rules: RuleSet, seats: int, candidates: int) -> Problem | None:
    """候选人数不得少于应选人数 (差额选举时多于应选人数)."""
    fewest = rules.min_candidates(seats)
    if candidates < fewest:
        return Problem(
            f"候选人数不得少于 {fewest} 人（应选 {seats} 人，现有候选人 {candidates} 人）。依据：{rules.basis}",
            "too_few_candidates",
        )
    return None


# ---------------------------------------------------------------- the meeting and the count


@dataclass(frozen=True)
class Ballot:
    """The figures of one election meeting."""

    entitled: int  # 应到会有选举权的党员
    present: int  # 实到会有选举权的党员
    issued: int  # 发出选票
    returned: int  # 收回选票

    @property
    def quorate(self) -> bool:
        """有选举权的到会人数超过应到会人数的半数."""
        return self.present * 2 > self.entitled

    @property
    def valid(self) -> bool:
        """收回的选票等于或少于发出的选票."""
        return self.returned <= self.issued


def meeting_problem(ballot: Ballot, votes: Mapping[K, int], seats: int) -> Problem | None:
    """Why the meeting's vote cannot stand, or None. Checked in this order: impossible figures, quorum,
    ballots returned beyond those issued, votes per candidate."""
    if ballot.entitled <= 0:
        return Problem("本组织没有有选举权的正式党员，不能召开选举大会", "no_voters")
    if min(ballot.present, ballot.issued, ballot.returned) < 0:
        return Problem("人数和票数不能为负数", "vote_numbers")
    if ballot.present > ballot.entitled:
        return Problem(
            f"实到会人数（{ballot.present} 人）不能超过应到会人数（{ballot.entitled} 人）", "vote_numbers"
        )
    if not ballot.quorate:
        return Problem(
            f"有选举权的到会人数须超过应到会人数的半数，选举大会方可进行选举（应到 {ballot.entitled} 人，"
            f"实到 {ballot.present} 人）。依据：{BASIS}",
            "no_quorum",
        )
    if ballot.issued > ballot.present:
        return Problem(
            f"发出选票（{ballot.issued} 张）不能多于实到会有选举权的人数（{ballot.present} 人）",
            "vote_numbers",
        )
    if not ballot.valid:
        return Problem(
            f"收回选票（{ballot.returned} 张）多于发出选票（{ballot.issued} 张），选举无效，应重新选举。依据：{BASIS}",
            "ballots_exceed",
        )
    if any(count < 0 or count > ballot.returned for count in votes.values()):
        return Problem("每位候选人的得票数不能为负数，也不能多于收回的选票数", "vote_numbers")
    if sum(votes.values()) > ballot.returned * seats:
        return Problem(
            f"得票总数不能多于收回选票数与应选人数之积（{ballot.returned} × {seats}）", "vote_numbers"
        )
    return None


def passes(votes: int, present: int) -> bool:
    """赞成票超过实到会有选举权人数的一半."""
    return votes * 2 > present


@dataclass(frozen=True)
class Tally(Generic[K]):
    elected: tuple[K, ...]  # most votes first
    tied: tuple[K, ...]  # candidates tied at the last seat: none of them elected (另行选举)
    undecided_seats: int  # seats left for a further vote

    @property
    def decided(self) -> bool:
        return self.undecided_seats == 0


def count_votes(seats: int, present: int, votes: Mapping[K, int]) -> Tally[K]:
    """Who is elected: those passing the half, the most votes first, no more than `seats`; candidates tied
    across the last seat are none of them elected, their seats are left to a further vote."""
    passing = sorted((key for key, count in votes.items() if passes(count, present)), key=lambda k: -votes[k])
    if len(passing) <= seats:
        return Tally(tuple(passing), (), seats - len(passing))
    cut = votes[passing[seats - 1]]
    if votes[passing[seats]] != cut:
        return Tally(tuple(passing[:seats]), (), 0)
    elected = tuple(key for key in passing if votes[key] > cut)
    tied = tuple(key for key in passing if votes[key] == cut)
    return Tally(elected, tied, seats - len(elected))
