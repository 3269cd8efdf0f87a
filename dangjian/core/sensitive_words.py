"""Sensitive-word screening for Chinese text (issue 12 §2): pure Python, no models.

Text and listed words go through the same `normalise` (NFKC full-width → half-width, casefold,
traditional → simplified, evasion characters stripped), so "代 开 發 票", "ＦＡＬＵＮ" and "代*开*发*票"
match the words they hide. One Aho–Corasick automaton holds every listed and allowed word.

Overlaps: a match that lies inside a longer match is dropped, so a listed "共产" inside an allowed
"中国共产党" is no hit, and a listed "代开" inside a listed "代开发票" reports only the longer word. A
match that only partly overlaps another is kept: a benign word that merely touches a listed word
(e.g. "法轮功德…") must not hide it.
"""

from __future__ import annotations

import enum
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick  # type: ignore[import-untyped]
import opencc  # type: ignore[import-untyped]

REPLACEMENT = "＊"

# Characters inserted between the characters of a word to dodge matching (checked after NFKC, so
# full-width ＊．＿－ arrive here as ASCII).
EVASION_CHARS = frozenset("*._-~+=|/\\^`#@&%$·•・‧∙⋅×※★☆○●◇◆□■△▲▽▼♀♂♥♡♪〃ˉ﹏")
EVASION_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
# Sentence punctuation (，。、；：！？ and the like, after NFKC) separates clauses, and matching across it
# would flag ordinary text: it is kept, except where it spaces single characters out
# (`_without_spacing_punctuation`).
SEPARATOR_CATEGORIES = frozenset({"Po", "Pd"})


class Action(enum.StrEnum):
    """What happens to a post containing a listed word, weakest first."""

    REPLACE = "replace"
    HOLD = "hold"
    BLOCK = "block"

    @property
    def label(self) -> str:
        """Chinese label for admin pages."""
        return {"replace": "替换为＊", "hold": "待审核", "block": "拒绝发布"}[self.value]

    @property
    def rank(self) -> int:
        """Strength for choosing among hits: block > hold > replace."""
        return {"replace": 1, "hold": 2, "block": 3}[self.value]


@dataclass(frozen=True)
class WordList:
    """A named list of words sharing one action."""

    name: str
    action: Action
    words: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One listed word found in a text; `start`/`end` index the ORIGINAL text (end exclusive)."""

    word: str
    list_name: str
    action: Action
    start: int
    end: int


@dataclass(frozen=True)
class Screening:
    """The result of screening one text: the strongest action (None when clean), the text to store
    (masked for "replace", unchanged otherwise) and every hit."""

    action: Action | None
    text: str
    hits: tuple[Hit, ...]

    @property
    def clean(self) -> bool:
        """No listed word was found."""
        return self.action is None

    @property
    def held(self) -> bool:
        """The post is kept for an administrator's review."""
        return self.action is Action.HOLD

    @property
    def blocked(self) -> bool:
        """The post is refused."""
        return self.action is Action.BLOCK

    @property
    def blocked_words(self) -> tuple[str, ...]:
        """The distinct words that caused a block, in order of appearance."""
        return tuple(dict.fromkeys(hit.word for hit in self.hits if hit.action is Action.BLOCK))

    @property
    def message(self) -> str:
        """A message for the user in Chinese ("" when the text is clean)."""
        if self.action is Action.BLOCK:
            return f"内容含有不允许发布的词语：{'、'.join(self.blocked_words)}，请修改后再提交"
        if self.action is Action.HOLD:
            return "内容已提交，需经管理员审核后显示"
        if self.action is Action.REPLACE:
            return "内容中的部分词语已替换为＊"
        return ""


@cache
def _t2s() -> opencc.OpenCC:
    """The traditional → simplified converter (loading its dictionaries takes a moment)."""
    return opencc.OpenCC("t2s")


def _is_evasion(char: str) -> bool:
    """True for characters stripped before matching: spaces, zero-width and control characters,
    combining marks and the decorative punctuation in EVASION_CHARS."""
    return char in EVASION_CHARS or unicodedata.category(char) in EVASION_CATEGORIES


