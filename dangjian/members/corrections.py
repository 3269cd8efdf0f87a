"""The fields a member may ask to correct on their own record (§6.3 党员管理), each with how the typed
value is parsed, how the current value is shown, and how an accepted value is applied. Accepted values
then pass the same validation as the edit form (`services.member_update`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from dangjian.core.validators import validate_id_number
from dangjian.members.models import ETHNICITY_CHOICES, CorrectableField, Education, Gender, MemberProfile
from dangjian.members.validation import PersonInput, clean_text, parse_choice, parse_date, parse_id_number

Choices = list[tuple[str, str]]


@dataclass(frozen=True)
class CorrectionSpec:
    parse: Callable[[str], Any]
    show: Callable[[MemberProfile], str]
    apply: Callable[[MemberProfile, PersonInput, Any], PersonInput]


def _text(label: str, max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        text = clean_text(value)
        if not text:
            raise ValidationError(f"请填写更正后的{label}", code="required")
        if len(text) > max_length:
            raise ValidationError(f"{label}不能超过 {max_length} 个字", code="max_length")
        return text

    return parse


def _required_date(label: str) -> Callable[[str], date]:
    def parse(value: str) -> date:
        day = parse_date(value, label)
        if day is None:
            raise ValidationError(f"请填写更正后的{label}", code="required")
        return day

    return parse


def _id_number(value: str) -> str:
    number = parse_id_number(value)
    validate_id_number(number)
    return number


def _set(name: str) -> Callable[[MemberProfile, PersonInput, Any], PersonInput]:
    def apply(profile: MemberProfile, person: PersonInput, value: Any) -> PersonInput:
        setattr(profile, name, value)
        return person

    return apply


def _field_spec(name: str, parse: Callable[[str], Any]) -> CorrectionSpec:
    return CorrectionSpec(parse=parse, show=lambda p: shown_value(name, getattr(p, name)), apply=_set(name))


def _choice_spec(name: str, choices: Choices, label: str) -> CorrectionSpec:
    return _field_spec(name, lambda value: parse_choice(value, choices, label))


CHOICES: dict[str, Choices] = {
    CorrectableField.GENDER: list(Gender.choices),
    CorrectableField.ETHNICITY: ETHNICITY_CHOICES,
    CorrectableField.EDUCATION: list(Education.choices),
}

SPECS: dict[str, CorrectionSpec] = {
    CorrectableField.REAL_NAME: CorrectionSpec(
        parse=_text("姓名", 40),
        show=lambda p: p.user.real_name,
        apply=lambda p, person, value: replace(person, real_name=value),
    ),
    CorrectableField.ID_NUMBER: CorrectionSpec(
        parse=_id_number,
        show=lambda p: p.id_number_masked,
        apply=lambda p, person, value: replace(person, id_number=value),
    ),
    CorrectableField.GENDER: _choice_spec("gender", CHOICES["gender"], "性别"),
    CorrectableField.ETHNICITY: _choice_spec("ethnicity", CHOICES["ethnicity"], "民族"),
    CorrectableField.EDUCATION: _choice_spec("education", CHOICES["education"], "学历"),
    CorrectableField.BIRTH_DATE: _field_spec("birth_date", _required_date("出生日期")),
    CorrectableField.ADMITTED_ON: _field_spec("admitted_on", _required_date("入党日期")),
    CorrectableField.FULL_MEMBER_ON: _field_spec("full_member_on", _required_date("转正日期")),
    CorrectableField.JOB_TITLE: _field_spec("job_title", _text("职务/岗位", 60)),
    CorrectableField.AFFILIATION: _field_spec("affiliation_organization", _text("组织关系所在党组织", 160)),
}


def shown_value(field: str, value: Any) -> str:
    """A field's value as a person reads it: a choice's label, a date as 2020-07-01, text as is."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    labels = dict(CHOICES.get(field, []))
    return str(labels.get(value, value))
