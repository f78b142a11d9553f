from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Clinic networks, clinics, users, their roles per clinic and dry-needling credentials."""

    name = "needlerx.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth_signals

        from needlerx.accounts import signals

        auth_signals.user_logged_in.connect(signals.record_login, dispatch_uid="audit_login")
        auth_signals.user_logged_out.connect(signals.record_logout, dispatch_uid="audit_logout")
        auth_signals.user_login_failed.connect(
            signals.record_login_failed, dispatch_uid="audit_login_failed"
        )
