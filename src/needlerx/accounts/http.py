"""Helpers for thin views and endpoints."""

from __future__ import annotations

from django.http import HttpRequest

from needlerx.accounts.models import User
from needlerx.core.errors import PermissionDenied


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request that authentication has already let through."""
    if not request.user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return request.user
