"""Each run names its stored result (0008 moved the results of the runs stored before): the
run's own copy of its result goes. Reversed, each run gets its copy back from its stored result."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_each_result_back(apps: Any, schema_editor: Any) -> None:
    ScreeningRun = apps.get_model("screening", "ScreeningRun")
    StoredResult = apps.get_model("screening", "StoredResult")
    body = StoredResult.objects.filter(digest=OuterRef("stored_result_id")).values("body")[:1]
    ScreeningRun.objects.using(schema_editor.connection.alias).update(result=Subquery(body))


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0008_screen_result_stored_once'),
    ]

    operations = [
        migrations.AlterField(
            model_name='screeningrun',
            name='stored_result',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='screening.storedresult'),
        ),
        # Nullable first, so that reversed the column can come back before its copies do.
        migrations.AlterField(
            model_name='screeningrun',
            name='result',
            field=models.JSONField(null=True),
        ),
        migrations.RunPython(migrations.RunPython.noop, copy_each_result_back),
        migrations.RemoveField(
            model_name='screeningrun',
            name='result',
        ),
    ]
