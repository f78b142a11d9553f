"""MRNs that only look different are one MRN: stored, compared and searched normalised.

Security review L6.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from needlerx.core.errors import ApplicationError
from needlerx.patients.models import Patient
from needlerx.patients.mrn import normalise_medical_record_number
from needlerx.patients.selectors import patient_list_for_user

LOOK_ALIKES = {
    "lower case": "aus-000014",
    "trailing space": "AUS-000014 ",
    "leading tab and space": "\t AUS-000014",
    "U+2010 hyphen": "AUS\u2010000014",
    "U+2011 non-breaking hyphen": "AUS\u2011000014",
    "U+2013 en dash": "AUS\u2013000014",
    "U+2212 minus sign": "AUS\u2212000014",
    "U+FE63 small hyphen-minus": "AUS\ufe63000014",
    "full-width letters, digits, hyphen": "\uff21\uff35\uff33\uff0d"
    + "\uff10\uff10\uff10\uff10\uff11\uff14",
    "zero-width space": "AUS-\u200b000014",
    "soft hyphen": "AUS-000\u00ad014",
}


@pytest.mark.parametrize("typed", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_each_look_alike_normalises_to_the_plain_spelling(typed):
    assert normalise_medical_record_number(typed) == "AUS-000014"


def test_inner_white_space_is_collapsed_not_removed():
    assert normalise_medical_record_number("  ab \u00a0 12\t3 ") == "AB 12 3"


@pytest.mark.parametrize("typed", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_a_look_alike_of_an_mrn_in_use_is_refused_in_the_same_clinic(world, typed):
    world.patient(mrn="AUS-000014")
    with pytest.raises(ApplicationError) as caught:
        world.patient(mrn=typed)
    assert caught.value.field == "medical_record_number"
    assert "already used" in caught.value.message
    assert Patient.objects.count() == 1


def test_the_mrn_is_stored_normalised(world):
    patient = world.patient(mrn=" aus\u2010000015 ")
    assert Patient.objects.get(pk=patient.pk).medical_record_number == "AUS-000015"


def test_another_clinic_may_use_the_same_mrn(world):
    world.patient(mrn="AUS-000014")
    world.patient(clinic=world.clinic_b, mrn="aus\u2010000014")
    assert Patient.objects.filter(medical_record_number="AUS-000014").count() == 2


@pytest.mark.parametrize("typed", ["aus-000014", "AUS\u2013000014 ", " aus\u2212000014"])
def test_a_search_finds_the_patient_however_the_mrn_is_typed(world, typed):
    patient = world.patient(mrn="AUS-000014")
    assert list(patient_list_for_user(user=world.frank, search=typed)) == [patient]


def test_the_api_refuses_a_look_alike_naming_the_field(client: Client, world):
    world.patient(mrn="AUS-000014")
    client.force_login(world.frank)
    body = {
        "clinic_id": str(world.clinic_a.public_id),
        "medical_record_number": "aus\u2010000014",
        "given_name": "Ann",
        "family_name": "Other",
        "date_of_birth": "1990-01-01",
        "sex": "female",
    }
    response = client.post("/api/v1/patients/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "medical_record_number" in response.content.decode()
    assert Patient.objects.count() == 1


def test_demo_mrns_are_already_normal(db):
    """So no data migration is needed for databases loaded with the demo."""
    call_command("demo", "--no-serve", "--patients", "6")
    mrns = list(Patient.objects.values_list("medical_record_number", flat=True))
    assert len(mrns) == 6
    assert [normalise_medical_record_number(mrn) for mrn in mrns] == mrns
