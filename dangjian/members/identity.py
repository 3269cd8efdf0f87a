"""Which identity facts of a member record a viewer sees together — the one place that decides it
(DESIGN.md: a mask is judged with everything else the same role sees; together they leave at least six
of the 18 digits unknown).

A citizen ID number (GB 11643) is a 6-digit division code, the birth date (digits 7–14), a 3-digit
sequence whose last digit is odd for men, and a check character computed from the other 17. Shown:

- the mask, everywhere and to everyone: the first 3 and the last 4 characters (`mask_id_number`), so
  digits 4–14 are hidden;
- beside it, the full birth date only to those who may see the full number anyway
  (`members.reveal_id_number`: the member themself, the organisation's secretary, station admins of its
  station, HQ and platform admins);
- to everyone else who may view the record (the organisation's officers, party-affairs workers of the
  station) the birth YEAR only — never month or day, and no age beside the year (year and age together
  tell whether the birthday has passed this year).

Such a viewer then knows digits 1–3, 7–10 and 15–18: digits 4–6 (county) and 11–14 (month, day) —
seven positions — stay unknown. (The old roster showed digits 1–3, 7–18: three unknown, and the check
digit with the county codes of one city rebuilt the number.)

Exports follow the same rule: the masked export carries the birth year only; the unmasked export (its
own permission, audited) carries the full date beside each full number it reveals, and the year beside
each number it leaves masked.

Forms do not undo it: an officer editing a record does not get the birth date back as a form value, and
the rule "入党时应年满十八周岁" is answered from the birth year alone for such an editor
(`adult_check_problem`), so probing admission dates cannot find the birthday either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from dangjian.core.crypto import decrypt
from dangjian.members.models import CorrectableField, MemberProfile, ProfileCorrection
from dangjian.members.validation import ADULT_AGE

ADULT_YEAR_MESSAGE = (
    "入党日期在该党员年满十八周岁的当年，需核对出生日期：请由党组织书记或站点管理员填写入党日期"
)


def may_see_birth_date(user: Any, profile: MemberProfile) -> bool:
    """May `user` see the record's full birth date? Exactly those who may see its full ID number."""
    return bool(user.has_perm("members.reveal_id_number", profile))


def birth_year_label(year: int) -> str:
    return f"{year} 年"


@dataclass(frozen=True)
class ShownIdentity:
    """What one viewer sees of a record's identity: the ID number (masked, or plain in an entitled
    unmasked export), the birth year, and the full birth date (None unless the viewer may see it)."""

    id_number: str
    birth_year: int
    birth_date: date | None

    @property
    def birth(self) -> str:
        """The birth as shown on pages and in exports: 1986-05-12, or 1986 年."""
        if self.birth_date is not None:
            return self.birth_date.isoformat()
        return birth_year_label(self.birth_year)

    @property
    def birth_year_only(self) -> bool:
        return self.birth_date is None


def shown_identity(user: Any, profile: MemberProfile) -> ShownIdentity:
    """The record's identity as `user` sees it on a page or in the API (the number always masked)."""
    full = may_see_birth_date(user, profile)
    return ShownIdentity(
        id_number=profile.id_number_masked,
        birth_year=profile.birth_date.year,
        birth_date=profile.birth_date if full else None,
    )


def exported_identity(profile: MemberProfile, *, unmasked: bool) -> ShownIdentity:
    """A row of the roster export. `profile.revealable` is `selectors.with_revealable`'s annotation for
    the exporting user (the `members.reveal_id_number` rule as a query): only an unmasked export, and
    only on such a row, carries the full number and the full date."""
    if unmasked and getattr(profile, "revealable", False):
        return ShownIdentity(
            id_number=decrypt(profile.id_number_encrypted),
            birth_year=profile.birth_date.year,
            birth_date=profile.birth_date,
        )
    return ShownIdentity(profile.id_number_masked, profile.birth_date.year, None)


@dataclass(frozen=True)
class ShownChange:
    old: str
    new: str
    year_only: bool = False


def shown_correction(user: Any, correction: ProfileCorrection) -> ShownChange:
    """A correction request's old and new values as `user` sees them: a birth-date request shows the
    years only to those who may not see the full date (ID numbers are stored masked already)."""
    if correction.field != CorrectableField.BIRTH_DATE or may_see_birth_date(user, correction.profile):
        return ShownChange(correction.old_value, correction.new_value)
    return ShownChange(_year_of(correction.old_value), _year_of(correction.new_value), year_only=True)


def _year_of(value: str) -> str:
    """The year of a stored 1986-05-12, shown as 1986 年 ("" stays "")."""
    year = (value or "")[:4]
    return birth_year_label(int(year)) if year.isdigit() else ""


def adult_check_problem(
    *, birth_date: date, admitted_on: date | None, stored_admitted_on: date | None
) -> ValidationError | None:
    """For an editor who sees the birth year only: an admission date changed to a day of the year in
    which the member turned eighteen is refused whatever the day, so that accepting or refusing it
    depends on the year alone (otherwise "入党时应年满十八周岁" would answer, day by day, whether the
    birthday has passed). Earlier years always fail and later years always pass the exact rule."""
    if admitted_on is None or admitted_on == stored_admitted_on:
        return None
    if admitted_on.year == birth_date.year + ADULT_AGE:
        return ValidationError({"admitted_on": ValidationError(ADULT_YEAR_MESSAGE, code="needs_revealer")})
    return None
