"""The sensitive-word engine (issue 12 §2): ordinary party-building text passes untouched, listed
words are held, blocked or masked through the usual evasions, and the allow list wins by length."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian.core.sensitive_words import Action, Engine, Hit, WordList, engine_for, normalise

CORPUS = [
    line for line in (Path(__file__).parent / "sensitive_corpus.txt").read_text("utf-8").splitlines() if line
]
LISTS = (
    WordList("邪教", Action.BLOCK, ("法轮功", "Falun Gong")),
    WordList("广告", Action.HOLD, ("代开发票", "共产", "毛泽")),
    WordList("粗口", Action.REPLACE, ("傻逼", "脑残")),
)
ALLOW = ("中国共产党", "共产党", "共产主义", "毛泽东")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(LISTS, ALLOW)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 60


@pytest.mark.parametrize("line", CORPUS)
def test_corpus_line_passes_untouched(engine: Engine, line: str) -> None:
    screening = engine.screen(line)
    assert screening.action is None, screening.hits
    assert screening.text == line
    assert screening.clean and screening.message == ""


@pytest.mark.parametrize(
    ("text", "action", "word"),
    [
        ("他在练法轮功", Action.BLOCK, "法轮功"),
        ("长期代开发票，联系我", Action.HOLD, "代开发票"),
        ("共产", Action.HOLD, "共产"),
        ("毛泽", Action.HOLD, "毛泽"),
        ("你真是傻逼", Action.REPLACE, "傻逼"),
        ("ＦＡＬＵＮ ＧＯＮＧ", Action.BLOCK, "Falun Gong"),
        ("FALUN gong", Action.BLOCK, "Falun Gong"),
        ("代開發票", Action.HOLD, "代开发票"),
        ("法輪功", Action.BLOCK, "法轮功"),
        ("代 开 发 票", Action.HOLD, "代开发票"),
        ("代*开*发*票", Action.HOLD, "代开发票"),
        ("代＊开．发＿票", Action.HOLD, "代开发票"),
        ("代\u200b开\u200d发\ufeff票", Action.HOLD, "代开发票"),
        ("腦殘", Action.REPLACE, "脑残"),
    ],
)
def test_listed_words_and_evasions_are_caught(engine: Engine, text: str, action: Action, word: str) -> None:
    screening = engine.screen(text)
    assert screening.action is action
    assert [hit.word for hit in screening.hits] == [word]


def test_block_and_hold_leave_text_unchanged_with_messages(engine: Engine) -> None:
    blocked = engine.screen("傻逼练法轮功")
    assert blocked.blocked and not blocked.held
    assert blocked.text == "傻逼练法轮功"
    assert blocked.message == "内容含有不允许发布的词语：法轮功，请修改后再提交"
    held = engine.screen("代开发票，傻逼")
    assert held.held and held.text == "代开发票，傻逼"
    assert held.message == "内容已提交，需经管理员审核后显示"


def test_replacement_keeps_the_rest_of_the_original_text(engine: Engine) -> None:
    text = "ＡＢＣ同志说：你是傻 逼吗？腦殘！Ｆ"
    screening = engine.screen(text)
    assert screening.action is Action.REPLACE
    assert screening.text == "ＡＢＣ同志说：你是＊＊＊吗？＊＊！Ｆ"
    assert [(hit.start, hit.end) for hit in screening.hits] == [(9, 12), (14, 16)]


def test_hit_positions_refer_to_the_original_text(engine: Engine) -> None:
    text = "请看：代*开*发*票"
    (hit,) = engine.screen(text).hits
    assert hit == Hit("代开发票", "广告", Action.HOLD, 3, 10)
    assert text[hit.start : hit.end] == "代*开*发*票"


@pytest.mark.parametrize(
    "text", ["中国共产党", "共产党员", "共产主义", "毛泽东选集", "毛泽东思想", "中國共產黨", "共 产 党"]
)
def test_allow_list_covers_listed_words_inside_longer_words(engine: Engine, text: str) -> None:
    assert engine.screen(text).clean


def test_listed_word_next_to_allowed_word_still_counts(engine: Engine) -> None:
    screening = engine.screen("中国共产党，共产")
    assert [(hit.word, hit.start) for hit in screening.hits] == [("共产", 6)]


def test_overlapping_listed_words_resolve_to_the_longest() -> None:
    engine = Engine([WordList("a", Action.REPLACE, ("代开",)), WordList("b", Action.HOLD, ("代开发票",))])
    screening = engine.screen("代开发票")
    assert [hit.word for hit in screening.hits] == ["代开发票"]
    assert screening.held


def test_partial_overlap_with_allowed_word_does_not_hide_a_listed_word() -> None:
    engine = Engine([WordList("b", Action.BLOCK, ("法轮功",))], allow=["功德无量"])
    assert engine.screen("法轮功德无量").blocked


def test_strongest_action_wins(engine: Engine) -> None:
    assert engine.screen("傻逼代开发票").action is Action.HOLD
    assert engine.screen("代开发票法轮功傻逼").action is Action.BLOCK


def test_listed_words_in_traditional_or_full_width_match_simplified_text() -> None:
    engine = Engine([WordList("h", Action.HOLD, ("發票代開", "ＱＱ群"))])
    assert engine.screen("发票代开").held
    assert engine.screen("加qq群").held


@pytest.mark.parametrize("text", ["", "   ", "*._-"])
def test_empty_text(engine: Engine, text: str) -> None:
    screening = engine.screen(text)
    assert screening.clean and screening.text == text and screening.hits == ()


def test_empty_engine() -> None:
    assert Engine([], []).screen("傻逼").clean


def test_normalise_maps_back_to_original_positions() -> None:
    folded, index = normalise("Ａ*發 Ｂ")
    assert folded == "a发b"
    assert index == [0, 2, 4]


def test_long_text_screens(engine: Engine) -> None:
    text = ("".join(CORPUS) * 200)[:199_990] + "代开发票傻逼法轮功"
    assert len(text) > 199_990
    screening = engine.screen(text)
    assert screening.blocked
    assert [hit.word for hit in screening.hits] == ["代开发票", "傻逼", "法轮功"]


def test_engine_for_reuses_the_engine_per_version() -> None:
    first = engine_for("test-v1", LISTS, ALLOW)
    assert engine_for("test-v1", [], []) is first
    assert engine_for("test-v2", [], []) is not first


@pytest.mark.parametrize(
    "text", ["代，开，发，票", "代、开、发、票", "代,开,发,票", "联系我：代。开。发。票！"]
)
def test_punctuation_spacing_single_characters_out_is_no_disguise(engine: Engine, text: str) -> None:
    screening = engine.screen(text)
    assert screening.held and screening.hits[0].word == "代开发票"
    assert text[screening.hits[0].start] == "代" and text[screening.hits[0].end - 1] == "票"


@pytest.mark.parametrize("text", ["需要代开，发票请到前台", "请代，开发票事宜另行通知", "代开发，票"])
def test_punctuation_between_clauses_still_separates_words(engine: Engine, text: str) -> None:
    assert engine.screen(text).clean


def test_dropped_punctuation_still_maps_back_to_the_original(engine: Engine) -> None:
    text = "党、政、军、民、学，共同参与"
    folded, index = normalise(text)
    assert folded == "党政军民学共同参与" and [text[at] for at in index] == list(folded)
    assert engine.screen(text).text == text
