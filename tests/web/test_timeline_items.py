"""The chart's timeline entries drawn in one call are what the template's loop drew, byte for
byte: every value escaped, a link only where the entry has one, a badge and a detail only where
it has them, the time in the clinic's zone and style."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from needlerx.core.local import MONTH_FIRST, LocalConventions, activated
from needlerx.web.timeline import TimelineEntry

# The timeline as the chart's template looped over it before ``timeline_items``.
TIMELINE_AS_A_TEMPLATE_LOOP = """{% load web_tags %}<ol class="timeline">
        {% for entry in timeline %}
        <li class="kind-{{ entry.kind }}">
          <span class="when">{{ entry.when|local_datetime }}</span>
          <span class="what">{% if entry.url %}<a href="{{ entry.url }}">{{ entry.title }}</a>{% else %}{{ entry.title }}{% endif %}</span>
          {% if entry.badge %}<span class="badge badge-{{ entry.badge }}">{{ entry.badge_label }}</span>{% endif %}
          {% if entry.detail %}<div class="small muted">{{ entry.detail }}</div>{% endif %}
        </li>
        {% endfor %}
      </ol>"""  # noqa: E501 - the template's own lines
DRAWN = """{% load timeline_tags %}<ol class="timeline">
        {% timeline_items timeline %}
      </ol>"""

LATE_EVENING = dt.datetime(2026, 11, 30, 4, 30, tzinfo=dt.UTC)  # 9:30 PM the day before in Denver
ENTRIES = [
    TimelineEntry(
        LATE_EVENING,
        "session",
        "Treatment session",
        "needled: upper trapezius <left> & levator",
        url="/patients/1/sessions/2/?a=1&b=2",
        badge="draft",
        badge_label="Draft",
    ),
    TimelineEntry(LATE_EVENING, "evaluation", 'History "recorded" <b>', ""),
    TimelineEntry(
        LATE_EVENING, "adverse_event", "Adverse event: bruising", badge="mild", badge_label="Mild"
    ),
]


@pytest.mark.parametrize("timeline", [[], ENTRIES[:1], ENTRIES])
@pytest.mark.parametrize(
    "conventions",
    [LocalConventions(), LocalConventions(time_zone="America/Denver", date_style=MONTH_FIRST)],
)
def test_the_timeline_is_what_the_template_loop_drew(timeline, conventions) -> None:
    context = {"timeline": timeline}
    with activated(conventions):
        looped = Template(TIMELINE_AS_A_TEMPLATE_LOOP).render(Context(context))
        drawn = Template(DRAWN).render(Context(context))
    assert drawn == looped
    assert "<left>" not in drawn and "<b>" not in drawn
