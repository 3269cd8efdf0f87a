"""Text messages: the `SmsSender` interface and its console gateway, the platform signature, and the
verification codes that sign a person in or let them choose a new password (hashed, five minutes,
five tries, throttled per mobile and per IP)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts import services
from dangjian.accounts.models import ApiToken, CodePurpose, PersonKind, User, VerificationCode
from dangjian.core import sms
from dangjian.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

MOBILE = "13952601234"
IP = "10.1.2.3"
NEW_PASSWORD = "Fengcheng#2027"


@pytest.fixture(autouse=True)
def outbox(settings: Any) -> Any:
    settings.SMS_SENDER = "dangjian.core.sms.LocmemSmsSender"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def person(db) -> User:
    """An imported member: the mobile is the login and there is no usable password yet."""
    user = UserFactory(username=MOBILE, mobile=MOBILE, person_kind=PersonKind.MEMBER)
    user.set_unusable_password()
    user.save()
    return user


def code_in(message: sms.SentMessage) -> str:
    found = re.search(r"验证码 (\d{6})", message.text)
    assert found, message.text
    return found.group(1)


def request_code(
    django_capture_on_commit_callbacks: Any, purpose: str = CodePurpose.LOGIN, **kw: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.sms_code_request(mobile=kw.get("mobile", MOBILE), purpose=purpose, ip=kw.get("ip", IP))


# ---------------------------------------------------------------- the interface and the signature


def test_messages_carry_the_platform_signature_once(outbox) -> None:
    sms.send_sms(mobile=MOBILE, text="您的验证码 123456")
    sms.send_sms(mobile=MOBILE, text="【楼宇党建】已签名的短信")
    assert [m.text for m in outbox] == ["【楼宇党建】您的验证码 123456", "【楼宇党建】已签名的短信"]


def test_the_console_sender_writes_to_the_log_and_sends_nothing(settings, caplog, capsys) -> None:
    settings.SMS_SENDER = "dangjian.core.sms.ConsoleSmsSender"
    sender = sms.sms_sender()
    assert isinstance(sender, sms.SmsSender) and isinstance(sender, sms.ConsoleSmsSender)
    with caplog.at_level(logging.WARNING, logger="dangjian.core.sms"):
        sms.send_sms(mobile=MOBILE, text="测试短信")
    assert "【楼宇党建】测试短信" in caplog.text and MOBILE in caplog.text
    assert "【楼宇党建】测试短信" in capsys.readouterr().err


def test_a_sender_without_send_is_refused(settings) -> None:
    settings.SMS_SENDER = "dangjian.core.sms.SmsError"  # a class without send()
    with pytest.raises(TypeError, match="not an SmsSender"):
        sms.sms_sender()


def test_the_default_setting_is_the_console() -> None:
    from django.conf import settings as real

    assert real.SMS_SENDER == sms.DEFAULT_SENDER or real.SMS_SENDER.endswith("SmsSender")


# ---------------------------------------------------------------- sending codes


@pytest.mark.django_db
def test_a_code_is_sent_signed_and_stored_only_as_a_keyed_hash(
    person, outbox, django_capture_on_commit_callbacks
) -> None:
    request_code(django_capture_on_commit_callbacks)
    [message] = outbox
    assert message.mobile == MOBILE and message.text.startswith("【楼宇党建】")
    assert "5 分钟内有效" in message.text
    code = code_in(message)
    row = VerificationCode.objects.get(mobile=MOBILE)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert timedelta(minutes=4) < row.expires_at - timezone.now() <= timedelta(minutes=5)
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="accounts.sms_code.send", target_id=str(person.pk)).exists()


@pytest.mark.django_db
def test_an_unregistered_mobile_gets_no_message_and_the_same_answer(
    outbox, client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:sms_login"), {"mobile": "13952609999", "send": "1"})
    assert outbox == [] and not VerificationCode.objects.exists()
    assert "如果该手机号已在平台登记，验证码已发送" in response.content.decode()


@pytest.mark.django_db
def test_one_code_per_mobile_per_minute(person, outbox, django_capture_on_commit_callbacks) -> None:
    request_code(django_capture_on_commit_callbacks)
    with pytest.raises(services.CodeRefused) as refused:
        request_code(django_capture_on_commit_callbacks, ip="10.9.9.9")  # another IP: still the same mobile
    assert refused.value.code == "too_soon" and len(outbox) == 1


@pytest.mark.django_db
def test_codes_are_throttled_per_ip_whatever_the_mobile(outbox, django_capture_on_commit_callbacks) -> None:
    for n in range(services.SMS_PER_IP_PER_HOUR):
        request_code(django_capture_on_commit_callbacks, mobile=f"1395261{n:04d}")
    with pytest.raises(services.CodeRefused) as refused:
        request_code(django_capture_on_commit_callbacks, mobile="13952619999")
    assert refused.value.code == "throttled"


@pytest.mark.django_db
def test_a_mobile_gets_at_most_ten_codes_a_day(
    person, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    clock = [1_800_000_000.0]
    monkeypatch.setattr("dangjian.core.throttle.time.time", lambda: clock[0])
    for n in range(services.SMS_PER_MOBILE_PER_DAY):
        request_code(django_capture_on_commit_callbacks, ip=f"10.0.{n}.1")
        clock[0] += services.SMS_RESEND_SECONDS  # the next minute
    with pytest.raises(services.CodeRefused) as refused:
        request_code(django_capture_on_commit_callbacks, ip="10.0.99.1")
    assert refused.value.code == "throttled" and "明天" in refused.value.message


# ---------------------------------------------------------------- using codes


@pytest.mark.django_db
def test_signing_in_with_a_code_lands_on_the_work_page(
    person, outbox, client, django_capture_on_commit_callbacks
) -> None:
    url = reverse("accounts:sms_login")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"mobile": MOBILE, "send": "1"})
    assert sent.status_code == 200 and sent.context["sent"]
    response = client.post(url, {"mobile": MOBILE, "code": code_in(outbox[0])})
    assert response.status_code == 302 and response["Location"] == reverse("portal:workpage")
    assert int(client.session["_auth_user_id"]) == person.pk
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="accounts.login.sms", actor=person).exists()
    # the code was used: it does not sign anyone in twice
    with pytest.raises(services.CodeRefused):
        services.sms_sign_in(mobile=MOBILE, code=code_in(outbox[0]), ip=IP)


@pytest.mark.django_db
def test_a_code_ends_after_five_minutes(person, outbox, django_capture_on_commit_callbacks) -> None:
    request_code(django_capture_on_commit_callbacks)
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.CodeRefused) as refused:
        services.sms_sign_in(mobile=MOBILE, code=code_in(outbox[0]), ip=IP)
    assert refused.value.code == "invalid" and "过期" in refused.value.message


@pytest.mark.django_db
def test_five_wrong_codes_end_the_code(person, outbox, django_capture_on_commit_callbacks) -> None:
    request_code(django_capture_on_commit_callbacks)
    right = code_in(outbox[0])
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    messages = []
    for _ in range(services.SMS_CODE_MAX_ATTEMPTS):
        with pytest.raises(services.CodeRefused) as refused:
            services.sms_sign_in(mobile=MOBILE, code=wrong, ip=IP)
        messages.append(refused.value.message)
    assert messages[0] == "验证码错误，还可尝试 4 次" and "已失效" in messages[-1]
    with pytest.raises(services.CodeRefused) as refused:
        services.sms_sign_in(mobile=MOBILE, code=right, ip=IP)  # the right code no longer works
    assert refused.value.code == "invalid"
    assert VerificationCode.objects.get().attempts == services.SMS_CODE_MAX_ATTEMPTS


@pytest.mark.django_db
def test_a_new_code_ends_the_older_one(
    person, outbox, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    clock = [1_800_000_000.0]
    monkeypatch.setattr("dangjian.core.throttle.time.time", lambda: clock[0])
    request_code(django_capture_on_commit_callbacks)
    clock[0] += services.SMS_RESEND_SECONDS
    request_code(django_capture_on_commit_callbacks)
    first, second = (code_in(m) for m in outbox)
    if first != second:
        with pytest.raises(services.CodeRefused):
            services.sms_sign_in(mobile=MOBILE, code=first, ip=IP)
    assert services.sms_sign_in(mobile=MOBILE, code=second, ip=IP) == person


@pytest.mark.django_db
def test_a_login_code_does_not_reset_and_checks_are_throttled_per_ip(
    person, outbox, django_capture_on_commit_callbacks
) -> None:
    request_code(django_capture_on_commit_callbacks, purpose=CodePurpose.LOGIN)
    with pytest.raises(services.CodeRefused):
        services.sms_password_reset(mobile=MOBILE, code=code_in(outbox[0]), password=NEW_PASSWORD, ip=IP)
    for _ in range(services.SMS_CHECKS_PER_IP_PER_HOUR - 1):
        with pytest.raises(services.CodeRefused):
            services.sms_sign_in(mobile="13952600000", code="000000", ip=IP)
    with pytest.raises(services.CodeRefused) as refused:
        services.sms_sign_in(mobile=MOBILE, code=code_in(outbox[0]), ip=IP)
    assert refused.value.code == "throttled"


@pytest.mark.django_db
def test_choosing_a_new_password_with_a_code(
    person, outbox, client, django_capture_on_commit_callbacks
) -> None:
    ApiToken.objects.create(user=person, name="旧手机", key_hash="z" * 64, prefix="djp_old")
    User.objects.filter(pk=person.pk).update(must_change_password=True)
    url = reverse("accounts:sms_reset")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"mobile": MOBILE, "send": "1"})
    code = code_in(outbox[0])
    weak = client.post(
        url, {"mobile": MOBILE, "code": code, "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    )
    assert weak.status_code == 200 and "3 类" in weak.content.decode()
    done = client.post(
        url, {"mobile": MOBILE, "code": code, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and not person.must_change_password
    assert ApiToken.objects.get(user=person).revoked_at is not None
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            action="accounts.password.reset_sms", target_id=str(person.pk)
        ).exists()
    signed_in = Client().post(reverse("accounts:login"), {"username": MOBILE, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


@pytest.mark.django_db
def test_a_password_like_the_name_is_refused_and_the_code_stays_usable(
    person, outbox, django_capture_on_commit_callbacks
) -> None:
    User.objects.filter(pk=person.pk).update(real_name="Zhangwei2026", email="zhangwei2026@example.cn")
    request_code(django_capture_on_commit_callbacks, purpose=CodePurpose.RESET)
    code = code_in(outbox[0])
    with pytest.raises(Exception, match=r"太相似|similar"):
        services.sms_password_reset(mobile=MOBILE, code=code, password="Zhangwei2026!", ip=IP)
    services.sms_password_reset(mobile=MOBILE, code=code, password=NEW_PASSWORD, ip=IP)


@pytest.mark.django_db
def test_a_temporary_password_holder_is_sent_to_use_it_or_reset(
    person, outbox, django_capture_on_commit_callbacks
) -> None:
    User.objects.filter(pk=person.pk).update(must_change_password=True)
    request_code(django_capture_on_commit_callbacks)
    with pytest.raises(services.CodeRefused) as refused:
        services.sms_sign_in(mobile=MOBILE, code=code_in(outbox[0]), ip=IP)
    assert refused.value.code == "temporary_password"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [{"mobile": "12345"}, {"mobile": MOBILE, "code": "12ab56"}, {"mobile": "党建" * 50}]
)
def test_bad_input_is_a_form_error(person, client, body) -> None:
    response = client.post(reverse("accounts:sms_login"), body)
    assert response.status_code == 200 and response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_pages_explain_the_limits(client) -> None:
    body = client.get(reverse("accounts:sms_login")).content.decode()
    assert "获取验证码" in body and "60 秒" in body and "输错 5 次" in body
    assert PASSWORD not in body
