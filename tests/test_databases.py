"""The database configuration the issue asks for, on whichever database this run uses.

The test database lives in memory, where SQLite cannot use WAL, so the SQLite checks open a
database in a file with the same settings a server uses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.urls import reverse

FILE_DATABASE = "file_database"


@pytest.fixture
def file_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[Any]:
    """A SQLite database in a file, opened with the configured OPTIONS as a server opens it."""
    if connection.vendor != "sqlite":
        pytest.skip("checks the SQLite configuration")
    config = {**connection.settings_dict, "NAME": str(tmp_path / "needlerx.sqlite3")}
    database = type(connections["default"])(config, alias=FILE_DATABASE)
    connections[FILE_DATABASE] = database
    try:
        with django_db_blocker.unblock():
            yield database
            database.close()
    finally:
        del connections[FILE_DATABASE]


def test_sqlite_runs_in_wal_mode_with_foreign_keys(file_database):
    with file_database.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL: safe with WAL, one fsync per checkpoint


def test_sqlite_keeps_a_page_cache_the_size_of_the_setting(file_database):
    """64 MiB by default (SQLite's own is 2 MiB), so a heavy page does not push out the pages
    the home and the follow-ups read next."""
    with file_database.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -settings.SQLITE_CACHE_MIB * 1024 == -64 * 1024


def test_sqlite_transactions_take_the_write_lock_when_they_begin(file_database):
    """IMMEDIATE: two writers queue at BEGIN instead of one failing with "database is locked"
    halfway through its transaction."""
    with transaction.atomic(using=FILE_DATABASE):
        with file_database.cursor() as cursor:
            cursor.execute("SELECT 1")  # reads nothing: only BEGIN IMMEDIATE holds the lock
        other = sqlite3.connect(file_database.settings_dict["NAME"], timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_postgresql_is_version_13_or_later(db):
    if connection.vendor != "postgresql":
        pytest.skip("checks the PostgreSQL server")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_postgresql_prepares_the_statements_a_page_repeats(client, world):
    """The reads a page makes on every visit are parsed and planned once per connection: after
    a few visits of the clinic home, its reads are prepared statements on the server."""
    if connection.vendor != "postgresql":
        pytest.skip("checks the PostgreSQL connection")
    client.force_login(world.alice)
    for _ in range(settings.POSTGRES_PREPARE_AFTER_RUNS + 1):
        assert client.get(reverse("home")).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "patients_patient"' in statement for statement in prepared)
    assert any('FROM "treatments_treatmentsession"' in statement for statement in prepared)
