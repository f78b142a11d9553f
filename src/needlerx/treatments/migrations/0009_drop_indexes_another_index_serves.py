"""Drop the indexes of foreign keys that a longer index of the same table already serves
(tests/test_schema_indexes.py); on SQLite without copying the tables."""

import django.db.models.deletion
from django.db import migrations, models

from needlerx.core.index_operations import AlterFieldIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_drop_indexes_another_index_serves'),
        ('patients', '0005_drop_indexes_another_index_serves'),
        ('treatments', '0008_drafts_by_clinic_partial_index'),
    ]

    operations = [
        AlterFieldIndex(
            model_name='adverseevent',
            name='clinic',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='adverse_events', to='accounts.clinic'),
        ),
        AlterFieldIndex(
            model_name='consentrecord',
            name='episode',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='patients.episode'),
        ),
        AlterFieldIndex(
            model_name='followup',
            name='session',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='treatments.treatmentsession'),
        ),
        AlterFieldIndex(
            model_name='homeexercise',
            name='plan',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='exercises', to='treatments.careplan'),
        ),
        AlterFieldIndex(
            model_name='needledsession',
            name='clinic',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.clinic'),
        ),
        AlterFieldIndex(
            model_name='needlingentry',
            name='session',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='needling_entries', to='treatments.treatmentsession'),
        ),
        AlterFieldIndex(
            model_name='treatmentsession',
            name='clinic',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='accounts.clinic'),
        ),
        AlterFieldIndex(
            model_name='treatmentsession',
            name='episode',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='patients.episode'),
        ),
    ]
