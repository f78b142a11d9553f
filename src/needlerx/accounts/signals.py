"""Sign-in, sign-out and failed sign-in go into the audit trail (connected in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from needlerx.accounts.models import User
from needlerx.audit.services import audit_record

LOGIN_BLOCKED_ATTRIBUTE = "_needlerx_login_blocked"


def record_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(action="auth.login", actor=user)


def record_logout(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    audit_record(action="auth.logout", actor=user)


def record_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A failed sign-in names the username tried (the password is never recorded).

    ``auth.login_blocked`` marks an attempt refused because the account or address is locked
    out; it does not count towards the lockout itself.
    """
    username = str(credentials.get("username") or "")[:150]
    blocked = request is not None and getattr(request, LOGIN_BLOCKED_ATTRIBUTE, False)
    audit_record(
        action="auth.login_blocked" if blocked else "auth.login_failed",
        actor=User.objects.filter(username=username).first() if username else None,
        actor_username=username,
    )
