from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    """Stored suitability screens: facts snapshot, plan, result and rule-set version per run."""

    name = "needlerx.screening"
    label = "screening"
