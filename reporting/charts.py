"""Bar charts drawn on the server as SVG: no script, and no style attribute
(the Content Security Policy allows neither), only SVG's own attributes.
Each chart names itself for screen readers (role="img", a title and a
description) and is always shown beside the table it draws, which is the
accessible version; a suppressed value has no bar and is labelled [c]."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .disclosure import SUPPRESSED

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_AREA = 300
VALUE_WIDTH = 60
COLOUR = "#1d70b8"  # GOV.UK blue


def bar_chart(
    chart_id: str, title: str, description: str, bars: list[tuple[str, int | None]]
) -> SafeString:
    """Horizontal bars, one a (label, value); value None: suppressed."""
    largest = max((value for _label, value in bars if value), default=0)
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 6
        short = label if len(label) <= 38 else label[:36] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" font-size="14" '
            f'fill="#0b0c0c">{escape(short)}</text>'
        )
        bar = round(BAR_AREA * value / largest) if value and largest else 0
        if bar:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
                f'fill="{COLOUR}"></rect>'
            )
        shown = SUPPRESSED if value is None else str(value)
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{text_y}" font-size="14" '
            f'fill="#0b0c0c">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped above)
