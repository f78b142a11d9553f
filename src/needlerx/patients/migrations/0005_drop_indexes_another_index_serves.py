"""Drop the indexes of foreign keys that a longer index of the same table already serves
(tests/test_schema_indexes.py); on SQLite without copying the tables."""

import django.db.models.deletion
from django.db import migrations, models

from needlerx.core.index_operations import AlterFieldIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_drop_indexes_another_index_serves'),
        ('patients', '0004_patient_list_order_index'),
    ]

    operations = [
        AlterFieldIndex(
            model_name='episode',
            name='patient',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='episodes', to='patients.patient'),
        ),
        AlterFieldIndex(
            model_name='historyfact',
            name='patient',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='history_facts', to='patients.patient'),
        ),
        AlterFieldIndex(
            model_name='patient',
            name='clinic',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='patients', to='accounts.clinic'),
        ),
    ]
