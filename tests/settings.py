"""Settings for the test suite: production's (needlerx.settings) with four changes for speed, for
signing in without a second factor, and for pytest-django's in-memory SQLite. pyproject.toml
names this module for pytest.

Subprocesses started by tests (serve, crash, backup and restore, the CLI) run with
needlerx.settings, and tests/security checks production's own values there.
"""

from __future__ import annotations

from needlerx.settings import *  # noqa: F403
from needlerx.settings import DATABASES, STORAGES

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

# pytest-django keeps each worker's SQLite test database in memory only when the engine is
# Django's own name for SQLite; NeedleRx's backend differs only in what it does before closing
# a database file (PRAGMA optimize), which an in-memory database never does. Its test,
# tests/core/test_sqlite_statistics.py, runs in a subprocess with production's settings.
if DATABASES["default"]["ENGINE"] == "needlerx.core.sqlite_backend":
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"

# Every form field and widget a test draws is drawn both in Python (web.forms.drawing) and by its
# template, and a difference fails the test (tests/web/checked_form_renderer.py).
FORM_RENDERER = "tests.web.checked_form_renderer.CheckedFormRenderer"

# Every prepared read (needlerx.core.prepared) is also built by the ORM with the call's own values,
# and a difference between the two statements fails the test.
PREPARED_READS_CHECK = True
