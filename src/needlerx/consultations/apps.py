from __future__ import annotations

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "needlerx.consultations"
    label = "consultations"
    verbose_name = "Consultations: requests from the public and the front-desk queue"
