"""A clinic admin sees who viewed or changed a patient's record; nobody else does."""

from __future__ import annotations

import re

from django.urls import reverse

from needlerx.audit.models import AuditEvent


def test_a_clinic_admin_sees_who_viewed_and_changed_the_record(client, world):
    patient = world.patient(given_name="Orla", family_name="Quince")
    client.force_login(world.frank)
    assert client.get(reverse("patients:detail", args=[patient.public_id])).status_code == 200
    client.force_login(world.ada)
    response = client.get(reverse("audit:patient_trail", args=[patient.public_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "patient.register" in body and "alice" in body
    assert "patient.view" in body and "frank" in body and "Front desk" in body
    assert "shown: patient" in body and "viewed patient" in body
    # Times in the clinic's zone, each with the zone's name; records in words.
    assert "clinic's time zone" in body and "When (UTC)" not in body
    assert re.search(r"\d\d:\d\d:\d\d UTC</td>", body)  # the test clinic keeps UTC
    assert "<td>patient<br>" in body and "<td>Patient" not in body
    viewed = AuditEvent.objects.filter(action="audit_trail.view").get()
    assert viewed.actor_public_id == str(world.ada.public_id)
    assert viewed.patient_public_id == str(patient.public_id)


def test_the_search_lists_only_the_admins_clinic(client, world):
    world.patient(family_name="Ourclinic")
    world.patient(clinic=world.clinic_b, mrn="B-1", family_name="Otherclinic")
    client.force_login(world.ada)
    body = client.get(reverse("audit:patient_search")).content.decode()
    assert "Ourclinic" in body and "Otherclinic" not in body


def test_clinicians_front_desk_and_other_clinics_cannot_read_the_trail(client, world):
    patient = world.patient()
    url = reverse("audit:patient_trail", args=[patient.public_id])
    for user, status in ((world.alice, 403), (world.frank, 403), (world.bob, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.get(reverse("audit:patient_search")).status_code == 403
    assert not AuditEvent.objects.filter(action="audit_trail.view").exists()
