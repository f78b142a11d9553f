"""The patient chart's timeline entries, drawn in Python.

A busy patient's timeline has forty entries or more; drawn by the template's loop they cost
about as much as the rest of the chart's template.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

from needlerx.web.templatetags.web_tags import local_datetime
from needlerx.web.timeline import TimelineEntry

register = template.Library()


def _entry(entry: TimelineEntry) -> str:
    """One entry with the white space the template's loop wrote around it."""
    title = escape(entry.title)
    what = f'<a href="{escape(entry.url)}">{title}</a>' if entry.url else title
    badge = (
        f'<span class="badge badge-{escape(entry.badge)}">{escape(entry.badge_label)}</span>'
        if entry.badge
        else ""
    )
    detail = f'<div class="small muted">{escape(entry.detail)}</div>' if entry.detail else ""
    return (
        f'\n        <li class="kind-{escape(entry.kind)}">'
        f'\n          <span class="when">{escape(local_datetime(entry.when))}</span>'
        f'\n          <span class="what">{what}</span>'
        f"\n          {badge}"
        f"\n          {detail}"
        "\n        </li>\n        "
    )


@register.simple_tag
def timeline_items(entries: Sequence[TimelineEntry]) -> SafeString:
    """Every entry, newest first as given."""
    return mark_safe("".join(map(_entry, entries)))  # noqa: S308 - each entry escapes its values
