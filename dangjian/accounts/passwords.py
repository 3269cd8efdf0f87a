from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError

CHARACTER_CLASSES = (
    ("小写字母", set(string.ascii_lowercase)),
    ("大写字母", set(string.ascii_uppercase)),
    ("数字", set(string.digits)),
)


class CharacterClassValidator:
    """At least 3 of 4 classes: lower case, upper case, digits, symbols."""

    required = 3

    def validate(self, password: str, user: Any = None) -> None:
        if self._classes_in(password) < self.required:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def _classes_in(self, password: str) -> int:
        found = sum(1 for _, chars in CHARACTER_CLASSES if any(ch in chars for ch in password))
        has_symbol = any(not ch.isalnum() for ch in password) or any(ord(ch) > 127 for ch in password)
        return found + int(has_symbol)

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"
