"""Migration operations that differ by database: the no-double-booking rule.

PostgreSQL gets the model's exclusion constraint (``AddConstraintOnPostgreSQL``; it needs the
``btree_gist`` extension for the clinician's equality). SQLite has no exclusion constraints, so it
gets two triggers (``SQLiteTriggers``) that refuse an insert or an update that would overlap a live
appointment of the same clinician, with the same message the constraint's name gives on PostgreSQL.
Either way the refusal is an ``IntegrityError`` the booking service turns into a field error.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations import AddConstraint
from django.db.migrations.operations.base import Operation


class AddConstraintOnPostgreSQL(AddConstraint):
    """``AddConstraint`` that changes the schema on PostgreSQL only (the state everywhere)."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)


class SQLiteTriggers(Operation):
    """Run ``forwards`` (and ``backwards`` on reversal) on SQLite only; no change of state."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, forwards: list[str], backwards: list[str]) -> None:
        self.forwards = forwards
        self.backwards = backwards

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {"forwards": self.forwards, "backwards": self.backwards},
        )

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for statement in self.forwards:
                schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for statement in self.backwards:
                schema_editor.execute(statement, params=None)

    def describe(self) -> str:
        return "SQLite triggers refusing a clinician's overlapping appointments"


OVERLAP_MESSAGE = "appointment_clinician_not_double_booked"
_LIVE = "status NOT IN ('cancelled', 'no_show')"
# A live appointment of the same clinician whose [starts_at, ends_at) meets NEW's. Datetimes are
# stored as UTC text of one format ("YYYY-MM-DD HH:MM:SS[.ffffff]"), so text order is time order.
_OVERLAP = f"""
    SELECT RAISE(ABORT, '{OVERLAP_MESSAGE}')
    WHERE EXISTS (
        SELECT 1 FROM scheduling_appointment AS other
        WHERE other.clinician_id = NEW.clinician_id
          AND other.id IS NOT NEW.id
          AND other.{_LIVE}
          AND other.starts_at < NEW.ends_at
          AND NEW.starts_at < other.ends_at
    );
"""  # noqa: S608 - built from the constants above, no input
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER scheduling_appointment_no_overlap_insert
    BEFORE INSERT ON scheduling_appointment
    WHEN NEW.{_LIVE}
    BEGIN {_OVERLAP} END""",
    f"""CREATE TRIGGER scheduling_appointment_no_overlap_update
    BEFORE UPDATE OF clinician_id, starts_at, ends_at, status ON scheduling_appointment
    WHEN NEW.{_LIVE}
    BEGIN {_OVERLAP} END""",
]
DROP_SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS scheduling_appointment_no_overlap_insert",
    "DROP TRIGGER IF EXISTS scheduling_appointment_no_overlap_update",
]
