from __future__ import annotations

from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "needlerx.treatments"
    label = "treatments"
    verbose_name = "Treatments: consent, plan of care, session notes, adverse events"
