"""Personal ID numbers at rest (DESIGN.md): encrypted with a key from the environment, found again by a
keyed hash, shown masked. Only ciphertext and hash reach the database."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet() -> Fernet:
    return Fernet(_derived_key(b"dangjian-field-encryption"))


@cache
def _hash_key() -> bytes:
    return _derived_key(b"dangjian-field-hash")


def _derived_key(purpose: bytes) -> bytes:
    """Separate keys for encryption and hashing, both derived from FIELD_ENCRYPTION_KEY."""
    secret = settings.FIELD_ENCRYPTION_KEY
    if not secret:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set")
    digest = hmac.new(secret.encode(), purpose, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("无法解密：密钥不匹配或数据已损坏") from exc


def keyed_hash(plain: str) -> str:
    """Deterministic lookup key (HMAC-SHA256): equal inputs give equal hashes, the input is not recoverable."""
    return hmac.new(_hash_key(), plain.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask_id_number(plain: str) -> str:
    """`320***********1234`: the first three and the last four characters."""
    plain = plain or ""
    if len(plain) <= 7:
        return "*" * len(plain)
    return f"{plain[:3]}{'*' * (len(plain) - 7)}{plain[-4:]}"
