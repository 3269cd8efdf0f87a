"""Production refuses to start with the repository's default `SECRET_KEY` or without `FIELD_ENCRYPTION_KEY`
(DESIGN.md, cross-cutting rules).

Two guards share `secret_errors()`:

- a system check (`config.E001`, `config.E002`) run by `manage.py check --deploy`, an error (not a warning),
  so the command fails whatever `--fail-level`;
- `refuse_insecure_start()`, called by `config/wsgi.py` and `config/asgi.py` (gunicorn, uvicorn) once Django
  is set up: with DEBUG off it raises `ImproperlyConfigured`, so the server process exits before serving.

Neither runs under pytest: pytest-django runs no system checks and imports neither entry point, so the test
suite works on a clean clone with the default key and DEBUG off. `make run` writes a random local `SECRET_KEY`
and `FIELD_ENCRYPTION_KEY` into `.env` on its first run, so the embedded default still starts in one command.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

# What config/settings.py falls back to when FIELD_ENCRYPTION_KEY is not set (a key derived from SECRET_KEY).
LOCAL_FIELD_KEY_PREFIX = "local-only-field-key-"
NEW_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'


def _weak_secret_key(key: str) -> bool:
    return (
        key.startswith(SECRET_KEY_INSECURE_PREFIX)
        or len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    )


def secret_errors() -> list[Error]:
    """What keeps these settings from running in production: the built-in or a weak SECRET_KEY, and a
    missing FIELD_ENCRYPTION_KEY."""
    errors = []
    if _weak_secret_key(str(getattr(settings, "SECRET_KEY", "") or "")):
        errors.append(
            Error(
                "SECRET_KEY 未设置或仍是代码仓库中的默认值（或过短、过于简单）：任何人都能据此伪造会话和签名，"
                "生产环境拒绝启动。",
                hint=f"在环境变量或 .env 中把 SECRET_KEY 设为至少 {SECRET_KEY_MIN_LENGTH} 个字符的随机串"
                f"（不要以 {SECRET_KEY_INSECURE_PREFIX} 开头），如 {NEW_KEY} 的输出。",
                id="config.E001",
            )
        )
    field_key = str(getattr(settings, "FIELD_ENCRYPTION_KEY", "") or "")
    if not field_key or field_key.startswith(LOCAL_FIELD_KEY_PREFIX):
        errors.append(
            Error(
                "未设置 FIELD_ENCRYPTION_KEY（公民身份号码加密密钥）：生产环境拒绝启动。",
                hint=f"在环境变量或 .env 中设置 FIELD_ENCRYPTION_KEY 为长随机串（如 {NEW_KEY} 的输出）并妥善保管："
                "更换后已存的号码将无法解密。",
                id="config.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_production_secrets(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return secret_errors()


def refuse_insecure_start() -> None:
    """Stop a production server (DEBUG off) that would run with the default or a missing key."""
    if settings.DEBUG:
        return
    errors = secret_errors()
    if errors:
        lines = [f"{error.id}: {error.msg} {error.hint}" for error in errors]
        raise ImproperlyConfigured("拒绝启动：\n" + "\n".join(lines))
