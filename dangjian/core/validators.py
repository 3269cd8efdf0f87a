"""Validators for Chinese identifiers, with messages a party-affairs worker understands."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError

# GB 32100-2015 统一社会信用代码: 18 characters from this 31-character set (no I, O, Z, S, V).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_REGISTRATION_AUTHORITIES = "1235678939ANY"  # 1 机构编制 5 民政 9 工商 Y 其他 …

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * weight for ch, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_uscc(value: str) -> None:
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为 18 位，当前为 %(n)s 位", code="uscc_length", params={"n": len(code)}
        )
    bad = sorted({ch for ch in code if ch not in USCC_CHARSET})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）",
            code="uscc_charset",
            params={"chars": "、".join(bad)},
        )
    if code[0] not in USCC_REGISTRATION_AUTHORITIES:
        raise ValidationError("统一社会信用代码第 1 位（登记管理部门代码）不正确", code="uscc_authority")
    if not code[2:8].isdigit():
        raise ValidationError("统一社会信用代码第 3–8 位应为行政区划代码（数字）", code="uscc_division")
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入", code="uscc_checksum")


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError("请输入 11 位手机号码，例如 13812345678", code="mobile")


# GB 11714 organisation code (the 9th–17th characters of a USCC), used to build realistic codes.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check_character(first8: str) -> str:
    total = sum(int(ch, 36) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def build_uscc(*, authority: str, category: str, division: str, org_code8: str) -> str:
    """A well-formed USCC from its parts; the check characters are computed, never guessed."""
    first17 = f"{authority}{category}{division}{org_code8}{org_code_check_character(org_code8)}"
    return first17 + uscc_check_character(first17)


# GB 11643-1999 citizen identity number: 17 digits and a check character (0-9 or X).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def id_number_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    number = normalize_id_number(value)
    if not ID_RE.match(number):
        raise ValidationError("公民身份号码应为 18 位，前 17 位为数字，最后一位为数字或 X", code="id_format")
    born = id_number_birth_date(number)
    if born is None or not date(1900, 1, 1) <= born <= date.today():
        raise ValidationError("公民身份号码中的出生日期（第 7–14 位）不正确", code="id_birth_date")
    if id_number_check_character(number[:17]) != number[17]:
        raise ValidationError("公民身份号码校验位不正确，请核对后重新输入", code="id_checksum")
