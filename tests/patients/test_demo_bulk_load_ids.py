"""The demo's bulk load gives the ids itself: rows saved afterwards through the ORM get new ids
(on PostgreSQL the id sequences are moved past the loaded rows)."""

from __future__ import annotations

import uuid

from django.db.models import Max
from django.utils import timezone

from needlerx.demo import generator
from needlerx.patients.models import HistoryFact, Patient
from needlerx.treatments.models import NeedlingEntry, TreatmentSession


def test_rows_saved_after_a_demo_load_get_ids_past_the_loaded_rows(db):
    staff = generator.create_demo_network()
    generator.load_patients(staff, 4, seed=5)
    generator.load_patients(staff, 4, seed=5)  # a second load continues after the first
    assert Patient.objects.count() == 8
    assert TreatmentSession.objects.exists() and NeedlingEntry.objects.exists()
    highest_fact = HistoryFact.objects.aggregate(highest=Max("pk"))["highest"]
    highest_patient = Patient.objects.aggregate(highest=Max("pk"))["highest"]
    patient = Patient.objects.get(pk=highest_patient)
    patient.pk, patient.public_id = None, uuid.uuid4()
    patient.medical_record_number = "NEW-000001"
    patient.save()
    fact = HistoryFact.objects.create(
        patient=patient,
        fact="smoker",
        value=False,
        recorded_at=timezone.now(),
        recorded_by=staff[0].clinician,
    )
    assert patient.pk > highest_patient
    assert fact.pk > highest_fact
