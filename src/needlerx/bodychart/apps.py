from __future__ import annotations

from django.apps import AppConfig


class BodyChartConfig(AppConfig):
    """The anterior/posterior body chart: trigger points and choosing muscles to needle."""

    name = "needlerx.bodychart"
    label = "bodychart"
    default_auto_field = "django.db.models.BigAutoField"
