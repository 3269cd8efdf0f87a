"""Arrows point down (DESIGN.md "Which app may import which"): a module importing an app above it, or
a capability importing another capability off the allowed arrows, fails here. A listener may import
only the emitter's `signals` module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "dangjian"
CAPABILITIES = {
    "members", "news", "disclosures", "learning", "courseware", "venues", "activities", "forum",
    "feedback", "evaluation", "funding", "honors", "dues", "development",
}  # fmt: skip
TOP = {"dashboards", "api", "portal", "demo"}
STRUCTURE = {"accounts": {"core"}, "stations": {"core", "accounts"}}
STRUCTURE["organizations"] = {"core", "accounts", "stations"}
# The people pages (role grants, registration, people lists) offer stations and organisations as choices:
# the top of the structure layer, imported by nothing below it.
STRUCTURE["people"] = {"core", "accounts", "stations", "organizations"}
BASE = {"core", *STRUCTURE}
# Capability arrows besides the structure layer and core.
CAPABILITY_ARROWS = {
    "dues": {"members"},
    "activities": {"venues"},
    "learning": {"courseware"},
    "evaluation": {"feedback"},
    "development": {"members", "activities", "learning"},
    "elections": {"members"},
}
# Imports that still point up, each with the reason; the list may only shrink (it is empty now).
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


def allowed(source: str, target: str, module: str) -> bool:
    if source == target or target == "core" or source in TOP:
        return True
    if target in TOP:
        return False
    if source == "core":
        return False
    if source in STRUCTURE:
        return target in STRUCTURE[source] or (source, target) in KNOWN_UPWARD
    if target in BASE:
        return True
    if module.endswith(".signals"):  # a listener reacts to another capability's events
        return True
    return target in CAPABILITY_ARROWS.get(source, set())


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(module, line) of every import of our apps; `from dangjian.x import signals` counts as x.signals."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dangjian."):
            names = {alias.name for alias in node.names}
            found.append(
                (f"{node.module}.signals" if names == {"signals"} else str(node.module), node.lineno)
            )
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("dangjian.")]
    return found


def upward_imports() -> list[str]:
    wrong = []
    for path in ROOT.rglob("*.py"):
        source = path.relative_to(ROOT).parts[0]
        if "migrations" in path.parts or source.endswith(".py"):
            continue
        for module, line in imports_of(path):
            target = module.split(".")[1]
            if not allowed(source, target, module):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return wrong


def test_no_upward_imports() -> None:
    wrong = upward_imports()
    assert not wrong, "\n".join(sorted(wrong))


@pytest.mark.parametrize(
    ("source", "target", "module"),
    [
        ("core", "accounts", "dangjian.accounts.models"),
        ("stations", "organizations", "dangjian.organizations.models"),
        ("accounts", "stations", "dangjian.stations.models"),
        ("organizations", "people", "dangjian.people.forms"),
        ("news", "members", "dangjian.members.selectors"),
        ("members", "portal", "dangjian.portal.views"),
        ("members", "dues", "dangjian.dues.models"),
    ],
)
def test_the_rule_refuses_an_upward_or_sideways_import(source: str, target: str, module: str) -> None:
    assert not allowed(source, target, module)


def test_the_rule_lets_a_listener_import_only_signals() -> None:
    assert allowed("disclosures", "dues", "dangjian.dues.signals")
    assert not allowed("disclosures", "dues", "dangjian.dues.services")
