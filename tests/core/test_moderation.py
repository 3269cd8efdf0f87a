"""The HQ-edited, versioned sensitive-word lists behind `screen_text` (issue 12 §2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from dangjian.core import moderation
from dangjian.core.models import AuditEvent
from dangjian.core.sensitive_words import Action
from dangjian.core.word_list_models import WordKind, WordListVersion

CORPUS = Path(__file__).with_name("sensitive_corpus.txt").read_text().splitlines()
URL = "/manage/word-lists/"


def _words(**kinds: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {kind: kinds.get(kind, ()) for kind in WordKind.values}


def _publish(world, based_on: int = 0, **kinds: tuple[str, ...]) -> WordListVersion:
    return moderation.publish_word_lists(actor=world.hq_admin, words=_words(**kinds), based_on=based_on)


def test_the_built_in_lists_apply_before_hq_publishes_any(db) -> None:
    assert moderation.current_version() == 0
    assert moderation.screen_text("长期代开发票").blocked
    assert moderation.screen_text("加微信领红包").held
    assert moderation.screen_text("你这个王八蛋").text == "你这个＊＊＊"


@pytest.mark.parametrize("line", [line for line in CORPUS if line.strip()])
def test_ordinary_party_building_text_passes_the_built_in_lists_untouched(db, line: str) -> None:
    screening = moderation.screen_text(line)
    assert screening.clean, screening.hits
    assert screening.text == line


def test_a_published_version_is_in_force_at_once_and_the_allow_list_wins(world) -> None:
    version = _publish(world, hold=("共产", "上访"), allow=("中国共产党",))
    assert version.number == 1 and moderation.current_version() == 1
    assert moderation.screen_text("组织大家上访").held
    assert moderation.screen_text("中国共产党党员要带头").clean
    assert moderation.screen_text("共产").held
    # the built-in words are gone with the new version
    assert moderation.screen_text("长期代开发票").clean


def test_each_save_is_a_new_version_and_the_old_one_is_kept(world) -> None:
    first = _publish(world, block=("赌球",))
    second = _publish(world, based_on=1, block=("赌球", "外围"))
    assert (first.number, second.number) == (1, 2)
    assert moderation.words_of(first)[WordKind.BLOCK] == ("赌球",)
    assert moderation.screen_text("买外围").action is Action.BLOCK
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="core.word_lists_published").order_by("-pk").first()
    assert event is not None and event.data["block_added"] == ["外围"]


def test_a_save_based_on_an_older_version_is_refused_and_changes_nothing(world) -> None:
    _publish(world, block=("赌球",))
    with pytest.raises(ValidationError) as refused:
        _publish(world, based_on=0, block=("别的词",))
    assert refused.value.code == "stale"
    assert WordListVersion.objects.count() == 1


def test_a_save_without_a_change_is_refused(world) -> None:
    _publish(world, block=("赌球",))
    with pytest.raises(ValidationError) as refused:
        _publish(world, based_on=1, block=("赌球",))
    assert refused.value.code == "unchanged"


@pytest.mark.parametrize("role", ["own_admin", "other_admin", "worker_a", "member", "resident"])
def test_only_hq_may_publish(world, role: str) -> None:
    with pytest.raises(PermissionDenied):
        moderation.publish_word_lists(actor=world.actor(role), words=_words(block=("赌球",)), based_on=0)
    assert not WordListVersion.objects.exists()


@pytest.mark.parametrize(
    ("typed", "code"),
    [("a" * 51, "word_too_long"), ("好\x00词", "invalid_character")],
)
def test_words_that_cannot_be_listed_are_refused(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        moderation.parse_words(typed, label="禁发词")
    assert refused.value.code == code


def test_words_may_be_typed_one_per_line_or_separated_by_commas() -> None:
    assert moderation.parse_words("赌球\n 外围 、私彩，赌球", label="禁发词") == ("赌球", "外围", "私彩")


def test_hq_edits_the_lists_on_the_page_and_tries_a_text(world, client) -> None:
    client.force_login(world.hq_admin)
    page = client.get(URL)
    assert page.status_code == 200 and "代开发票" in page.content.decode()
    posted = client.post(URL, {"based_on": 0, "block": "赌球\n外围", "hold": "", "replace": "", "allow": ""})
    assert posted.status_code == 302 and moderation.current_version() == 1
    tried = client.get(URL, {"sample": "今晚买外围"}).content.decode()
    assert "拒绝发布" in tried and "外围" in tried


def test_a_stale_form_shows_why_and_publishes_nothing(world, client) -> None:
    _publish(world, block=("赌球",))
    client.force_login(world.hq_admin)
    answer = client.post(URL, {"based_on": 0, "block": "别的词"})
    assert answer.status_code == 200 and "已被他人修改" in answer.content.decode()
    assert moderation.current_version() == 1


@pytest.mark.parametrize("role", ["own_admin", "other_admin", "worker_a", "member"])
def test_the_page_is_hq_only(world, client, role: str) -> None:
    client.force_login(world.actor(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"based_on": 0, "block": "赌球"}).status_code == 403
    assert not WordListVersion.objects.exists()


def test_the_page_asks_anonymous_visitors_to_sign_in(db, client) -> None:
    assert client.get(URL).status_code == 302
    assert reverse("core:word_lists") == URL
