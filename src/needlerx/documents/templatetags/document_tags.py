"""Dates and times on paper, in the clinic's conventions (activated by documents.render)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.safestring import SafeString, mark_safe

from needlerx.core import local
from needlerx.treatments import words

register = template.Library()
register.filter("muscle_name", words.muscle_words)
register.filter("technique_name", words.technique_words)
register.filter("side_name", words.side_words)
register.filter("aftercare_name", words.aftercare_words)


@register.filter
def on_paper(value: dt.datetime | dt.date | str | None) -> str:
    """A moment ("Mar 31, 2026, 2:05 PM MDT"), a day ("Mar 31, 2026") or an ISO string kept in a
    sealed note, as the clinic writes it; "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            return local.format_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return local.format_datetime(value)
    return local.format_date(value)


@register.filter
def day_on_paper(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return local.format_day_of(value)
    return local.format_date(value)


# WeasyPrint styles an inline SVG from a <style> inside it, not from the page's stylesheet.
CHART_STYLE = (
    ".chart-axis{stroke:#5d6b79;stroke-width:1}.chart-grid{stroke:#e1e6ec;stroke-width:1}"
    ".chart-line{fill:none;stroke:#1f4e79;stroke-width:2.5}"
    ".chart-point{fill:#1f4e79;stroke:#fff;stroke-width:1.5}"
    ".chart-band{fill:#1b6e3a;fill-opacity:.12}"
    ".chart-band-edge{stroke:#1b6e3a;stroke-dasharray:5 4;stroke-width:1.2}"
    ".chart-label{font-size:11px;fill:#3d4955;font-family:sans-serif}"
)


@register.filter
def chart_for_paper(svg: str) -> SafeString:
    """A chart of core.charts (already escaped) with its colours inside it, for WeasyPrint."""
    head, _, rest = str(svg).partition(">")
    return mark_safe(f"{head}><style>{CHART_STYLE}</style>{rest}")  # noqa: S308 - our own SVG


@register.filter
def humanize(value: str | None) -> str:
    """A stored id in words: ``no_change`` -> "no change"."""
    return str(value or "").replace("_", " ")
