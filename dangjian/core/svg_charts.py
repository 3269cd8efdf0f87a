"""Horizontal bar charts as SVG text, for documents rendered without a browser (the PDF reports): the
pages draw the same data with ECharts. Labels are escaped; sizes are in CSS pixels."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR = 16
GAP = 10
LABEL_WIDTH = 170
VALUE_WIDTH = 64


def horizontal_bars(
    categories: Sequence[str],
    values: Sequence[float],
    *,
    unit: str = "",
    width: int = 640,
    color: str = "#b71c1c",
) -> str:
    """One bar per category, longest for the largest value (0 when every value is 0)."""
    top = max(values, default=0) or 1
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    height = len(categories) * (BAR + GAP) + GAP
    rows = []
    for index, (label, value) in enumerate(zip(categories, values, strict=True)):
        y = GAP + index * (BAR + GAP)
        length = max(0.0, plot * value / top)
        shown = f"{value:g}{unit}"
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 3}" text-anchor="end" font-size="12">{escape(label[:14])}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{color}" rx="2"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR - 3}" font-size="12">{escape(shown)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="Noto Sans CJK SC, sans-serif">{"".join(rows)}</svg>'
    )
