"""The progress page's tables of chart values drawn in one call are what the template's loop
drew, byte for byte: each date where the clinic is, in its style, and each value to two
decimals at most (a whole number without any)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template

from needlerx.core.charts import Point
from needlerx.core.local import MONTH_FIRST, LocalConventions, activated

# The rows as the progress template looped over them before ``chart_value_rows``.
ROWS_AS_A_TEMPLATE_LOOP = (
    "{% load web_tags %}{% for point in points %}<tr><td>{{ point.at|local_date }}</td>"
    '<td class="num">{{ point.value|floatformat:"-2" }}</td></tr>{% endfor %}'
)
DRAWN = "{% load progress_tags %}{% chart_value_rows points %}"

LATE_EVENING = dt.datetime(2026, 11, 30, 4, 30, tzinfo=dt.UTC)  # Nov 29 in Denver
POINTS = [
    Point(LATE_EVENING, 7.0),
    Point(LATE_EVENING + dt.timedelta(days=3), 4.25),
    Point(LATE_EVENING + dt.timedelta(days=6), 33.3333),
    Point(LATE_EVENING + dt.timedelta(days=9), 0.0),
]


@pytest.mark.parametrize("points", [[], POINTS])
@pytest.mark.parametrize(
    "conventions",
    [LocalConventions(), LocalConventions(time_zone="America/Denver", date_style=MONTH_FIRST)],
)
def test_the_value_rows_are_what_the_template_loop_drew(points, conventions) -> None:
    context = {"points": points}
    with activated(conventions):
        looped = Template(ROWS_AS_A_TEMPLATE_LOOP).render(Context(context))
        drawn = Template(DRAWN).render(Context(context))
    assert drawn == looped
    if points:
        assert "4.25" in drawn and "33.33" in drawn


def test_values_kept_once_drawn_are_drawn_again_as_the_template_loop_drew_them() -> None:
    """Each value is worked out once and kept: drawn again, and next to an equal value of
    another type (5, 5.0 and Decimal("5.00") are one key), it is the same."""
    alike: list[Any] = [5, 5.0, Decimal("5.00"), Decimal("5.125"), 2.675, -0.004, 1234.5, True]
    points = [Point(LATE_EVENING + dt.timedelta(days=n), value) for n, value in enumerate(alike)]
    context = {"points": points}
    looped = Template(ROWS_AS_A_TEMPLATE_LOOP).render(Context(context))
    for _ in range(2):
        assert Template(DRAWN).render(Context(context)) == looped
        assert Template(DRAWN).render(Context({"points": points[::-1]})) == Template(
            ROWS_AS_A_TEMPLATE_LOOP
        ).render(Context({"points": points[::-1]}))
