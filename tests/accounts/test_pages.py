"""Profile, API tokens, the station switcher and the error pages."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from dangjian.accounts.models import ApiToken
from dangjian.core import views as core_views
from dangjian.core.models import AuditEvent


@pytest.mark.django_db
def test_profile_update_is_validated_and_audited(world, client) -> None:
    client.force_login(world.member)
    url = reverse("accounts:profile")
    bad = client.post(url, {"real_name": "李秀英", "mobile": "12345", "email": ""})
    assert "11 位手机号码" in bad.content.decode()
    taken = client.post(url, {"real_name": "李秀英", "mobile": world.own_admin.mobile, "email": ""})
    assert taken.status_code == 200
    world.member.refresh_from_db()
    assert world.member.mobile != world.own_admin.mobile
    good = client.post(url, {"real_name": "李秀英", "mobile": "13952699999", "email": "lxy@example.cn"})
    assert good.status_code == 302
    world.member.refresh_from_db()
    assert world.member.mobile == "13952699999"
    event = AuditEvent.objects.with_scopes_disabled().get(action="accounts.profile.update")
    assert event.data["mobile"][1] == "13952699999"


@pytest.mark.django_db
def test_token_page_shows_secret_once_and_revokes(world, client) -> None:
    client.force_login(world.member)
    response = client.post(reverse("accounts:tokens"), {"name": "手机客户端"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=world.member)
    assert "djp_" in body and token.key_hash not in body
    assert "djp_" not in client.get(reverse("accounts:tokens")).content.decode().replace(token.prefix, "")
    empty = client.post(reverse("accounts:tokens"), {"name": "  "})
    assert empty.status_code == 200 and ApiToken.objects.filter(user=world.member).count() == 1
    client.post(reverse("accounts:token_revoke", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_station_switcher_remembers_choice(world, client) -> None:
    response = client.post(reverse("portal:switch_station"), {"station": world.b.pk, "next": "/"})
    assert response["Location"] == world.b.get_absolute_url()
    assert world.b.name in client.get("/").content.decode()
    bad = client.post(reverse("portal:switch_station"), {"station": "abc"})
    assert bad["Location"] == "/"
    offsite = client.post(
        reverse("portal:switch_station"), {"station": world.b.pk, "next": "https://evil.example/manage/"}
    )
    assert offsite["Location"] == world.b.get_absolute_url()


@pytest.mark.django_db
def test_error_pages_are_friendly_chinese(client) -> None:
    assert "页面不存在" in client.get("/no-such-page/").content.decode()
    request = RequestFactory().get("/")
    response = core_views.server_error(request)
    assert response.status_code == 500 and "服务暂时不可用" in response.content.decode()


@pytest.mark.django_db
def test_logout_needs_post(world, client) -> None:
    client.force_login(world.member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session
