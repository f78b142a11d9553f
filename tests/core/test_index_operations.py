"""The migrations that drop the foreign keys' redundant indexes change only those indexes: one
DROP INDEX each (no copied table, no foreign key checked again), the records stay, and going
back creates the same indexes again."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext

from needlerx.core.index_operations import AlterFieldIndex
from needlerx.treatments.models import TreatmentSession
from tests.personas import World
from tests.schema_travel import migrate_to

BEFORE = [
    ("accounts", "0004_user_is_patient"),
    ("bodychart", "0001_trigger_points"),
    ("consultations", "0001_consultation_requests"),
    ("instruments", "0004_first_and_latest_score"),
    ("patient_tasks", "0002_one_reminder_per_link"),
    ("patients", "0004_patient_list_order_index"),
    ("scheduling", "0001_appointments_and_no_double_booking"),
    ("screening", "0006_screening_run_clinic"),
    ("treatments", "0008_drafts_by_clinic_partial_index"),
]
DROPPED = 25  # foreign keys whose own index another index serves (tests/test_schema_indexes.py)
# Migrations after those that drop the indexes, which change tables of their own: the test
# starts and ends just before them.
LATER = {
    "patients": "0005_drop_indexes_another_index_serves",
    "screening": "0007_drop_indexes_another_index_serves",
    "treatments": "0009_drop_indexes_another_index_serves",
}


def _latest_before_later_migrations() -> list[tuple[str, str]]:
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [(app, LATER.get(app, name)) for app, name in leaves]


def _schema_changes_migrating_to(targets: list[tuple[str, str]] | None = None) -> list[str]:
    """The statements that changed the schema (CREATE, DROP, ALTER) while migrating."""
    with CaptureQueriesContext(connection) as captured:
        migrate_to(targets)
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].split(None, 1)[0].upper() in {"CREATE", "DROP", "ALTER"}
    ]


def _own_indexes(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, found in constraints.items()
        if found["index"] and not found["unique"] and found["columns"] == [column]
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_drop_only_the_indexes_and_going_back_makes_them_again(
    world: World, at_the_latest_schema: Any
) -> None:
    session_table = TreatmentSession._meta.db_table
    assert _own_indexes(session_table, "episode_id") == []
    patient = world.patient(clinic=world.clinic_a, mrn="KEEP-1")
    migrate_to(_latest_before_later_migrations())

    back = _schema_changes_migrating_to(BEFORE)
    assert len(back) == DROPPED and all(s.startswith("CREATE INDEX") for s in back)
    assert len(_own_indexes(session_table, "episode_id")) == 1

    forward = _schema_changes_migrating_to(_latest_before_later_migrations())
    assert len(forward) == DROPPED and all(s.startswith("DROP INDEX") for s in forward)
    assert _own_indexes(session_table, "episode_id") == []
    assert type(patient).objects.filter(pk=patient.pk, medical_record_number="KEEP-1").exists()


@pytest.mark.django_db(transaction=True)
def test_the_operation_refuses_a_change_of_anything_but_the_index() -> None:
    state = ProjectState.from_apps(apps)
    changed = AlterFieldIndex(
        model_name="treatmentsession",
        name="episode",
        field=models.ForeignKey(
            "patients.episode", on_delete=models.CASCADE, related_name="sessions"
        ),
    )
    after = state.clone()
    changed.state_forwards("treatments", after)
    with (
        connection.schema_editor(collect_sql=True) as editor,
        pytest.raises(ValueError, match="changes only the db_index"),
    ):
        changed.database_forwards("treatments", editor, state, after)
