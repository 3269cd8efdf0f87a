"""GB 32100-2015 unified social credit code, and mobile numbers."""

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.validators import build_uscc, uscc_check_character, validate_mobile, validate_uscc

# Real-format codes whose 18th character is the GB 32100 check character.
VALID_CODES = [
    "91350100M000100Y43",  # the worked example of GB 32100-2015
    build_uscc(authority="9", category="1", division="321202", org_code8="MA1N2B3C"),
    build_uscc(authority="5", category="2", division="321204", org_code8="50882736"),
    build_uscc(authority="1", category="1", division="321200", org_code8="01435126"),
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_codes_pass(code: str) -> None:
    validate_uscc(code)


def test_lower_case_and_spaces_are_normalised() -> None:
    validate_uscc(" 91350100m000100y43 ")


@pytest.mark.parametrize(
    ("code", "error_code", "words"),
    [
        ("91350100M000100Y44", "uscc_checksum", "校验位不正确"),
        ("91350100M000100Y4", "uscc_length", "18 位"),
        ("91350100M000100Y433", "uscc_length", "18 位"),
        ("91350100M0001O0Y43", "uscc_charset", "O"),
        ("91350100I000100Y43", "uscc_charset", "I"),
        ("Z1350100M000100Y43", "uscc_charset", "Z"),
        ("C1350100M000100Y43", "uscc_authority", "登记管理部门"),
        ("913501A0M000100Y43", "uscc_division", "行政区划"),
        ("", "uscc_length", "18 位"),
    ],
)
def test_wrong_codes_are_refused_with_a_clear_message(code: str, error_code: str, words: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == error_code
    assert words in " ".join(excinfo.value.messages)


def test_every_single_character_change_is_caught() -> None:
    code = VALID_CODES[1]
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(17):
        for replacement in charset:
            if replacement == code[position]:
                continue
            first17 = code[:position] + replacement + code[position + 1 : 17]
            assert uscc_check_character(first17) != code[17]


@pytest.mark.parametrize("mobile", ["13812345678", "19912345678", "15052361234"])
def test_valid_mobiles(mobile: str) -> None:
    validate_mobile(mobile)


@pytest.mark.parametrize("mobile", ["1381234567", "23812345678", "12812345678", "1381234567a", ""])
def test_invalid_mobiles(mobile: str) -> None:
    with pytest.raises(ValidationError):
        validate_mobile(mobile)
