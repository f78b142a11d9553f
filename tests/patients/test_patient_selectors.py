from __future__ import annotations

import datetime as dt

import pytest

from needlerx.core.errors import NotFound, PermissionDenied
from needlerx.patients import selectors


def test_each_clinician_sees_only_their_clinics_patients(world):
    mine = world.patient(mrn="A-1")
    theirs = world.patient(clinic=world.clinic_b, mrn="B-1")
    assert list(selectors.patient_list_for_user(user=world.alice)) == [mine]
    assert list(selectors.patient_list_for_user(user=world.bob)) == [theirs]


def test_a_patient_in_another_clinic_is_not_found(world):
    theirs = world.patient(clinic=world.clinic_b, mrn="B-1")
    with pytest.raises(NotFound):
        selectors.patient_get_for_user(user=world.alice, public_id=theirs.public_id)


def test_front_desk_sees_demographics_but_not_clinical_detail(world):
    patient = world.patient()
    assert selectors.patient_get_for_user(user=world.frank, public_id=patient.public_id) == patient
    with pytest.raises(PermissionDenied):
        selectors.patient_get_for_user(
            user=world.frank, public_id=patient.public_id, permission="patient.view_clinical"
        )


@pytest.mark.parametrize("term", ["exam", "Pat", "A-0001", "1980-05-17"])
def test_search_by_name_mrn_or_date_of_birth(world, term):
    patient = world.patient()
    world.patient(
        mrn="A-2", given_name="Quinn", family_name="Other", date_of_birth=dt.date(1970, 1, 1)
    )
    assert list(selectors.patient_list_for_user(user=world.alice, search=term)) == [patient]


def test_search_with_sql_metacharacters_is_only_text(world):
    world.patient()
    assert not selectors.patient_list_for_user(user=world.alice, search="' OR 1=1 --").exists()


def test_screening_facts_combine_record_medications_and_body_measures(world):
    from needlerx.patients.services import medication_add

    patient = world.patient(height_cm=170, weight_kg=52)
    medication_add(
        actor=world.alice,
        patient=patient,
        name="Warfarin",
        drug_class="anticoagulant",
        started_on=dt.date(2026, 1, 1),
    )
    medication_add(
        actor=world.alice,
        patient=patient,
        name="Clopidogrel",
        drug_class="antiplatelet",
        started_on=dt.date(2025, 1, 1),
        stopped_on=dt.date(2025, 6, 1),
    )
    facts = selectors.patient_screening_facts(patient=patient, on=dt.date(2026, 6, 1))
    assert facts["anticoagulant_therapy"] is True
    assert "antiplatelet_therapy" not in facts
    assert facts["height_cm"] == 170.0 and facts["weight_kg"] == 52.0
    assert facts["age"] == 46


def test_an_active_anticoagulant_outweighs_a_recorded_no_and_is_named_as_a_conflict(world):
    from needlerx.patients.services import history_fact_record, medication_add

    patient = world.patient()
    history_fact_record(
        actor=world.alice, patient=patient, fact="anticoagulant_therapy", value=False
    )
    history_fact_record(
        actor=world.alice, patient=patient, fact="antiplatelet_therapy", value=False
    )
    medication_add(
        actor=world.alice,
        patient=patient,
        name="Apixaban",
        drug_class="anticoagulant",
        started_on=dt.date(2026, 1, 1),
    )
    facts = selectors.patient_screening_facts(patient=patient, on=dt.date(2026, 6, 1))
    assert facts["anticoagulant_therapy"] is True
    assert facts["antiplatelet_therapy"] is False
    assert facts["record_conflicts"] == ["anticoagulant_therapy"]


def test_device_sites_count_against_a_recorded_no(world):
    from needlerx.patients.services import history_fact_record

    patient = world.patient()
    for fact, value in (
        ("implanted_electrical_device", False),
        ("implanted_device_sites", [{"area": "chest_wall", "side": "left"}]),
    ):
        history_fact_record(actor=world.alice, patient=patient, fact=fact, value=value)
    facts = selectors.patient_screening_facts(patient=patient, on=dt.date(2026, 6, 1))
    assert facts["implanted_electrical_device"] is True
    assert facts["record_conflicts"] == ["implanted_electrical_device"]


def test_a_trimester_cannot_be_recorded_against_a_recorded_not_pregnant(world):
    from needlerx.core.errors import ApplicationError
    from needlerx.patients.services import history_fact_record

    patient = world.patient()
    history_fact_record(actor=world.alice, patient=patient, fact="pregnant", value=False)
    with pytest.raises(ApplicationError) as refused:
        history_fact_record(actor=world.alice, patient=patient, fact="pregnancy_trimester", value=1)
    assert refused.value.field == "facts.pregnancy_trimester"


def test_an_inr_and_its_date_are_recorded_together_and_a_date_alone_is_refused(world):
    from needlerx.core.errors import ApplicationError
    from needlerx.patients.models import HistoryFact
    from needlerx.patients.services import history_fact_record, history_facts_record

    patient = world.patient()
    with pytest.raises(ApplicationError):
        history_fact_record(actor=world.alice, patient=patient, fact="inr_date", value="2026-05-20")
    assert not HistoryFact.objects.filter(patient=patient).exists()
    history_facts_record(
        actor=world.alice, patient=patient, facts={"inr": 2.4, "inr_date": "2026-05-20"}
    )
    facts = selectors.patient_screening_facts(patient=patient, on=dt.date(2026, 6, 1))
    assert (facts["inr"], facts["inr_date"]) == (2.4, "2026-05-20")


def test_no_conflict_when_the_record_agrees(world):
    patient = world.patient()
    facts = selectors.patient_screening_facts(patient=patient, on=dt.date(2026, 6, 1))
    assert "record_conflicts" not in facts
