from __future__ import annotations

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "needlerx.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling: the appointment book and reminders"
