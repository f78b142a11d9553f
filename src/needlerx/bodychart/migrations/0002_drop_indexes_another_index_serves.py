"""Drop the indexes of foreign keys that a longer index of the same table already serves
(tests/test_schema_indexes.py); on SQLite without copying the tables."""

import django.db.models.deletion
from django.db import migrations, models

from needlerx.core.index_operations import AlterFieldIndex


class Migration(migrations.Migration):

    dependencies = [
        ('bodychart', '0001_trigger_points'),
        ('patients', '0005_drop_indexes_another_index_serves'),
    ]

    operations = [
        AlterFieldIndex(
            model_name='triggerpoint',
            name='episode',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='trigger_points', to='patients.episode'),
        ),
    ]
