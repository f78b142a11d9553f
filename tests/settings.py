"""Settings for the test suite: production's (needlerx.settings) with three changes for speed and
for signing in without a second factor. pyproject.toml names this module for pytest.

Subprocesses started by tests (serve, crash, backup and restore, the CLI) run with
needlerx.settings, and tests/security checks production's own values there.
"""

from __future__ import annotations

from needlerx.settings import *  # noqa: F403
from needlerx.settings import STORAGES

# Argon2 is deliberately slow; every persona and demo user is created with a password.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Templates render without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Personas sign in with force_login, which has no second factor; tests/accounts/test_two_factor.py
# turns the clinic-admin requirement back on with the `settings` fixture.
TWO_FACTOR_REQUIRED_ROLES = []
