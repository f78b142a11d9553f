"""Suite-wide test setup: personas, database selection and the PostgreSQL run."""

from __future__ import annotations

import os

import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "client", "admin_client",
                     "live_server", "django_user_model"}  # fmt: skip

pytest_plugins = ["tests.personas"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only tests that use the database (the PostgreSQL pass of `make test`)",
    )


def uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database-tests-only"):
        items[:] = [item for item in items if uses_database(item)]
        items[:] = [item for item in items if item.get_closest_marker("browser") is None]
    skip_reason = os.environ.get("NEEDLERX_SKIP_DATABASE_TESTS")
    if skip_reason:
        for item in items:
            if uses_database(item):
                item.add_marker(pytest.mark.skip(reason=f"PostgreSQL: {skip_reason}"))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Argon2 is deliberately slow; tests that create users use a fast hasher instead.

    tests/security checks that the production settings hash with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def static_files_without_manifest(settings: pytest.FixtureRequest) -> None:
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def two_factor_only_where_a_test_asks(settings: pytest.FixtureRequest) -> None:
    """Personas sign in with force_login, which has no second factor; tests/security turns the
    clinic-admin requirement back on where it tests two-factor sign-in."""
    settings.TWO_FACTOR_REQUIRED_ROLES = []  # type: ignore[attr-defined]
