"""Drop the indexes of foreign keys that a longer index of the same table already serves
(tests/test_schema_indexes.py); on SQLite without copying the tables."""

import django.db.models.deletion
from django.db import migrations, models

from needlerx.core.index_operations import AlterFieldIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_drop_indexes_another_index_serves'),
        ('patients', '0005_drop_indexes_another_index_serves'),
        ('screening', '0006_screening_run_clinic'),
    ]

    operations = [
        AlterFieldIndex(
            model_name='screeningrun',
            name='clinic',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.clinic'),
        ),
        AlterFieldIndex(
            model_name='screeningrun',
            name='patient',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='screening_runs', to='patients.patient'),
        ),
    ]
