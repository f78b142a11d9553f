"""Drop the indexes of foreign keys that a longer index of the same table already serves
(tests/test_schema_indexes.py); on SQLite without copying the tables."""

import django.db.models.deletion
from django.db import migrations, models

from needlerx.core.index_operations import AlterFieldIndex


class Migration(migrations.Migration):

    dependencies = [
        ('patient_tasks', '0002_one_reminder_per_link'),
        ('patients', '0005_drop_indexes_another_index_serves'),
    ]

    operations = [
        AlterFieldIndex(
            model_name='patienttask',
            name='patient',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='tasks', to='patients.patient'),
        ),
    ]
