"""A screen's result is stored once, keyed by its digest, and each run names it: most runs repeat
a result already stored (a patient screened again before each needled visit).

The runs stored before keep their results: each is moved, unchanged, to the stored result with
its digest (then 0009 drops their copies; the two run in separate transactions, as PostgreSQL
will not alter a table with deferred checks of rows changed in the same one)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from needlerx.screening.digest import result_digest

RUNS_AT_A_TIME = 500


def store_each_result_once(apps: Any, schema_editor: Any) -> None:
    """Every run's result into the stored results (each distinct result once), then the run
    names it. A run is never changed by the app; this only moves what it already said."""
    ScreeningRun = apps.get_model("screening", "ScreeningRun")
    StoredResult = apps.get_model("screening", "StoredResult")
    using = schema_editor.connection.alias
    runs = ScreeningRun.objects.using(using).filter(stored_result__isnull=True).order_by("id")
    while batch := list(runs.only("id", "result")[:RUNS_AT_A_TIME]):
        digests = {run.id: result_digest(run.result) for run in batch}
        results = {digests[run.id]: run.result for run in batch}
        StoredResult.objects.using(using).bulk_create(
            [StoredResult(digest=digest, body=body) for digest, body in results.items()],
            ignore_conflicts=True,
        )
        for run in batch:
            run.stored_result_id = digests[run.id]
        ScreeningRun.objects.using(using).bulk_update(batch, ["stored_result"])


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0007_drop_indexes_another_index_serves'),
    ]

    operations = [
        migrations.CreateModel(
            name='StoredResult',
            fields=[
                ('digest', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('body', models.JSONField()),
            ],
        ),
        migrations.AddField(
            model_name='screeningrun',
            name='stored_result',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='screening.storedresult'),
        ),
        migrations.RunPython(store_each_result_once, migrations.RunPython.noop),
    ]
