from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.clinical.reference import fact_catalogue
from needlerx.clinical.screening import screen
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.patients.models import Episode, Patient
from needlerx.patients.selectors import patient_screening_facts


def test_registering_a_patient_stores_and_audits_it(world):
    patient = world.patient()
    assert Patient.objects.get(public_id=patient.public_id).family_name == "Example"
    event = AuditEvent.objects.filter(action="patient.register").get()
    assert event.patient_public_id == str(patient.public_id)
    assert event.actor_username == "alice"


def test_a_patient_born_in_the_future_is_refused_and_nothing_is_stored(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ApplicationError) as caught:
        world.patient(date_of_birth=tomorrow)
    assert caught.value.field == "date_of_birth"
    assert "future" in caught.value.message
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.filter(action="patient.register").exists()


@pytest.mark.parametrize("weight", [-3, 0, 10_000, "heavy"])
def test_an_impossible_weight_is_refused_naming_the_field_and_range(world, weight):
    with pytest.raises(ApplicationError) as caught:
        world.patient(weight_kg=weight)
    assert caught.value.field == "weight_kg"
    weight_fact = fact_catalogue()["weight_kg"]
    assert f"from {weight_fact.minimum:g} to {weight_fact.maximum:g}" in caught.value.message
    assert not Patient.objects.exists()


@pytest.mark.parametrize("field", ["height_cm", "weight_kg"])
def test_a_body_measure_the_screen_would_refuse_is_refused_at_registration(world, field):
    """Registration accepts what the screen accepts, so a stored value never breaks a screen."""
    maximum = fact_catalogue()[field].maximum
    assert maximum is not None
    above = maximum + 1
    with pytest.raises(ApplicationError) as caught:
        world.patient(**{field: above})
    assert caught.value.field == field
    assert not Patient.objects.exists()


def test_the_tallest_and_heaviest_patient_registered_can_be_screened(world):
    height, weight = fact_catalogue()["height_cm"], fact_catalogue()["weight_kg"]
    patient = world.patient(height_cm=height.maximum, weight_kg=weight.maximum)
    facts = patient_screening_facts(patient=patient, on=timezone.localdate())
    plan = [{"muscle": "upper_trapezius", "side": "left", "technique": "static"}]
    assert screen(facts, plan).decision


def test_the_medical_record_number_is_unique_within_a_clinic_only(world):
    world.patient(mrn="X-1")
    with pytest.raises(ApplicationError) as caught:
        world.patient(mrn="X-1")
    assert caught.value.field == "medical_record_number"
    world.patient(clinic=world.clinic_b, mrn="X-1")
    assert Patient.objects.filter(medical_record_number="X-1").count() == 2


def test_an_unknown_field_is_named(world):
    with pytest.raises(ApplicationError) as caught:
        world.patient(shoe_size=44)
    assert caught.value.field == "shoe_size"


def test_a_clinician_cannot_register_a_patient_in_another_clinic(world):
    from needlerx.patients.services import patient_register

    with pytest.raises(PermissionDenied):
        patient_register(
            actor=world.bob,
            clinic=world.clinic_a,
            medical_record_number="Z",
            given_name="A",
            family_name="B",
            date_of_birth=dt.date(1990, 1, 1),
        )
    assert not Patient.objects.exists()


@pytest.mark.parametrize("code", ["54.2", "M54.", "M54.21234", "MM4.2", "M5", "", None])
def test_a_malformed_icd10cm_code_is_refused_and_no_episode_is_stored(world, code):
    patient = world.patient()
    from needlerx.patients.services import episode_open

    with pytest.raises(ApplicationError) as caught:
        episode_open(
            actor=world.alice,
            patient=patient,
            regions=["cervical"],
            onset_date=dt.date(2026, 1, 1),
            diagnosis_codes=[code],
        )
    assert caught.value.field == "diagnosis_codes[0]"
    assert "ICD-10-CM" in caught.value.message
    assert not Episode.objects.exists()


def test_codes_are_normalised_and_regions_ordered(world):
    from needlerx.patients.services import episode_open

    episode = episode_open(
        actor=world.alice,
        patient=world.patient(),
        regions=["lumbar", "cervical", "lumbar"],
        onset_date=dt.date(2026, 1, 1),
        diagnosis_codes=[" m54.2 ", "M62.830"],
    )
    assert episode.regions == ["cervical", "lumbar"]
    assert episode.diagnosis_codes == ["M54.2", "M62.830"]


def test_an_unknown_region_is_refused_listing_the_allowed_ones(world):
    from needlerx.patients.services import episode_open

    with pytest.raises(ApplicationError) as caught:
        episode_open(
            actor=world.alice,
            patient=world.patient(),
            regions=["knee"],
            onset_date=dt.date(2026, 1, 1),
        )
    assert caught.value.field == "regions"
    assert "cervical, thoracic, lumbar" in caught.value.message
