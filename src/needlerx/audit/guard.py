"""Database triggers that refuse UPDATE and DELETE on the audit table (SQLite and PostgreSQL).

The triggers are (re)installed after every ``migrate`` (post_migrate), so a future migration that
rebuilds the table on SQLite cannot silently drop them. Only ``needlerx flush`` (which empties the
whole database, e.g. between tests) may delete events, inside ``audit_maintenance``. UPDATE is
never allowed. The chain and seal (``audit.chain``) still detect tampering by anyone who drops the
triggers first; the triggers stop application bugs and casual edits.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
REFUSAL = "audit events are append-only"
_maintenance: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "audit_maintenance", default=False
)

SQLITE_GUARD = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE}
        WHEN NOT needlerx_audit_maintenance()
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}: DELETE refused'); END""",
]
POSTGRES_GUARD = [
    f"""CREATE OR REPLACE FUNCTION needlerx_audit_append_only() RETURNS trigger AS $$
        BEGIN
          IF TG_OP IN ('DELETE', 'TRUNCATE')
             AND coalesce(current_setting('needlerx.audit_maintenance', true), '') = 'on' THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP;
        END $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    f"""CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION needlerx_audit_append_only()""",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION needlerx_audit_append_only()""",
]


def install_guard(connection: BaseDatabaseWrapper) -> None:
    statements = {"sqlite": SQLITE_GUARD, "postgresql": POSTGRES_GUARD}.get(connection.vendor)
    if not statements or TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def guard_installed(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            return bool(cursor.fetchone()[0] == 2)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
            return bool(cursor.fetchone()[0] == 2)
    return False


def _maintenance_flag() -> int:
    return 1 if _maintenance.get() else 0


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created: give SQLite the function the DELETE trigger asks."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("needlerx_audit_maintenance", 0, _maintenance_flag)


@contextmanager
def audit_maintenance(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Allow deleting audit events (only for emptying the whole database)."""
    token = _maintenance.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET needlerx.audit_maintenance = 'on'")
        yield
    finally:
        _maintenance.reset(token)
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET needlerx.audit_maintenance")
