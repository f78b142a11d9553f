from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces: the application error, public-id model base, management commands."""

    name = "needlerx.core"
    label = "core"
