"""Each screening run names its patient's clinic, so the clinic home reads one clinic's screens
through its own indexes (the indexes of network-wide time ranges are no longer needed)."""

import django.db.models.deletion
from django.db import migrations, models

# One statement, the same on SQLite and PostgreSQL (a run is never changed by the app; this only
# fills the new column of the runs stored before it existed).
CLINIC_OF_EACH_RUN = """
UPDATE screening_screeningrun
   SET clinic_id = (SELECT p.clinic_id FROM patients_patient p
                     WHERE p.id = screening_screeningrun.patient_id)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_is_patient'),
        ('screening', '0005_screen_alerts_index'),
        # The last migration that stores screening runs (from the copies in session notes): it
        # must run first, so that its runs get their clinic here.
        ('treatments', '0004_session_references_screening_run'),
    ]

    operations = [
        migrations.AddField(
            model_name='screeningrun',
            name='clinic',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.clinic'),
        ),
        migrations.RunSQL(CLINIC_OF_EACH_RUN, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='screeningrun',
            name='clinic',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.clinic'),
        ),
        migrations.RemoveIndex(
            model_name='screeningrun',
            name='screening_s_run_at_1d51cc_idx',
        ),
        migrations.RemoveIndex(
            model_name='screeningrun',
            name='screen_alerts_recent',
        ),
        migrations.AddIndex(
            model_name='screeningrun',
            index=models.Index(fields=['clinic', 'kind', '-run_at', 'decision', 'patient'], name='screens_clinic_recent'),
        ),
        migrations.AddIndex(
            model_name='screeningrun',
            index=models.Index(fields=['clinic', 'decision', 'kind', '-run_at'], name='screen_alerts_clinic'),
        ),
    ]
