from __future__ import annotations

import datetime as dt

import pytest

from needlerx.audit.models import AuditEvent
from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied
from needlerx.patients.services import history_fact_record, medication_add
from needlerx.screening import selectors, services
from needlerx.screening.models import ScreeningRun

PLAN = [
    {"muscle": "gluteus_medius", "side": "left", "technique": "static"},
    {"muscle": "lumbar_multifidus", "side": "right", "technique": "electrical"},
]


def test_a_screen_from_the_stored_record_is_kept_with_its_inputs(world):
    patient = world.patient()
    episode = world.episode(patient)
    world.evaluate(patient)
    run = services.screening_run(actor=world.alice, episode=episode, plan=PLAN)
    stored = ScreeningRun.objects.get(public_id=run.public_id)
    assert stored.decision == "proceed"
    assert stored.facts["age"] == patient.age_on(stored.run_at.date())
    assert stored.plan == PLAN
    assert stored.practitioner is not None
    assert stored.practitioner["jurisdiction"] == {"country": "US", "region": "CO"}
    assert stored.ruleset_version == stored.result["ruleset_version"]
    assert AuditEvent.objects.filter(action="screening.run", object_public_id=str(run.public_id))


def test_recorded_history_and_medications_drive_the_decision(world):
    patient = world.patient()
    episode = world.episode(patient)
    medication_add(
        actor=world.alice,
        patient=patient,
        name="Apixaban",
        drug_class="anticoagulant",
        started_on=dt.date(2026, 1, 1),
    )
    world.evaluate(patient, implanted_electrical_device=True)  # history: anticoagulant "No"
    run = services.screening_run(actor=world.alice, episode=episode, plan=PLAN)
    assert run.decision == "proceed_with_precautions"
    muscles = {m["muscle"]: m for m in run.result["muscles"]}
    assert muscles["lumbar_multifidus"]["allowed"] is False  # electrical with a device
    assert muscles["gluteus_medius"]["allowed"] is True
    assert run.facts["anticoagulant_therapy"] is True  # the medication list outweighs the "No"
    assert run.facts["record_conflicts"] == ["anticoagulant_therapy"]
    assert "CONTRA-RECORD-CONFLICT-001" in {f["rule_id"] for f in run.result["findings"]}


def test_a_red_flag_refers_and_the_latest_result_is_visible(world):
    patient = world.patient()
    episode = world.episode(patient)
    services.screening_run(actor=world.alice, episode=episode, plan=PLAN)
    history_fact_record(
        actor=world.alice, patient=patient, fact="cervical_myelopathy_signs", value=True
    )
    services.screening_run(actor=world.alice, episode=episode, plan=PLAN)
    latest = selectors.screening_latest_for_patient(user=world.alice, patient_id=patient.public_id)
    assert latest is not None and latest.decision == "refer"
    assert latest.result["urgency"] in ("emergency", "urgent")


def test_a_clinician_without_a_credential_gets_an_eligibility_finding(world):
    episode = world.episode(world.patient())
    run = services.screening_run(actor=world.nora, episode=episode, plan=PLAN)
    findings = run.result["findings"] + [f for m in run.result["muscles"] for f in m["findings"]]
    assert any("credential" in f["message"].lower() for f in findings)


def test_only_clinicians_screen_and_other_clinics_see_nothing(world):
    patient = world.patient()
    episode = world.episode(patient)
    with pytest.raises(PermissionDenied):
        services.screening_run(actor=world.frank, episode=episode, plan=PLAN)
    with pytest.raises(PermissionDenied):
        services.screening_run(actor=world.bob, episode=episode, plan=PLAN)
    services.screening_run(actor=world.alice, episode=episode, plan=PLAN)
    with pytest.raises(NotFound):
        selectors.screening_latest_for_patient(user=world.bob, patient_id=patient.public_id)
    with pytest.raises(PermissionDenied):
        selectors.screening_latest_for_patient(user=world.frank, patient_id=patient.public_id)


def test_an_unknown_muscle_is_refused_and_nothing_is_stored(world):
    episode = world.episode(world.patient())
    with pytest.raises(ApplicationError) as caught:
        services.screening_run(
            actor=world.alice,
            episode=episode,
            plan=[{"muscle": "biceps_femoris_x", "side": "left", "technique": "static"}],
        )
    assert caught.value.field == "plan[0].muscle"
    assert not ScreeningRun.objects.exists()
    assert not AuditEvent.objects.filter(action="screening.run").exists()


def test_an_expired_credential_reads_as_expired_not_as_missing(world):
    from django.utils import timezone

    from needlerx.accounts.services import credential_add

    today = timezone.localdate()
    credential_add(
        user=world.nora,
        training_provider="Test Institute",
        hours=54,
        completed_on=today - dt.timedelta(days=800),
        expires_on=today - dt.timedelta(days=1),
        licence_number="PT-9",
        licence_country="US",
        licence_region="CO",
    )
    patient = world.patient()
    world.evaluate(patient)
    run = services.screening_run(actor=world.nora, episode=world.episode(patient), plan=PLAN)
    rule_ids = {finding["rule_id"] for finding in run.result["findings"]}
    assert "ELIG-CREDENTIAL-003" in rule_ids
    assert "ELIG-CREDENTIAL-001" not in rule_ids


def test_extra_facts_cannot_overrule_a_risk_on_record(world):
    from needlerx.core.errors import ApplicationError

    patient = world.patient()
    world.evaluate(patient)
    medication_add(
        actor=world.alice,
        patient=patient,
        name="Apixaban",
        drug_class="anticoagulant",
        started_on=dt.date(2026, 1, 1),
    )
    episode = world.episode(patient)
    with pytest.raises(ApplicationError) as refused:
        services.screening_run(
            actor=world.alice,
            episode=episode,
            plan=PLAN,
            extra_facts={"anticoagulant_therapy": False},
        )
    assert refused.value.field == "extra_facts.anticoagulant_therapy"
    assert not ScreeningRun.objects.exists()
