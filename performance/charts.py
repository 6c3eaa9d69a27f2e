"""Month-by-month column charts drawn on the server as SVG: no script, no
inline style (the colours are classes of frontend/_app.scss), so the page
keeps its Content Security Policy. Each chart is an image with a title and a
description (`role="img"`, `aria-labelledby`), and the page shows the same
figures in a table beside it, so nothing is in the picture alone.

A month whose figure is suppressed or missing has no column and says so
under the axis ("[c]" or "–"); the target is a dashed line across."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 640
HEIGHT = 260
LEFT = 44  # room for the axis's labels
RIGHT = 12
TOP = 12
BOTTOM = 44  # room for the months and the suppressed marks


@dataclass(frozen=True)
class Point:
    label: str  # the month, e.g. "Mar 26"
    value: float | None  # 0 to 100, None when not shown
    shown: str  # what the table says: "73%", "[c]", "–"


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - min(max(value, 0.0), 100.0) / 100)


def column_chart(
    *, chart_id: str, title: str, description: str, points: Sequence[Point], target: float | None
) -> SafeString:
    """An SVG column chart of percentages (0 to 100) with the target line."""
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(points), 1)
    bar = slot * 0.6
    grid = format_html_join(
        "",
        '<line class="app-chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="app-chart__axis-label" x="{}" y="{}" text-anchor="end">{}%</text>',
        (
            (LEFT, WIDTH - RIGHT, f"{_y(v):.1f}", f"{_y(v):.1f}", LEFT - 6, f"{_y(v) + 4:.1f}", v)
            for v in (0, 25, 50, 75, 100)
        ),
    )
    columns = []
    for index, point in enumerate(points):
        x = LEFT + slot * index + (slot - bar) / 2
        middle = LEFT + slot * index + slot / 2
        if point.value is not None:
            top = _y(point.value)
            columns.append(
                format_html(
                    '<rect class="app-chart__column" x="{}" y="{}" width="{}" height="{}"></rect>',
                    f"{x:.1f}",
                    f"{top:.1f}",
                    f"{bar:.1f}",
                    f"{_y(0) - top:.1f}",
                )
            )
        else:
            columns.append(
                format_html(
                    '<text class="app-chart__note" x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{middle:.1f}",
                    f"{_y(0) - 6:.1f}",
                    point.shown,
                )
            )
        columns.append(
            format_html(
                '<text class="app-chart__axis-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{middle:.1f}",
                f"{_y(0) + 18:.1f}",
                point.label,
            )
        )
    target_line = (
        format_html(
            '<line class="app-chart__target" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
            '<text class="app-chart__target-label" x="{}" y="{}" text-anchor="end">{}</text>',
            LEFT,
            WIDTH - RIGHT,
            f"{_y(target):.1f}",
            f"{_y(target):.1f}",
            WIDTH - RIGHT,
            f"{_y(target) - 4:.1f}",
            _("Target %(target)s%%") % {"target": f"{target:.0f}"},
        )
        if target is not None
        else ""
    )
    return format_html(
        '<svg class="app-chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{grid}{columns}{target}"
        "</svg>",
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        grid=grid,
        columns=SafeString("".join(columns)),
        target=target_line,
    )


def describe(title: str, points: Sequence[Point], target: float | None) -> str:
    """The chart's description for a screen reader: every month's figure."""
    months = "; ".join(f"{point.label}: {point.shown}" for point in points)
    text = _("%(title)s, by month.") % {"title": title}
    if target is not None:
        text += " " + _("Target %(target)s%%.") % {"target": f"{target:.0f}"}
    return f"{text} {months}."
