"""The management centre tells each person what waits for them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.news import services
from tests.factories import PartyOrganizationFactory, UserFactory, grant
from tests.news.conftest import content


@pytest.mark.django_db
def test_todo_counts_for_an_instructor_and_an_admin(world, client) -> None:
    instructor = UserFactory(username="instructor_home")
    grant(instructor, Role.INSTRUCTOR, world.a)
    from dangjian.news.models import Column

    article = services.article_create(
        actor=world.worker_a, station=world.a, content=content(Column.objects.get(slug="yaowen"))
    )
    services.article_submit(actor=world.worker_a, article=article)
    today = timezone.localdate()
    PartyOrganizationFactory(
        station=world.a, term_start=today - timedelta(days=1500), term_end=today - timedelta(days=1)
    )
    client.force_login(instructor)
    response = client.get(reverse("portal:manage_home"))
    assert response.context["todo"]["articles_to_review"] == 1
    assert "篇文章待我审核" in response.content.decode()
    client.force_login(world.own_admin)
    response = client.get(reverse("portal:manage_home"))
    assert response.context["todo"]["terms_expired"] == 1
    client.force_login(world.other_admin)
    assert client.get(reverse("portal:manage_home")).context["todo"]["terms_expired"] == 0
