from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Clinic networks, clinics, users, their roles per clinic and dry-needling credentials."""

    name = "needlerx.accounts"
    label = "accounts"
