from __future__ import annotations

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """The clinician's web pages: clinic home, screening, session note and progress."""

    name = "needlerx.web"
    label = "clinic"
    default_auto_field = "django.db.models.BigAutoField"
