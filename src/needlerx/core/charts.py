"""Small server-rendered SVG line charts with an MCID band. Hand-written so the page, a PDF
and a screen reader all get the same picture: each chart has a title, a description and a
table of its values next to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from needlerx.core import local

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 24, 32
TICKS = 5


@dataclass(frozen=True)
class Point:
    at: dt.datetime
    value: float


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    label: str


def _scale(low: float, high: float, size: float, value: float, invert: bool = False) -> float:
    span = high - low or 1.0
    fraction = (value - low) / span
    return (1 - fraction) * size if invert else fraction * size


def _y_range(
    points: Sequence[Point],
    band: Band | None,
    fixed: tuple[float, float] | None,
    bounds: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """``fixed`` as given; otherwise fitted to the values and the band, inside ``bounds``."""
    if fixed is not None:
        return fixed
    values = [p.value for p in points] + ([band.low, band.high] if band else [])
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return low, high


def _x_positions(points: Sequence[Point], width: float) -> list[float]:
    if len(points) == 1:
        return [width / 2]
    start, end = points[0].at, points[-1].at
    span = (end - start).total_seconds() or 1.0
    return [(p.at - start).total_seconds() / span * width for p in points]


def line_chart(
    *,
    chart_id: str,
    title: str,
    unit: str,
    points: Sequence[Point],
    band: Band | None = None,
    y_range: tuple[float, float] | None = None,
    y_bounds: tuple[float, float] | None = None,
) -> SafeString:
    """An SVG line chart of ``points`` (oldest first) with an optional shaded band: the y axis
    is ``y_range``, or fitted to the data inside ``y_bounds``."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    low, high = _y_range(points, band, y_range, y_bounds)
    xs = [LEFT + x for x in _x_positions(points, plot_w)]
    ys = [TOP + _scale(low, high, plot_h, p.value, invert=True) for p in points]
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart_id}-t '
        f'{chart_id}-d"><title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(_describe(points, unit, band))}</desc>'
    ]
    for tick in range(TICKS + 1):
        value = low + (high - low) * tick / TICKS
        y = TOP + _scale(low, high, plot_h, value, invert=True)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart-label" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{value:.4g}</text>"
        )
    if band is not None:
        top = TOP + _scale(low, high, plot_h, min(max(band.high, low), high), invert=True)
        bottom = TOP + _scale(low, high, plot_h, max(min(band.low, high), low), invert=True)
        parts.append(
            f'<rect class="chart-band" x="{LEFT}" y="{top:.1f}" width="{plot_w}" '
            f'height="{max(bottom - top, 0):.1f}"><title>{escape(band.label)}</title></rect>'
            f'<line class="chart-band-edge" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{top:.1f}" '
            f'y2="{top:.1f}"/><line class="chart-band-edge" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{bottom:.1f}" y2="{bottom:.1f}"/>'
        )
    parts.append(
        f'<line class="chart-axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}"/>'
        f'<line class="chart-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
        f'y2="{TOP + plot_h}"/>'
    )
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
        parts.append(f'<polyline class="chart-line" points="{path}"/>')
    for point, x, y in zip(points, xs, ys, strict=True):
        label = f"{_day(point.at)}: {point.value:g} {unit}"
        parts.append(
            f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{escape(label)}</title></circle>"
        )
    for index in sorted({0, len(points) - 1}):
        anchor = "end" if index and index == len(points) - 1 else "start"
        parts.append(
            f'<text class="chart-label" x="{xs[index]:.1f}" y="{HEIGHT - 14}" '
            f'text-anchor="{anchor}">{_day(points[index].at)}</text>'
        )
    parts.append(f'<text class="chart-label" x="4" y="{TOP - 4}">{escape(unit)}</text></svg>')
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped


def _day(moment: dt.datetime) -> str:
    """The day of a measurement where the clinic is, in its date style."""
    return local.format_date(
        timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    )


def _describe(points: Sequence[Point], unit: str, band: Band | None) -> str:
    first, last = points[0], points[-1]
    text = (
        f"{len(points)} measurements from {_day(first.at)} ({first.value:g} {unit}) "
        f"to {_day(last.at)} ({last.value:g} {unit})."
    )
    return f"{text} Shaded: {band.label}." if band else text
