"""The progress page's tables of chart values, drawn in Python.

Each chart has a table of its values, for screen readers and for reading exact figures: a row a
measure taken, which the template's loop drew through two filters each (0.3 ms of the page for
the benchmark's patient, with 13 values).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

from needlerx.core.charts import Point
from needlerx.web.templatetags.web_tags import local_date

register = template.Library()


VALUES_KEPT = 4096  # values drawn and kept (scores repeat: pain from 0 to 10, whole degrees)


@register.simple_tag
def chart_value_rows(points: Sequence[Point]) -> SafeString:
    """A row a value: its date where the clinic is, and the value to two decimals at most."""
    return mark_safe(  # noqa: S308 - each value is escaped
        "".join(
            f"<tr><td>{escape(local_date(point.at))}</td>"
            f'<td class="num">{_two_places(point.value)}</td></tr>'
            for point in points
        )
    )


@lru_cache(maxsize=VALUES_KEPT)
def _two_places(value: Any) -> str:
    """``floatformat:"-2"``, escaped, worked out once for each value (equal numbers, such as 5,
    5.0 and Decimal("5.00"), are drawn alike). It depends on nothing else, as NeedleRx formats
    numbers in one language (``USE_I18N = False``); Django's took about 6 µs a value."""
    return str(escape(floatformat(value, "-2")))
