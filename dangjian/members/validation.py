"""Rules a member record must satisfy, shared by the edit form, the services, the Excel import and the
correction workflow, so every way in checks the same things with the same Chinese messages.

Functions here are pure (no database): they take parsed values and return `Problem`s — the field and
what is wrong — which the caller turns into form errors or "第 12 行：…" lines of an import report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError

from dangjian.core.validators import (
    id_number_birth_date,
    normalize_id_number,
    validate_id_number,
    validate_mobile,
)
from dangjian.members.models import Category

ADULT_AGE = 18  # 党章第一条：年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
TRUE_WORDS = {"是", "有", "困难", "y", "yes", "true", "1"}
FALSE_WORDS = {"", "否", "无", "n", "no", "false", "0"}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class PersonInput:
    """What a member record holds on the person (`User`) rather than on the profile. `id_number` is the
    plain number typed or imported, or "" when an edit keeps the stored one."""

    real_name: str
    mobile: str
    id_number: str = ""


@dataclass(frozen=True)
class MemberFacts:
    """The values a record is checked on; `id_number` is the normalised plain number, or "" when an edit
    keeps the stored one (then only the other rules apply)."""

    mobile: str
    id_number: str
    gender: str
    birth_date: date | None
    category: str
    admitted_on: date | None
    full_member_on: date | None


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (later when negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def gender_of_id_number(number: str) -> str:
    """GB 11643: the 17th character (sequence code) is odd for men, even for women."""
    return "male" if int(number[16]) % 2 else "female"


def id_number_problems(number: str, *, birth_date: date | None, gender: str) -> list[Problem]:
    """Checksum and format (GB 11643), and agreement with the birth date and gender given separately."""
    try:
        validate_id_number(number)
    except ValidationError as error:
        return [Problem("id_number", error.messages[0])]
    problems = []
    if birth_date and id_number_birth_date(number) != birth_date:
        problems.append(Problem("id_number", "公民身份号码中的出生日期与填写的出生日期不一致"))
    if gender and gender_of_id_number(number) != gender:
        problems.append(Problem("id_number", "公民身份号码中的性别码（第 17 位）与填写的性别不一致"))
    return problems


def date_problems(facts: MemberFacts, today: date) -> list[Problem]:
    """Birth, admission and full-membership dates in a possible order (党章: 年满十八岁; 预备期后转正)."""
    problems = []
    if facts.birth_date and facts.birth_date > today:
        problems.append(Problem("birth_date", "出生日期不能晚于今天"))
    if facts.admitted_on:
        if facts.admitted_on > today:
            problems.append(Problem("admitted_on", "入党日期不能晚于今天"))
        if facts.birth_date and facts.admitted_on < years_before(facts.birth_date, -ADULT_AGE):
            problems.append(Problem("admitted_on", "入党时应年满十八周岁，请核对入党日期和出生日期"))
    problems += full_member_problems(facts, today)
    return problems


def full_member_problems(facts: MemberFacts, today: date) -> list[Problem]:
    full = facts.full_member_on
    if facts.category == Category.FORMAL and not full:
        return [Problem("full_member_on", "正式党员须填写转正日期")]
    if facts.category == Category.PROBATIONARY and full:
        return [Problem("full_member_on", "预备党员不应填写转正日期")]
    if full and facts.admitted_on and full <= facts.admitted_on:
        return [Problem("full_member_on", "转正日期应晚于入党日期")]
    if full and full > today:
        return [Problem("full_member_on", "转正日期不能晚于今天")]
    return []


def member_problems(facts: MemberFacts, today: date) -> list[Problem]:
    """Every rule of one record except uniqueness (which needs the database)."""
    problems = []
    try:
        validate_mobile(facts.mobile)
    except ValidationError as error:
        problems.append(Problem("mobile", error.messages[0]))
    if facts.id_number:
        problems += id_number_problems(facts.id_number, birth_date=facts.birth_date, gender=facts.gender)
    return problems + date_problems(facts, today)


def as_validation_error(problems: Iterable[Problem]) -> ValidationError:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(problem.message)
    return ValidationError(errors)


# ---------------------------------------------------------------- parsing typed or spreadsheet values


def clean_text(value: object) -> str:
    """A cell or typed value as stripped text; whole numbers lose Excel's ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_id_number(value: object) -> str:
    return normalize_id_number(clean_text(value))


def parse_date(value: object, label: str) -> date | None:
    """A date from a date cell or text such as 2020-07-01, 2020/7/1, 2020.07.01, 20200701, 2020年7月1日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"{label}“{text[:20]}”不是有效日期，请写成 2020-07-01 的形式", code="date")


def parse_choice(value: object, choices: Iterable[tuple[str, str]], label: str) -> str:
    """The stored value of a choice given by its Chinese label (or its stored value)."""
    text = clean_text(value)
    for stored, shown in choices:
        if text in (stored, str(shown)):
            return stored
    allowed = "、".join(str(shown) for _, shown in choices)
    if len(allowed) > 60:
        allowed = allowed[:60] + "…"
    raise ValidationError(f"{label}“{text[:20]}”不在可选范围内（{allowed}）", code="choice")


def parse_bool(value: object, label: str) -> bool:
    text = clean_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError(f"{label}请填写“是”或“否”", code="bool")
