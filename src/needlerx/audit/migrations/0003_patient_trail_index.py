"""A patient's audit trail, newest first, from one index on (patient, sequence).

The trail is read a page at a time, newest first. With the patient's own index the database
read every event of the patient and sorted them; the new index gives them in order. The
patient's own index is dropped (the new one starts with the same column) by ``AlterFieldIndex``:
a plain ``AlterField`` would copy the whole audit table on SQLite.
"""

from django.db import migrations, models

from needlerx.core.index_operations import AlterFieldIndex


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_seal_and_login_throttle_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["patient_public_id", "sequence"], name="audit_patient_sequence"
            ),
        ),
        AlterFieldIndex(
            model_name="auditevent",
            name="patient_public_id",
            field=models.CharField(blank=True, max_length=36),
        ),
    ]
