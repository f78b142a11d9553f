"""Sign-in, sign-out and failed sign-in go into the audit trail (connected in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from needlerx.accounts.lockout import LockoutStatus, refused_sign_in_count, worth_recording
from needlerx.accounts.models import User
from needlerx.audit.context import current_origin
from needlerx.audit.services import audit_record

LOGIN_BLOCKED_ATTRIBUTE = "_needlerx_login_blocked"
SESSION_EXPIRED_ATTRIBUTE = "_needlerx_session_expired"
SIGNED_IN_AT = "needlerx_signed_in_at"
"""Session key: when the user signed in (a POSIX timestamp), for the absolute session lifetime."""
IDLE_RENEWED_AT = "needlerx_idle_renewed_at"
"""Session key: when activity last renewed the idle timeout (a POSIX timestamp)."""


def record_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[IDLE_RENEWED_AT] = (
            timezone.now().timestamp()
        )
    audit_record(action="auth.login", actor=user)


def record_logout(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    """A sign-out; ``detail.reason`` says when the session's absolute lifetime ended it."""
    expired = request is not None and getattr(request, SESSION_EXPIRED_ATTRIBUTE, False)
    detail = {"reason": "session_lifetime"} if expired else None
    audit_record(action="auth.logout", actor=user, detail=detail)


def record_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A failed sign-in names the username tried (the password is never recorded).

    ``auth.login_blocked`` marks attempts refused because the account is locked or the address
    must wait; they do not count towards the lockout, and they are summarised (docs/security.md).
    """
    username = str(credentials.get("username") or "")[:150]
    status = getattr(request, LOGIN_BLOCKED_ATTRIBUTE, None) if request is not None else None
    if isinstance(status, LockoutStatus):
        _record_refusal(status, username)
        return
    audit_record(
        action="auth.login_failed",
        actor=User.objects.filter(username=username).first() if username else None,
        actor_username=username,
    )


def _record_refusal(status: LockoutStatus, username: str) -> None:
    """Summarise refusals: one event at the 1st, 10th, 100th ... refusal per window and key."""
    address = current_origin().client_address
    refused, window_started = refused_sign_in_count(
        status=status, username=username, client_address=address
    )
    if not worth_recording(refused):
        return
    audit_record(
        action="auth.login_blocked",
        actor=User.objects.filter(username=username).first() if username else None,
        actor_username=username,
        detail={
            "scope": status.scope,
            "refused": refused,
            "window_started": window_started.isoformat(),
        },
    )
