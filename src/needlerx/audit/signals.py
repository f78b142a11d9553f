"""The audit table's guard, reinstalled after every migration."""

from __future__ import annotations

from typing import Any

from django.db import connections

from needlerx.audit.guard import install_guard


def install_audit_guard(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: (re)install the triggers that refuse UPDATE and DELETE of events."""
    install_guard(connections[using])
