"""Shared pieces of the treatment commands: who is acting, and JSON input."""

from __future__ import annotations

import json
import sys
from typing import Any

from needlerx.accounts.models import User
from needlerx.core.errors import ApplicationError


def acting_user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApplicationError(f"no active user named {username!r}", field="user")
    return user


def read_json(path: str) -> dict[str, Any]:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as error:
        raise ApplicationError(f"cannot read {path!r} ({error.strerror})", field="input") from None
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise ApplicationError(f"not valid JSON ({error})", field="input") from None
    if not isinstance(payload, dict):
        raise ApplicationError("must be a JSON object", field="input")
    return payload
