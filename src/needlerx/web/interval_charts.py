"""Server-rendered SVG dot-and-whisker charts: one row per figure, a dot for the value and a line
for its 95 % confidence interval; published figures are drawn as hollow diamonds. Each chart has
a title and a description, and the page puts a table of the same numbers beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 250
RIGHT, TOP, ROW, AXIS = 24, 8, 34, 30
TICKS = 4


@dataclass(frozen=True)
class IntervalRow:
    label: str
    value: float
    low: float | None = None
    high: float | None = None
    published: bool = False

    @property
    def words(self) -> str:
        shown = f"{self.label}: {self.value:g}"
        if self.low is not None and self.high is not None:
            shown += f" (95 % confidence interval {self.low:g} to {self.high:g})"
        return shown


def _nice_top(value: float) -> float:
    """A round axis end at or above ``value`` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** len(str(int(value))) / 10 if value >= 1 else 0.1
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _x(value: float, top: float) -> float:
    plot = WIDTH - LABEL_WIDTH - RIGHT
    return LABEL_WIDTH + min(max(value, 0.0), top) / top * plot


def _row(row: IntervalRow, index: int, top: float) -> str:
    y = TOP + index * ROW + ROW / 2
    parts = [
        f'<text class="chart-label interval-label" x="{LABEL_WIDTH - 8}" y="{y + 4:.1f}" '
        f'text-anchor="end">{escape(row.label)}</text>'
    ]
    if row.low is not None and row.high is not None:
        left, right = _x(row.low, top), _x(row.high, top)
        parts.append(
            f'<line class="interval-whisker" x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" '
            f'y2="{y:.1f}"/><line class="interval-whisker" x1="{left:.1f}" x2="{left:.1f}" '
            f'y1="{y - 6:.1f}" y2="{y + 6:.1f}"/><line class="interval-whisker" x1="{right:.1f}" '
            f'x2="{right:.1f}" y1="{y - 6:.1f}" y2="{y + 6:.1f}"/>'
        )
    x = _x(row.value, top)
    if row.published:
        parts.append(
            f'<path class="interval-published" d="M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} '
            f'L{x:.1f},{y + 7:.1f} L{x - 7:.1f},{y:.1f} Z">'
            f"<title>{escape(row.words)}</title></path>"
        )
    else:
        parts.append(
            f'<circle class="interval-point" cx="{x:.1f}" cy="{y:.1f}" r="6">'
            f"<title>{escape(row.words)}</title></circle>"
        )
    return "".join(parts)


def interval_chart(
    *,
    chart_id: str,
    title: str,
    unit: str,
    rows: Sequence[IntervalRow],
    x_max: float | None = None,
) -> SafeString:
    """Rows top to bottom on one shared axis from 0 to ``x_max`` (or a round value above the
    highest end of any interval)."""
    highest = max([r.high if r.high is not None else r.value for r in rows] + [0.0])
    top = x_max or _nice_top(highest * 1.05)
    height = TOP + len(rows) * ROW + AXIS
    bottom = TOP + len(rows) * ROW
    description = "; ".join(row.words for row in rows) + f" ({unit})."
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-t '
        f'{chart_id}-d"><title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
    ]
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        x = _x(value, top)
        parts.append(
            f'<line class="chart-grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom}"/>'
            f'<text class="chart-label" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{value:.4g}</text>"
        )
    parts.append(
        f'<line class="chart-axis" x1="{LABEL_WIDTH}" x2="{WIDTH - RIGHT}" y1="{bottom}" '
        f'y2="{bottom}"/><text class="chart-label" x="{WIDTH - RIGHT}" y="{height - 2}" '
        f'text-anchor="end">{escape(unit)}</text>'
    )
    parts.extend(_row(row, index, top) for index, row in enumerate(rows))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped
