"""Each clinic's number of patients is kept by the database as patients are stored, whatever
stores them (the registration service, a bulk insert, plain SQL, the demo load), and taken off as
they are deleted; the clinic home's tile and the patient list's total read it, and the migration
that added it counted the patients already there."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from needlerx.demo import generator
from needlerx.patients.models import ClinicPatientCount, Patient
from needlerx.patients.selectors import patient_count_in_clinics
from tests.patients.bulk import bulk_patients
from tests.personas import World
from tests.schema_travel import migrate_to
from tests.web.page_elements import parse_page

BEFORE = [("patients", "0005_drop_indexes_another_index_serves")]


def _stored() -> dict[int, int]:
    return dict(ClinicPatientCount.objects.values_list("clinic_id", "patients"))


def _counted() -> dict[int, int]:
    counted: dict[int, int] = {}
    for clinic_id in Patient.objects.values_list("clinic_id", flat=True):
        counted[clinic_id] = counted.get(clinic_id, 0) + 1
    return counted


def test_every_way_of_storing_a_patient_is_counted(world: World) -> None:
    world.patient(mrn="REG-1")  # the registration service
    world.patient(clinic=world.clinic_b, mrn="REG-2")
    bulk_patients(world.clinic_a, 30, "BULK")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO patients_patient (public_id, created_at, clinic_id, "
            "medical_record_number, given_name, family_name, date_of_birth, sex, phone, email, "
            "address, emergency_contact_name, emergency_contact_phone, search_family_given, "
            "search_given_family) VALUES (%s, %s, %s, 'SQL-1', 'Ann', 'Plain', %s, "
            "'unknown', '', '', '', '', '', 'plain ann', 'ann plain')",
            [
                uuid.UUID(int=1).hex if connection.vendor == "sqlite" else uuid.UUID(int=1),
                dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                world.clinic_b.pk,
                dt.date(1980, 1, 1),
            ],
        )
    assert _stored() == _counted()
    assert _stored()[world.clinic_b.pk] == Patient.objects.filter(clinic=world.clinic_b).count()


def test_a_deleted_patient_is_taken_off_and_a_moved_one_changes_clinic(world: World) -> None:
    bulk_patients(world.clinic_a, 3, "DEL")
    Patient.objects.filter(medical_record_number="DEL-0000").delete()
    Patient.objects.filter(medical_record_number="DEL-0001").update(clinic=world.clinic_b)
    assert _stored() == _counted()


def test_the_count_is_what_the_home_and_the_patient_list_show(client: Client, world: World) -> None:
    bulk_patients(world.clinic_a, 12, "SHOW")
    total = Patient.objects.filter(clinic=world.clinic_a).count()
    assert patient_count_in_clinics([world.clinic_a.pk]) == total
    both = [world.clinic_a.pk, world.clinic_b.pk]
    assert patient_count_in_clinics(both) == Patient.objects.count()
    assert patient_count_in_clinics([]) == 0
    client.force_login(world.alice)
    home = parse_page(client.get(reverse("home")).content)
    tiles = {
        tile.find_all(class_="what")[0].text: tile.find_all(class_="count")[0].text
        for tile in home.find_all(class_="tile")
    }
    assert tiles["patients"] == str(total)
    listed = parse_page(client.get(reverse("patients:list")).content)
    assert listed.find_all("p", class_="subtitle")[0].text == f"{total} patients"
    api = client.get("/api/v1/patients/").json()
    assert api["count"] == total
    # A search still counts what it matched.
    searched = client.get("/api/v1/patients/", {"search": "Family1"}).json()
    assert searched["count"] == Patient.objects.filter(family_name__startswith="Family1").count()


def test_the_demo_load_is_counted(world: World) -> None:
    staff = generator.create_demo_network()
    generator.load_patients(staff, 40, workers=1)
    assert _stored() == _counted()


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_patients_already_stored(
    world: World, at_the_latest_schema: Any
) -> None:
    bulk_patients(world.clinic_a, 5, "OLD")
    world.patient(clinic=world.clinic_b, mrn="OLD-B")
    migrate_to(BEFORE)  # the table and its triggers are gone
    migrate_to()
    assert _stored() == _counted()
    assert set(_stored()) == {world.clinic_a.pk, world.clinic_b.pk}
