from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running a clinic's installation: demo data, the server, backups and restores."""

    name = "needlerx.ops"
    label = "ops"
