"""Every permission rule that is defined is asked somewhere (a view, service, selector, template or
API), and templates ask named permissions, never a role or a person's attribute directly."""

from __future__ import annotations

import re
from pathlib import Path

import rules.permissions

ROOT = Path(__file__).resolve().parents[1]


def _code_and_templates() -> str:
    sources = [p for p in (ROOT / "dangjian").rglob("*.py") if p.name != "permissions.py"]
    templates = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "dangjian").rglob("*.html")]
    return "\n".join(p.read_text() for p in [*sources, *templates])


def test_every_defined_rule_is_asked_somewhere() -> None:
    text = _code_and_templates()
    unused = [
        name
        for name in sorted(rules.permissions.permissions)
        if f'"{name}"' not in text and f"'{name}'" not in text and f"perms.{name}" not in text
    ]
    assert not unused, f"rules defined but never asked: {unused}"


def test_templates_ask_named_permissions_only() -> None:
    pattern = re.compile(
        r"\{%\s*if[^%]*(perms\.[a-z_]+\s*(%|\band\b|\bor\b)|person_kind|is_superuser|is_staff|\.roles)"
    )
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in [*(ROOT / "templates").rglob("*.html"), *(ROOT / "dangjian").rglob("*.html")]
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, offenders
