from __future__ import annotations

from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "needlerx.learn"
    label = "learn"
    verbose_name = "Learn: the clinic's public articles for patients"
