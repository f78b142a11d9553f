from __future__ import annotations

from django.apps import AppConfig


class PatientsConfig(AppConfig):
    """Patients, their history facts and medications, and episodes of care."""

    name = "needlerx.patients"
    label = "patients"
