from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from needlerx.patients.models import HistoryFact, Medication, Patient
from needlerx.patients.services import history_fact_record
from tests.personas import World


def _new_patient_data(world: World, **overrides: object) -> dict[str, object]:
    data = {
        "clinic": world.clinic_a.pk,
        "medical_record_number": "A-77",
        "given_name": "Ruth",
        "family_name": "Ng",
        "date_of_birth": "1970-03-04",
        "sex": "female",
    }
    return {**data, **overrides}


def test_a_front_desk_registers_a_new_patient(client, world):
    client.force_login(world.frank)
    response = client.post(reverse("patients:new"), _new_patient_data(world))
    patient = Patient.objects.get(medical_record_number="A-77")
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.public_id])


def test_a_duplicate_mrn_is_shown_next_to_the_field_and_nothing_is_saved(client, world):
    world.patient(mrn="A-77")
    client.force_login(world.alice)
    response = client.post(reverse("patients:new"), _new_patient_data(world, given_name="Other"))
    assert response.status_code == 200
    field = response.context["form"]["medical_record_number"]
    assert "already used" in field.errors[0]
    assert Patient.objects.filter(medical_record_number="A-77").count() == 1
    assert b'id="id_medical_record_number_error"' in response.content


def test_a_birth_date_in_the_future_is_refused_on_the_field(client, world):
    client.force_login(world.alice)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("patients:new"), _new_patient_data(world, date_of_birth=tomorrow)
    )
    assert "future" in response.context["form"]["date_of_birth"].errors[0]
    assert not Patient.objects.exists()


def test_a_clinician_cannot_register_into_another_clinic(client, world):
    client.force_login(world.bob)
    response = client.post(reverse("patients:new"), _new_patient_data(world))
    assert response.status_code == 200
    assert response.context["form"]["clinic"].errors
    assert not Patient.objects.exists()


def test_the_chart_shows_the_timeline_to_clinicians_only(client, world):
    patient = world.patient()
    world.episode(patient)
    history_fact_record(actor=world.alice, patient=patient, fact="diabetes", value=True)
    client.force_login(world.alice)
    response = client.get(reverse("patients:detail", args=[patient.public_id]))
    assert b"Evaluation: history recorded" in response.content
    assert b"Episode opened" in response.content
    client.force_login(world.frank)
    response = client.get(reverse("patients:detail", args=[patient.public_id]))
    assert response.status_code == 200
    assert b"Timeline" not in response.content
    assert b"diabetes" not in response.content


def test_another_clinics_patient_is_not_found(client, world):
    patient = world.patient()
    client.force_login(world.bob)
    assert client.get(reverse("patients:detail", args=[patient.public_id])).status_code == 404
    assert client.get(reverse("patients:evaluation", args=[patient.public_id])).status_code == 404


def test_the_evaluation_records_only_changed_facts(client, world):
    patient = world.patient()
    history_fact_record(actor=world.alice, patient=patient, fact="diabetes", value=True)
    client.force_login(world.alice)
    url = reverse("patients:evaluation", args=[patient.public_id])
    response = client.post(
        url,
        {
            "diabetes": "yes",
            "suspected_fracture": "yes",
            "lymphoedema_sites__chest_wall__left": "on",
        },
    )
    assert response.status_code == 302
    recorded = {fact.fact: fact.value for fact in HistoryFact.objects.filter(patient=patient)}
    assert recorded == {
        "diabetes": True,
        "suspected_fracture": True,
        "lymphoedema_sites": [{"area": "chest_wall", "side": "left"}],
    }
    assert HistoryFact.objects.filter(patient=patient, fact="diabetes").count() == 1


def test_a_front_desk_cannot_open_the_evaluation(client, world):
    patient = world.patient()
    client.force_login(world.frank)
    assert client.get(reverse("patients:evaluation", args=[patient.public_id])).status_code == 403


def test_an_opioid_without_a_drug_name_is_refused_on_the_field(client, world):
    patient = world.patient()
    client.force_login(world.alice)
    url = reverse("patients:medication_add", args=[patient.public_id])
    response = client.post(url, {"name": "Painkiller", "drug_class": "opioid"})
    assert response.status_code == 400
    assert "name the opioid" in response.context["medication_form"]["opioid"].errors[0]
    assert not Medication.objects.exists()


def test_an_active_anticoagulant_shows_as_a_derived_screening_fact(client, world):
    patient = world.patient()
    client.force_login(world.alice)
    url = reverse("patients:medication_add", args=[patient.public_id])
    client.post(
        url, {"name": "Warfarin", "drug_class": "anticoagulant", "started_on": "2024-01-01"}
    )
    response = client.get(reverse("patients:evaluation", args=[patient.public_id]))
    assert ("Takes an anticoagulant", True) in response.context["screening_facts"]


def test_a_clinician_opens_an_episode(client, world):
    patient = world.patient()
    client.force_login(world.alice)
    url = reverse("patients:episode_new", args=[patient.public_id])
    response = client.post(
        url, {"regions": ["cervical"], "onset_date": "2025-01-01", "diagnosis_codes": "m54.2"}
    )
    assert response.status_code == 302
    assert patient.episodes.get().diagnosis_codes == ["M54.2"]
    response = client.post(
        url, {"regions": ["cervical"], "onset_date": "2025-01-01", "diagnosis_codes": "not a code"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