@lru_cache(maxsize=16384)
def _fold_char(char: str) -> str:
    """Normalise one original character to zero or more characters (see `normalise`)."""
    if _is_evasion(char):
        return ""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return "".join(_t2s().convert(c) for c in folded if not _is_evasion(c))


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold `text` for matching and map each folded character back to its original index.

    Each character is folded on its own (NFKC, casefold, OpenCC t2s, evasion characters removed), so
    the map stays exact even where a character expands ("㈠" → "(一)") or vanishes ("*", "\\u200b").
    """
    parts: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        folded = _fold_char(char)
        if folded:
            parts.append(folded)
            index.extend([position] * len(folded))
    return _without_spacing_punctuation("".join(parts), index)


def _is_separator(char: str) -> bool:
    return unicodedata.category(char) in SEPARATOR_CATEGORIES


def _without_spacing_punctuation(folded: str, index: list[int]) -> tuple[str, list[int]]:
    """Drop punctuation that spaces single characters out ("代，开，发，票"): a mark between two other
    characters, in a chain of at least two such marks each two characters apart. Ordinary clauses are
    longer than one character, so their punctuation stays and nothing is matched across it."""
    marks = [
        at
        for at in range(1, len(folded) - 1)
        if _is_separator(folded[at])
        and not _is_separator(folded[at - 1])
        and not _is_separator(folded[at + 1])
    ]
    dropped: set[int] = set()
    chain: list[int] = []
    for at in marks:
        if chain and at - chain[-1] != 2:
            dropped.update(chain if len(chain) >= 2 else ())
            chain = []
        chain.append(at)
    dropped.update(chain if len(chain) >= 2 else ())
    if not dropped:
        return folded, index
    kept = [at for at in range(len(folded)) if at not in dropped]
    return "".join(folded[at] for at in kept), [index[at] for at in kept]


@dataclass(frozen=True)
class _Entry:
    """What a folded key in the automaton stands for: a listed word, or an allowed one (list None)."""

    word: str
    list_name: str | None
    action: Action | None


class Engine:
    """Screens texts against word lists, with an allow list of longer words that are not hits."""

    def __init__(self, lists: Iterable[WordList], allow: Iterable[str] = ()) -> None:
        entries: dict[str, list[_Entry]] = {}
        for word_list in lists:
            for word in word_list.words:
                self._add(entries, word, _Entry(word, word_list.name, word_list.action))
        for word in allow:
            self._add(entries, word, _Entry(word, None, None))
        self._automaton: ahocorasick.Automaton | None = None
        if entries:
            self._automaton = ahocorasick.Automaton()
            for key, found in entries.items():
                self._automaton.add_word(key, (len(key), tuple(found)))
            self._automaton.make_automaton()

    @staticmethod
    def _add(entries: dict[str, list[_Entry]], word: str, entry: _Entry) -> None:
        """Record `entry` under the folded form of `word`, skipping words that fold to nothing."""
        key = normalise(word)[0]
        if key and entry not in entries.setdefault(key, []):
            entries[key].append(entry)

    def _matches(self, folded: str) -> Iterator[tuple[int, int, tuple[_Entry, ...]]]:
        """Every match in the folded text as (start, end exclusive, entries), overlaps included."""
        if self._automaton is None or not folded:
            return
        for last, (length, found) in self._automaton.iter(folded):
            yield last + 1 - length, last + 1, found

    def _surviving(self, folded: str) -> list[tuple[int, int, _Entry]]:
        """Listed matches not inside a longer match and not on the span of an allowed word."""
        spans: dict[tuple[int, int], list[_Entry]] = {}
        for start, end, found in self._matches(folded):
            spans.setdefault((start, end), []).extend(found)
        kept: list[tuple[int, int, _Entry]] = []
        furthest = -1  # the furthest end among earlier spans, which all start at or before this one
        for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
            entries = spans[(start, end)]
            if end > furthest and all(entry.action is not None for entry in entries):
                kept.extend((start, end, entry) for entry in entries)
            furthest = max(furthest, end)
        return kept

    def screen(self, text: str) -> Screening:
        """Screen `text`: the strongest action among its hits and, for "replace", the masked text."""
        folded, index = normalise(text)
        hits = tuple(
            Hit(entry.word, entry.list_name or "", entry.action, index[start], index[end - 1] + 1)
            for start, end, entry in self._surviving(folded)
            if entry.action is not None
        )
        if not hits:
            return Screening(None, text, ())
        action = max((hit.action for hit in hits), key=lambda a: a.rank)
        if action is Action.REPLACE:
            text = mask(text, hits)
        return Screening(action, text, hits)


def mask(text: str, hits: Iterable[Hit]) -> str:
    """`text` with every character from each hit's start to its end replaced by ＊."""
    chars = list(text)
    for hit in hits:
        chars[hit.start : hit.end] = REPLACEMENT * (hit.end - hit.start)
    return "".join(chars)


_cache_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_CACHE_SIZE = 4


def engine_for(version: str, lists: Iterable[WordList], allow: Iterable[str] = ()) -> Engine:
    """The engine for `version` (e.g. the lists' last-modified stamp), built once per version.

    `lists` and `allow` are read only when the version is new; a few recent versions are kept.
    """
    with _cache_lock:
        engine = _engines.get(version)
        if engine is None:
            engine = Engine(lists, allow)
            if len(_engines) >= _CACHE_SIZE:
                _engines.pop(next(iter(_engines)))
            _engines[version] = engine
        return engine
