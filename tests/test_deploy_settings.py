"""Production settings pass `manage.py check --deploy`; sessions and headers follow the security rules."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_under_production_settings() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("SECURE_HTTPS", "DEBUG", "STATICFILES_BACKEND", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "k7#Qp2!vT9@xL4$zR8^mW1&nB6*cY3(hJ5)gF0-dS2+aE7=uI9_oP4",
            "ALLOWED_HOSTS": "dangjian.example.gov.cn",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_session_expires_after_30_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_security_headers_on_pages(client) -> None:
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_csrf_is_enforced_on_forms(world) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.own_admin)
    response = strict.post(f"/manage/units/{world.unit_a.pk}/edit/", {"name": "改名"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    world.unit_a.refresh_from_db()
    assert world.unit_a.name != "改名"
