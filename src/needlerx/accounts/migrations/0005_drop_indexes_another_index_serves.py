"""Drop the indexes of foreign keys that a longer index of the same table already serves
(tests/test_schema_indexes.py); on SQLite without copying the tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from needlerx.core.index_operations import AlterFieldIndex


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_is_patient'),
    ]

    operations = [
        AlterFieldIndex(
            model_name='clinic',
            name='network',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='clinics', to='accounts.clinicnetwork'),
        ),
        AlterFieldIndex(
            model_name='membership',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL),
        ),
    ]
