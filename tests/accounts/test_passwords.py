"""Password rule: at least 8 characters and 3 of 4 character classes."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.mark.parametrize("password", ["Taizhou#88", "haiLing2026x", "fengcheng!9q", "FENGCHENG-2026"])
def test_good_passwords_pass(password: str) -> None:
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "words"),
    [("Ab1!", "8"), ("taizhouhailing", "3 类"), ("taizhou2026", "3 类"), ("TAIZHOUHAILING", "3 类")],
)
def test_weak_passwords_are_refused(password: str, words: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert any(words in m for m in excinfo.value.messages)


@pytest.mark.django_db
def test_password_change_page_applies_the_rule_and_audits(client) -> None:
    user = UserFactory(username="zhangwei")
    client.force_login(user)
    url = reverse("accounts:password_change")
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    )
    assert weak.status_code == 200 and "3 类" in weak.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    good = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Fengcheng#2026", "new_password2": "Fengcheng#2026"}
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Fengcheng#2026")
