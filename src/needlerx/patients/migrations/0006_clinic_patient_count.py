"""Each clinic's number of patients, kept by triggers on the patients table (``ClinicPatientCount``),
filled from the patients already stored."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

COUNTS = "patients_clinicpatientcount"

FILL = f"""
INSERT INTO {COUNTS} (clinic_id, patients)
SELECT clinic_id, COUNT(*) FROM patients_patient GROUP BY clinic_id
"""

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER patients_count_insert AFTER INSERT ON patients_patient
    BEGIN
        INSERT INTO {COUNTS} (clinic_id, patients) VALUES (NEW.clinic_id, 1)
        ON CONFLICT (clinic_id) DO UPDATE SET patients = patients + 1;
    END
    """,
    f"""
    CREATE TRIGGER patients_count_delete AFTER DELETE ON patients_patient
    BEGIN
        UPDATE {COUNTS} SET patients = patients - 1 WHERE clinic_id = OLD.clinic_id;
    END
    """,
    f"""
    CREATE TRIGGER patients_count_move AFTER UPDATE OF clinic_id ON patients_patient
    WHEN OLD.clinic_id IS NOT NEW.clinic_id
    BEGIN
        UPDATE {COUNTS} SET patients = patients - 1 WHERE clinic_id = OLD.clinic_id;
        INSERT INTO {COUNTS} (clinic_id, patients) VALUES (NEW.clinic_id, 1)
        ON CONFLICT (clinic_id) DO UPDATE SET patients = patients + 1;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS patients_count_insert",
    "DROP TRIGGER IF EXISTS patients_count_delete",
    "DROP TRIGGER IF EXISTS patients_count_move",
]

POSTGRES_TRIGGERS = [
    f"""
    CREATE FUNCTION patients_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE {COUNTS} SET patients = patients - 1 WHERE clinic_id = OLD.clinic_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO {COUNTS} (clinic_id, patients) VALUES (NEW.clinic_id, 1)
            ON CONFLICT (clinic_id) DO UPDATE SET patients = {COUNTS}.patients + 1;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER patients_count_insert_delete AFTER INSERT OR DELETE ON patients_patient
    FOR EACH ROW EXECUTE FUNCTION patients_count_change()
    """,
    """
    CREATE TRIGGER patients_count_move AFTER UPDATE OF clinic_id ON patients_patient
    FOR EACH ROW WHEN (OLD.clinic_id IS DISTINCT FROM NEW.clinic_id)
    EXECUTE FUNCTION patients_count_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS patients_count_insert_delete ON patients_patient",
    "DROP TRIGGER IF EXISTS patients_count_move ON patients_patient",
    "DROP FUNCTION IF EXISTS patients_count_change()",
]


def _run(
    schema_editor: BaseDatabaseSchemaEditor, statements_by_vendor: dict[str, list[str]]
) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise NotImplementedError(f"no patient count triggers for {vendor}")
    for statement in statements_by_vendor[vendor]:
        schema_editor.execute(statement)


def add_triggers(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(
        schema_editor,
        {"sqlite": [*SQLITE_TRIGGERS, FILL], "postgresql": [*POSTGRES_TRIGGERS, FILL]},
    )


def drop_triggers(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_drop_indexes_another_index_serves'),
        ('patients', '0005_drop_indexes_another_index_serves'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClinicPatientCount',
            fields=[
                ('clinic', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='accounts.clinic')),
                ('patients', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(add_triggers, drop_triggers, elidable=False),
    ]
