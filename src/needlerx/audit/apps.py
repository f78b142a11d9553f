from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained audit trail."""

    name = "needlerx.audit"
    label = "audit"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from needlerx.audit import signals
        from needlerx.audit.guard import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="audit_sqlite_guard")
        post_migrate.connect(signals.install_audit_guard, sender=self, dispatch_uid="audit_guard")
