"""Likes under real concurrency: many simultaneous clicks of one person make one like (the unique
constraint decides), and many people at once are all counted."""

from __future__ import annotations

import pytest

from dangjian.accounts.models import User
from dangjian.forum import services
from dangjian.forum.models import Like, Topic
from tests import factories as f
from tests.concurrency import run_at_once
from tests.forum.builders import post

CLICKS = 8


@pytest.mark.django_db(transaction=True)
def test_one_person_clicking_at_once_makes_one_like(forum) -> None:
    topic = post(forum.member, forum.board_a)
    liker_pk = forum.member2.pk

    def click(index: int) -> tuple[bool, int]:
        return services.like_set(
            actor=User.objects.get(pk=liker_pk), post=Topic.objects.get(pk=topic.pk), liked=True
        )

    results = run_at_once(click, CLICKS)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert Like.objects.filter(topic=topic, reply__isnull=True).count() == 1
    assert Topic.objects.get(pk=topic.pk).like_count == 1


@pytest.mark.django_db(transaction=True)
def test_many_people_at_once_are_all_counted(forum) -> None:
    topic = post(forum.member, forum.board_a)
    people = [f.UserFactory(home_station=forum.a).pk for _ in range(CLICKS)]

    def click(index: int) -> tuple[bool, int]:
        return services.like_set(
            actor=User.objects.get(pk=people[index]), post=Topic.objects.get(pk=topic.pk), liked=True
        )

    results = run_at_once(click, CLICKS)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert Topic.objects.get(pk=topic.pk).like_count == CLICKS
