"""Drop the indexes of foreign keys that a longer index of the same table already serves
(tests/test_schema_indexes.py); on SQLite without copying the tables."""

import django.db.models.deletion
from django.db import migrations, models

from needlerx.core.index_operations import AlterFieldIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_drop_indexes_another_index_serves'),
        ('instruments', '0004_first_and_latest_score'),
        ('patients', '0005_drop_indexes_another_index_serves'),
    ]

    operations = [
        AlterFieldIndex(
            model_name='instrumentresponse',
            name='clinic',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='instrument_responses', to='accounts.clinic'),
        ),
        AlterFieldIndex(
            model_name='instrumentresponse',
            name='episode',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='instrument_responses', to='patients.episode'),
        ),
        AlterFieldIndex(
            model_name='instrumentresponse',
            name='patient',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='instrument_responses', to='patients.patient'),
        ),
        AlterFieldIndex(
            model_name='licenseditemtext',
            name='clinic',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='licensed_texts', to='accounts.clinic'),
        ),
    ]
