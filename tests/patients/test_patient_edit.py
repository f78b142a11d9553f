"""A patient's demographics are corrected in the web app and the API through one service:
permission-checked, audited by field name (never the values), the MRN normalised and unique."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.patients.models import Patient
from tests.personas import World


def _form(patient: Patient, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "medical_record_number": patient.medical_record_number,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "phone": patient.phone,
        "email": patient.email,
        "address": patient.address,
        "height_cm": "" if patient.height_cm is None else str(patient.height_cm),
        "weight_kg": "" if patient.weight_kg is None else str(patient.weight_kg),
        "emergency_contact_name": patient.emergency_contact_name,
        "emergency_contact_phone": patient.emergency_contact_phone,
    }
    data.update(changes)
    return data


def _update_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="patient.update").order_by("sequence"))


def test_the_front_desk_corrects_a_name_and_phone_and_the_audit_names_only_the_fields(
    client: Client, world: World
):
    patient = world.patient(phone="303-555-0100")
    client.force_login(world.frank)
    url = reverse("patients:edit", args=[patient.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Pat"' in page.content.decode()
    response = client.post(url, _form(patient, given_name="Patricia", phone="303-555-0199"))
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.given_name, patient.phone) == ("Patricia", "303-555-0199")
    (event,) = _update_events()
    assert event.detail["fields"] == ["given_name", "phone"]
    assert event.patient_public_id == str(patient.public_id)
    assert event.actor_username == "frank"
    stored = json.dumps(event.detail)
    assert "Patricia" not in stored and "0199" not in stored
    assert (
        "Patricia"
        in client.get(reverse("patients:detail", args=[patient.public_id])).content.decode()
    )


def test_the_patient_can_be_found_by_the_corrected_name(client: Client, world: World):
    patient = world.patient()
    client.force_login(world.alice)
    url = reverse("patients:edit", args=[patient.public_id])
    client.post(url, _form(patient, family_name="Zubiri"))
    found = client.get(reverse("patients:list"), {"q": "zubiri"})
    assert "Zubiri" in found.content.decode()


def test_saving_unchanged_details_writes_no_audit_event(client: Client, world: World):
    patient = world.patient()
    client.force_login(world.alice)
    response = client.post(reverse("patients:edit", args=[patient.public_id]), _form(patient))
    assert response.status_code == 302
    assert _update_events() == []


def test_an_mrn_used_by_another_patient_is_refused_next_to_the_field(client: Client, world: World):
    world.patient(mrn="A-0001")
    second = world.patient(mrn="A-0002", given_name="Sam")
    client.force_login(world.frank)
    url = reverse("patients:edit", args=[second.public_id])
    response = client.post(url, _form(second, medical_record_number=" a\u20100001 "))
    assert response.status_code == 400
    assert "already used by another patient" in response.content.decode()
    assert response.context["form"].errors["medical_record_number"]
    second.refresh_from_db()
    assert second.medical_record_number == "A-0002"
    assert _update_events() == []


def test_the_mrn_is_stored_normalised(client: Client, world: World):
    patient = world.patient()
    client.force_login(world.frank)
    client.post(
        reverse("patients:edit", args=[patient.public_id]),
        _form(patient, medical_record_number=" a-7777 "),
    )
    patient.refresh_from_db()
    assert patient.medical_record_number == "A-7777"


def test_a_date_of_birth_in_the_future_is_refused_naming_the_field(client: Client, world: World):
    patient = world.patient()
    client.force_login(world.frank)
    future = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    response = client.post(
        reverse("patients:edit", args=[patient.public_id]), _form(patient, date_of_birth=future)
    )
    assert response.status_code == 400
    assert "future" in " ".join(response.context["form"].errors["date_of_birth"])
    patient.refresh_from_db()
    assert patient.date_of_birth == dt.date(1980, 5, 17)


def test_another_clinics_patient_cannot_be_edited(client: Client, world: World):
    patient = world.patient()
    client.force_login(world.bob)
    url = reverse("patients:edit", args=[patient.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(patient, given_name="X")).status_code == 404
    patient.refresh_from_db()
    assert patient.given_name == "Pat"


def test_the_api_patches_only_the_fields_sent(client: Client, world: World):
    patient = world.patient(phone="303-555-0100")
    client.force_login(world.alice)
    path = f"/api/v1/patients/{patient.public_id}"
    response = client.patch(
        path, json.dumps({"sex": "male", "given_name": "Paul"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["given_name"] == "Paul"
    assert response.json()["sex"] == "male"
    patient.refresh_from_db()
    assert patient.phone == "303-555-0100"
    (event,) = _update_events()
    assert event.detail["fields"] == ["given_name", "sex"]


def test_the_api_refuses_a_bad_field_by_name(client: Client, world: World):
    patient = world.patient()
    client.force_login(world.alice)
    path = f"/api/v1/patients/{patient.public_id}"
    for body, field in (
        ({"sex": "robot"}, "sex"),
        ({"given_name": None}, "given_name"),
        ({"weight_kg": 9000}, "weight_kg"),
        ({"clinic_id": str(world.clinic_b.public_id)}, "clinic_id"),
    ):
        response = client.patch(path, json.dumps(body), content_type="application/json")
        assert response.status_code == 400, (body, response.content)
        assert response.json()["error"]["field"] == field, body
    assert _update_events() == []
