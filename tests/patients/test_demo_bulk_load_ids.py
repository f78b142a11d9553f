"""The demo's bulk load gives the ids itself: rows saved afterwards through the ORM get new ids
(on PostgreSQL the id sequences are moved past the loaded rows); screen results are stored once,
by what they say, and a result stored already is left as it was."""

from __future__ import annotations

import uuid

from django.db.models import Max
from django.utils import timezone

from needlerx.demo import generator
from needlerx.demo.bulk import insert_prepared, prepare_keyed
from needlerx.demo.evaluation import new_stored_result
from needlerx.patients.models import HistoryFact, Patient
from needlerx.screening.digest import result_digest
from needlerx.screening.models import ScreeningRun, StoredResult
from needlerx.treatments.models import NeedlingEntry, TreatmentSession


def test_rows_saved_after_a_demo_load_get_ids_past_the_loaded_rows(db):
    staff = generator.create_demo_network()
    generator.load_patients(staff, 4, seed=5)
    results = set(StoredResult.objects.values_list("digest", flat=True))
    generator.load_patients(staff, 4, seed=5)  # a second load continues after the first
    # Every screen names a stored result, under the key of what it says, each stored once.
    runs = ScreeningRun.objects.select_related("stored_result")
    stored = set(StoredResult.objects.values_list("digest", flat=True))
    assert results < stored == {run.stored_result_id for run in runs}
    assert all(result_digest(run.result) == run.stored_result_id for run in runs)
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


def test_a_result_the_table_holds_already_is_left_as_it_was(db):
    said = {"decision": "proceed", "muscles": []}
    first = StoredResult.objects.create(digest=result_digest(said), body=said)
    again = new_stored_result({**said})
    other = new_stored_result({"decision": "refer", "muscles": []})
    insert_prepared(prepare_keyed([again, other]))
    insert_prepared(prepare_keyed([again, other]))  # a later batch with the same results
    assert dict(StoredResult.objects.values_list("digest", "body")) == {
        first.digest: said,
        other.digest: other.body,
    }
