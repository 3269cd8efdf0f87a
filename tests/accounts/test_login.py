"""Sign-in by username or mobile; lockout of (IP, username) after 5 failures for 30 minutes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import LoginFailure
from dangjian.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

LOGIN = "accounts:login"


def attempt(client, username: str, password: str, ip: str = "10.1.1.1"):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_login_by_username_and_by_mobile(client) -> None:
    user = UserFactory(username="zhangwei", mobile="13905231234")
    assert attempt(client, "zhangwei", PASSWORD).status_code == 302
    assert is_signed_in(client)
    client.logout()
    assert attempt(client, "13905231234", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_sixth_attempt_is_refused_even_with_the_right_password(client) -> None:
    UserFactory(username="zhangwei")
    for n in range(5):
        response = attempt(client, "zhangwei", f"wrong-{n}")
        assert response.status_code == 200 and not is_signed_in(client)
    response = attempt(client, "zhangwei", PASSWORD)
    assert not is_signed_in(client)
    assert "锁定" in response.content.decode()


@pytest.mark.django_db
def test_fifth_failure_message_says_the_account_is_now_locked(client) -> None:
    UserFactory(username="zhangwei")
    messages = [attempt(client, "zhangwei", "bad").content.decode() for _ in range(5)]
    assert "还可尝试 4 次" in messages[0]
    assert "30 分钟内不能再登录" in messages[4]
    assert AuditEvent.objects.with_scopes_disabled().filter(action="accounts.login.locked").count() == 1  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_other_user_from_same_ip_is_not_locked(client) -> None:
    UserFactory(username="zhangwei")
    UserFactory(username="lixiuying")
    for _ in range(6):
        attempt(client, "zhangwei", "wrong")
    assert attempt(client, "lixiuying", PASSWORD).status_code == 302
    assert is_signed_in(client)


@pytest.mark.django_db
def test_same_user_from_another_ip_is_not_locked(client) -> None:
    UserFactory(username="zhangwei")
    for _ in range(6):
        attempt(client, "zhangwei", "wrong", ip="10.1.1.1")
    assert attempt(client, "zhangwei", PASSWORD, ip="10.2.2.2").status_code == 302


@pytest.mark.django_db
def test_lock_ends_after_30_minutes(client) -> None:
    UserFactory(username="zhangwei")
    for _ in range(5):
        attempt(client, "zhangwei", "wrong")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=31))
    assert attempt(client, "zhangwei", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_username_case_and_spaces_do_not_dodge_the_lock(client) -> None:
    UserFactory(username="zhangwei")
    for variant in ("zhangwei", "ZhangWei", " zhangwei", "ZHANGWEI ", "zhangWEI"):
        attempt(client, variant, "wrong")
    attempt(client, "zhangwei", PASSWORD)
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_success_clears_earlier_failures(client) -> None:
    UserFactory(username="zhangwei")
    for _ in range(3):
        attempt(client, "zhangwei", "wrong")
    attempt(client, "zhangwei", PASSWORD)
    assert LoginFailure.objects.count() == 0


@pytest.mark.django_db
def test_unknown_user_failures_are_counted_too(client) -> None:
    for _ in range(5):
        attempt(client, "nobody", "wrong")
    response = attempt(client, "nobody", "wrong")
    assert "锁定" in response.content.decode()


@pytest.mark.django_db
def test_open_redirect_is_refused(client) -> None:
    UserFactory(username="zhangwei")
    response = client.post(
        reverse(LOGIN) + "?next=https://evil.example/", {"username": "zhangwei", "password": PASSWORD}
    )
    assert response["Location"] == "/"
