from __future__ import annotations

from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    """Stored outcome measures per episode: raw answers, the core's score with its unit, who and
    when; change against MCID and the episode outcome summary are computed from them on read."""

    name = "needlerx.instruments"
    label = "instruments"
