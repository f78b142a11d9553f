from __future__ import annotations

from django.apps import AppConfig


class PatientTasksConfig(AppConfig):
    name = "needlerx.patient_tasks"
    label = "patient_tasks"
    verbose_name = "Patient tasks: check-ins and questionnaires answered from home through a link"
