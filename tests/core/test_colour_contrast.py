"""Colour contrast of the theme, computed from the CSS itself (WCAG 2.x AA: 4.5:1 for text, 3:1 for large
text). Bootstrap's grey #6c757d was 4.27:1 on the page background #f6f4f1, its red on a light button
4.30:1, and the 注册 link on the login page was told from the text around it by colour alone (2.2:1).

Every rule of static/css/app.css, static/css/news.css and the dues page styles that sets a text colour is
checked against the background it sets, or else against the backgrounds it can sit on: white and the
page background, or the dark band it belongs to (header, hero, footer). tests/browser/test_every_page_at_375.py
checks the computed colours of every rendered page too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHEETS = [
    ROOT / "static/css/app.css",
    ROOT / "static/css/news.css",
    ROOT / "templates/dues/_styles.html",
]
HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _css(path: Path) -> str:
    return re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)


def variables() -> dict[str, str]:
    found: dict[str, str] = {}
    for selector, body in RULE.findall(_css(SHEETS[0])):
        if selector.strip() == ":root":
            for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+)", body):
                found[name] = value.strip()
    return found


VARS = variables()


def resolve(value: str) -> str:
    for _ in range(5):
        value = re.sub(r"var\((--[\w-]+)(?:,\s*([^)]+))?\)", lambda m: VARS.get(m[1], m[2] or ""), value)
    return value


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def luminance(colour: str) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colours(value: str) -> list[str]:
    value = resolve(value)
    value = re.sub(r"\b(white)\b", "#ffffff", value)
    return HEX.findall(value)


def declarations(body: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, v in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)}


def rules() -> list[tuple[str, str, dict[str, str]]]:
    out = []
    for sheet in SHEETS:
        for selector, body in RULE.findall(_css(sheet)):
            selector = selector.strip().split("}")[-1].strip()
            if selector.startswith("@") or selector == ":root":
                continue
            out.append((sheet.name, selector, declarations(body)))
    return out


def _background_of(selector: str) -> list[str]:
    """The backgrounds the band of `selector` declares (a gradient counts by every stop)."""
    for _, sel, props in rules():
        if sel == selector:
            return colours(props.get("background", props.get("background-color", "")))
    raise AssertionError(f"no rule {selector}")


# Text inside these bands sits on the band's own background, not on the page.
BANDS = {
    ".hero": ".hero",
    ".site-footer": ".site-footer",
    ".site-header": ".site-header",
    ".floor-label": ".floor-label",
}
PAGE = ["#ffffff", VARS["--dj-bg"]]


def _large(props: dict[str, str]) -> bool:
    size = re.search(r"([\d.]+)rem", props.get("font-size", ""))
    bold = props.get("font-weight", "") in {"700", "800", "900", "bold"}
    return bool(size) and (float(size[1]) >= 1.5 or (float(size[1]) >= 1.17 and bold))


def coloured_rules() -> list[tuple[str, str, str, list[str], float]]:
    """(sheet, selector, text colour, backgrounds, required ratio) of every rule that sets a text colour."""
    checked = []
    for sheet, selector, props in rules():
        text = colours(props.get("color", ""))
        if not text:
            continue
        behind = colours(props.get("background", props.get("background-color", "")))
        if not behind:
            band = next((b for key, b in BANDS.items() if key in selector), None)
            behind = _background_of(band) if band else PAGE
        checked.append((sheet, selector, text[0], behind, 3.0 if _large(props) else 4.5))
    return checked


def test_the_parser_finds_the_theme() -> None:
    assert VARS["--dj-bg"] == "#f6f4f1"
    assert len(coloured_rules()) > 20


@pytest.mark.parametrize(
    ("sheet", "selector", "text", "behind", "needed"), coloured_rules(), ids=lambda v: str(v)[:40]
)
def test_every_text_colour_meets_aa(sheet, selector, text, behind, needed) -> None:
    worst = min(contrast(text, bg) for bg in behind)
    assert worst >= needed, f"{sheet} {selector}: {text} on {behind} is {worst:.2f}:1, needs {needed}:1"


@pytest.mark.parametrize(
    ("what", "text", "behind"),
    [
        ("grey text (.text-secondary) on the page", VARS["--bs-secondary-color"], PAGE),
        (
            "grey text from its rgb variable",
            "#" + "".join(f"{int(v):02x}" for v in VARS["--bs-secondary-rgb"].split(",")),
            PAGE,
        ),
        ("white on the red primary button", "#ffffff", colours(VARS["--dj-red"])),
        ("white on the pressed red button", "#ffffff", colours(VARS["--dj-red-dark"])),
        ("red text (.text-danger, light buttons)", VARS["--bs-danger"], [*PAGE, "#f8f9fa"]),
        ("links", VARS["--bs-link-color"], PAGE),
        ("form errors", VARS["--bs-form-invalid-color"], PAGE),
        ("inline code", VARS["--bs-code-color"], PAGE),
    ],
    ids=lambda v: str(v)[:30],
)
def test_theme_variables_meet_aa(what, text, behind) -> None:
    worst = min(contrast(text, bg) for bg in behind)
    assert worst >= 4.5, f"{what}: {text} on {behind} is {worst:.2f}:1"


def test_the_old_colours_would_fail() -> None:
    """The check can fail: Bootstrap's defaults the theme replaces are below 4.5:1 where they were used."""
    assert contrast("#6c757d", "#f6f4f1") < 4.5
    assert contrast("#dc3545", "#f8f9fa") < 4.5
    assert contrast("#b3141a", "#212529") < 3  # a link told from text by colour alone


def test_links_in_running_text_are_underlined() -> None:
    """A link inside a sentence (登录页的“注册”) is underlined, since its colour is too close to the text's."""
    underlined = [
        sel for _, sel, props in rules() if props.get("text-decoration", "").startswith("underline")
    ]
    assert any("main :is(p," in sel and "> a" in sel for sel in underlined), underlined
