"""Typed readers for the environment: every setting NeedleRx reads is named in README.md.

They fail loudly: ``NEEDLERX_DEBUG=yes`` is an error, not a silent ``False``.
"""

from __future__ import annotations

import os


class ConfigurationError(RuntimeError):
    """An environment variable holds a value NeedleRx cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("1", "true", "True"):
        return True
    if raw in ("0", "false", "False"):
        return False
    raise ConfigurationError(f"{name} must be 1/true or 0/false (got {raw!r})")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number (got {raw!r})") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum} (got {value})")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
