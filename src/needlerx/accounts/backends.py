"""The authentication backend: Django's model backend behind the sign-in lockout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from needlerx.accounts.lockout import login_lockout_status
from needlerx.accounts.signals import LOGIN_BLOCKED_ATTRIBUTE
from needlerx.audit.middleware import client_address


class ThrottledModelBackend(ModelBackend):
    """Refuse any password check while the account or the client address is locked out.

    Raising PermissionDenied stops Django's ``authenticate`` at once; it then sends
    ``user_login_failed``, which the audit records as ``auth.login_blocked``.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username if username is not None else kwargs.get("username")
        if name is None or password is None:
            return None
        address = client_address(request) if request is not None else ""
        status = login_lockout_status(username=str(name), client_address=address)
        if status.locked:
            if request is not None:
                setattr(request, LOGIN_BLOCKED_ATTRIBUTE, status)
            raise PermissionDenied("locked out")
        return super().authenticate(request, username=name, password=password, **kwargs)
