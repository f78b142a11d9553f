"""Tests that travel the migrations: back to a schema before a migration, and forward again to
see what the migration made of the records; every such test ends at the latest schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]] | None = None) -> None:
    """Migrate to ``targets`` (app, migration), or to the latest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.fixture
def at_the_latest_schema() -> Iterator[None]:
    yield
    migrate_to()  # whatever the test did, the next test finds every migration applied
