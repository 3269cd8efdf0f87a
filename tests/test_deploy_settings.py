"""Production settings pass `manage.py check --deploy`; the repository's default `SECRET_KEY` or a missing
`FIELD_ENCRYPTION_KEY` fail it and stop the production servers; the demo payment gateway is off by default;
`make run` writes random local keys; sessions and headers follow the security rules."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "k7#Qp2!vT9@xL4$zR8^mW1&nB6*cY3(hJ5)gF0-dS2+aE7=uI9_oP4",
    "FIELD_ENCRYPTION_KEY": "Yq3vN8sK1pW6zR0tB4mH7cX2jL9fD5gA-production-field-key",
    "ALLOWED_HOSTS": "dangjian.example.gov.cn",
}
# What the clean process must not inherit: a developer's keys and switches, and the test run's own settings.
INHERITED = (
    "SECURE_HTTPS",
    "DEMO_DATA",
    "DEBUG",
    "STATICFILES_BACKEND",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "DUES_DEMO_PROVIDER",
    "DUES_DEMO_PROVIDER_KEY",
)


def run_clean(args: list[str], env_file: str = os.devnull, **variables: str) -> subprocess.CompletedProcess:
    """`python <args>` in a fresh process with DEBUG off, nothing but `variables` set and no `.env` read
    (a developer's `.env`, written by `make run`, would hide the defaults) unless `env_file` names one."""
    env = {key: value for key, value in os.environ.items() if key not in INHERITED}
    env.update({"DEBUG": "0", "DJANGO_ENV_FILE": env_file, **variables})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = run_clean(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_with_the_default_secret_key_and_no_encryption_key() -> None:
    result = run_clean(["manage.py", "check", "--deploy"], ALLOWED_HOSTS="dangjian.example.gov.cn")
    assert result.returncode != 0
    assert "(config.E001) SECRET_KEY 未设置或仍是代码仓库中的默认值" in result.stderr, result.stderr
    assert "(config.E002) 未设置 FIELD_ENCRYPTION_KEY" in result.stderr


@pytest.mark.parametrize(
    ("missing", "error"), [("SECRET_KEY", "config.E001"), ("FIELD_ENCRYPTION_KEY", "config.E002")]
)
def test_check_deploy_fails_when_one_key_is_missing(missing: str, error: str) -> None:
    variables = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = run_clean(["manage.py", "check", "--deploy"], **variables)
    assert result.returncode != 0 and f"({error})" in result.stderr, result.stderr
    assert result.stderr.count("(config.E") == 1


@pytest.mark.parametrize("entry", ["config.wsgi", "config.asgi"])
def test_production_servers_refuse_to_start_with_the_default_keys(entry: str) -> None:
    refused = run_clean(["-c", f"import {entry}"])
    assert refused.returncode != 0
    assert "ImproperlyConfigured: 拒绝启动" in refused.stderr and "config.E001" in refused.stderr
    assert run_clean(["-c", f"import {entry}"], **PRODUCTION).returncode == 0
    assert run_clean(["-c", f"import {entry}"], DEBUG="1").returncode == 0  # a developer's DEBUG run


CELERY_START = (
    "import django; django.setup(); from celery import signals; import config.celery; "
    "signals.worker_init.send(sender=None); signals.beat_init.send(sender=None)"
)


def test_celery_worker_and_beat_refuse_to_start_with_the_default_keys() -> None:
    refused = run_clean(["-c", CELERY_START], DJANGO_SETTINGS_MODULE="config.settings")
    assert refused.returncode != 0 and "config.E001" in refused.stderr
    started = run_clean(["-c", CELERY_START], DJANGO_SETTINGS_MODULE="config.settings", **PRODUCTION)
    assert started.returncode == 0, started.stderr


def test_the_demo_payment_gateway_is_off_by_default() -> None:
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "from dangjian.dues.providers import providers; "
        "print(settings.DUES_DEMO_PROVIDER, repr(settings.DUES_DEMO_PROVIDER_KEY), sorted(providers()))"
    )
    result = run_clean(["-c", probe], DJANGO_SETTINGS_MODULE="config.settings")
    assert result.stdout.split() == ["False", "''", "[]"], result.stdout + result.stderr


def test_make_run_writes_random_local_keys_once(tmp_path: Path) -> None:
    """`make run` on a fresh clone: its first step writes `.env` with random keys (git-ignored); with it and the
    demo switch `make run` sets, the production checks pass, the ASGI server starts and the demo gateway is on."""
    make = [
        "make",
        "-s",
        "-f",
        str(ROOT / "Makefile"),
        "-C",
        str(tmp_path),
        f"PYTHON={sys.executable}",
        ".env",
    ]
    subprocess.run(make, check=True, capture_output=True, timeout=60)
    env_file = tmp_path / ".env"
    first = env_file.read_text()
    values = dict(line.split("=", 1) for line in first.splitlines() if line and not line.startswith("#"))
    assert set(values) == {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DUES_DEMO_PROVIDER_KEY"}
    assert len(set(values.values())) == 3 and all(len(value) >= 50 for value in values.values())
    assert env_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    subprocess.run(make, check=True, capture_output=True, timeout=60)
    assert env_file.read_text() == first  # an existing .env is kept

    checked = run_clean(["manage.py", "check", "--deploy"], env_file=str(env_file), DUES_DEMO_PROVIDER="1")
    assert "config.E00" not in checked.stderr and "dues.E001" not in checked.stderr, checked.stderr
    assert run_clean(["-c", "import config.asgi"], env_file=str(env_file)).returncode == 0
    probe = "import django; django.setup(); from dangjian.dues.providers import providers; print(sorted(providers()))"
    on = run_clean(
        ["-c", probe],
        env_file=str(env_file),
        DUES_DEMO_PROVIDER="1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    assert on.stdout.strip() == "['demo']", on.stdout + on.stderr


def test_env_is_git_ignored() -> None:
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "/.env" in ignored, ".env holds local secrets and must be git-ignored"


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
