"""A time range in the week's narrow columns may wrap after the dash, never inside a time."""

from __future__ import annotations

from needlerx.scheduling.times import EN_DASH
from needlerx.web.templatetags.web_tags import time_range


def test_each_time_is_kept_whole_and_escaped() -> None:
    drawn = time_range(f"11:45 AM{EN_DASH}12:15 PM")
    assert drawn == (
        f'<span class="nowrap">11:45 AM</span>{EN_DASH}<span class="nowrap">12:15 PM</span>'
    )
    assert time_range("<b>9</b>") == '<span class="nowrap">&lt;b&gt;9&lt;/b&gt;</span>'
