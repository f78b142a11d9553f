from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces: the application error, public-id model base, management commands."""

    name = "needlerx.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from needlerx.core import checks  # noqa: F401 - registers the clinical-data check
        from needlerx.core.storable import only_storable_values, timestamps_in_utc

        pre_save.connect(timestamps_in_utc, dispatch_uid="timestamps_in_utc")
        pre_save.connect(only_storable_values, dispatch_uid="only_storable_values")
