"""Audit receivers for sign-in, sign-out and failed sign-in, and the audit table's guard."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.http import HttpRequest

from needlerx.audit.guard import install_guard
from needlerx.audit.services import audit_record

LOGIN_BLOCKED_ATTRIBUTE = "_needlerx_login_blocked"


def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(action="auth.login", actor=user)


def record_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(action="auth.logout", actor=user if user is not None else None)


def record_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A failed sign-in names the username tried (the password is never recorded).

    ``auth.login_blocked`` marks an attempt refused because the account or address is locked
    out; it does not count towards the lockout itself.
    """
    from needlerx.accounts.models import User

    username = str(credentials.get("username") or "")[:150]
    blocked = request is not None and getattr(request, LOGIN_BLOCKED_ATTRIBUTE, False)
    audit_record(
        action="auth.login_blocked" if blocked else "auth.login_failed",
        actor=User.objects.filter(username=username).first() if username else None,
        actor_username=username,
    )


def install_audit_guard(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: (re)install the triggers that refuse UPDATE and DELETE of events."""
    install_guard(connections[using])
