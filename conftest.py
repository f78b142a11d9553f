"""Suite-wide test setup: personas, database selection and the PostgreSQL run."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "client",
    "admin_client",
    "live_server",
    "django_user_model",
}

pytest_plugins = ["tests.personas", "tests.schema_travel"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only tests that use the database (the PostgreSQL pass of `make test`)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """The command lines the tests start keep their validated reference files in a folder of
    this run, not in the user's cache."""
    if "NEEDLERX_CACHE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="needlerx-test-cache-")
        os.environ["NEEDLERX_CACHE_DIR"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


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
