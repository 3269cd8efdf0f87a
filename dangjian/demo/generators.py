"""Deterministic makers of names, mobile numbers and credit codes, shared by the demo and scale seeds."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from itertools import accumulate, islice
from typing import TypeVar

from dangjian.core.validators import USCC_CHARSET, build_uscc
from dangjian.demo.data import (
    GIVEN_NAME_CHARS_FEMALE,
    GIVEN_NAME_CHARS_MALE,
    GIVEN_NAMES_FEMALE,
    GIVEN_NAMES_MALE,
    SURNAMES_COMMON,
    SURNAMES_LESS_COMMON,
    SURNAMES_MOST_COMMON,
)

RANDOM_SEED = 20231124  # DB3212/T 1124—2023
HAILING_DIVISIONS = ("321202", "321203", "321204")
DEMO_MOBILE_PREFIXES = (
    *(f"13{digit}" for digit in "0123456789"),
    *(f"15{digit}" for digit in "012356789"),
    *(f"18{digit}" for digit in "0123456789"),
)
# The scale seed numbers its people under 199, a prefix the demo seed never draws, so the two never clash.
SCALE_MOBILE_PREFIX = "199"

T = TypeVar("T")


class PersonNames:
    """Chinese full names: a surname weighted by frequency, then a common given name of one or two
    characters."""

    SINGLE_CHARACTER_SHARE = 0.3

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        tiers = ((SURNAMES_MOST_COMMON, 6), (SURNAMES_COMMON, 3), (SURNAMES_LESS_COMMON, 1))
        self._surnames = [surname for chars, _ in tiers for surname in chars]
        self._cumulative_weights = list(accumulate(weight for chars, weight in tiers for _ in chars))
        self._given_names = (
            (GIVEN_NAMES_MALE.split(), GIVEN_NAME_CHARS_MALE),
            (GIVEN_NAMES_FEMALE.split(), GIVEN_NAME_CHARS_FEMALE),
        )

    def full_name(self) -> str:
        surname = self._rng.choices(self._surnames, cum_weights=self._cumulative_weights)[0]
        two_character_names, single_characters = self._rng.choice(self._given_names)
        if self._rng.random() < self.SINGLE_CHARACTER_SHARE:
            return surname + self._rng.choice(single_characters)
        return surname + self._rng.choice(two_character_names)


class MobileNumbers:
    """Distinct 11-digit mobile numbers under common 13x/15x/18x prefixes."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def next(self) -> str:
        while True:
            number = f"{self._rng.choice(DEMO_MOBILE_PREFIXES)}{self._rng.randrange(10**8):08d}"
            if number not in self._issued:
                self._issued.add(number)
                return number


def scale_mobile(n: int) -> str:
    return f"{SCALE_MOBILE_PREFIX}{n:08d}"


class CreditCodes:
    """Distinct, valid unified social credit codes of enterprises registered in 海陵区 and nearby.

    Each organisation code holds at least one letter, so it can never equal a counter-made code of the
    scale seed (`scale_uscc`), whose organisation codes are all digits."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def next(self) -> str:
        while True:
            org_code8 = "".join(self._rng.choices(USCC_CHARSET, k=8))
            if org_code8.isdigit():
                continue
            code = build_uscc(
                authority="9", category="1", division=self._rng.choice(HAILING_DIVISIONS), org_code8=org_code8
            )
            if code not in self._issued:
                self._issued.add(code)
                return code


def scale_uscc(n: int) -> str:
    return build_uscc(authority="9", category="1", division=HAILING_DIVISIONS[0], org_code8=f"{n:08d}")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
