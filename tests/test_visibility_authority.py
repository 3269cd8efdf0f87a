"""One visibility authority (DESIGN.md): role look-ups and the filters built from them live only in
`dangjian.accounts`. A selector or service elsewhere that reads role assignments itself (and so could
forget a filter) fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "dangjian"
# Reading grants or assignments directly, or filtering people by their roles.
FORBIDDEN_NAMES = {"grants_of", "RoleAssignment", "officer_organization_ids", "stations_with_exact_role"}
FORBIDDEN_LOOKUP_PREFIX = "roles__"
ALLOWED_DIRS = {"accounts", "demo", "migrations"}


def _python_files() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if not ALLOWED_DIRS & set(p.relative_to(ROOT).parts)]


def _violations(path: Path) -> list[str]:
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Name | ast.alias):
            name = node.id if isinstance(node, ast.Name) else node.name.rsplit(".", 1)[-1]
            if name in FORBIDDEN_NAMES:
                found.append(f"{where}:{getattr(node, 'lineno', '?')} uses {name}")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"{where}:{node.lineno} uses {node.attr}")
        elif isinstance(node, ast.keyword) and (node.arg or "").startswith(FORBIDDEN_LOOKUP_PREFIX):
            found.append(f"{where}:{node.lineno} filters by {node.arg}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith(FORBIDDEN_LOOKUP_PREFIX)
        ):
            found.append(f"{where}:{node.lineno} filters by {node.value}")
    return found


def test_no_role_lookups_outside_the_visibility_module() -> None:
    violations = [v for path in _python_files() for v in _violations(path)]
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize(
    "source",
    [
        "from dangjian.accounts.permissions import grants_of\n",
        "User.objects.filter(roles__role='instructor')\n",
        "RoleAssignment.objects.filter(role='x')\n",
    ],
)
def test_the_rule_catches_each_kind_of_lookup(tmp_path: Path, source: str) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(source)
    assert _violations(probe)
