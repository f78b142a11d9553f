"""Aftercare that depends on the patient: bruising advice for a patient who bleeds easily, advice
on drowsiness and driving for one who faints; the note cannot be signed without it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.core.errors import ApplicationError
from needlerx.treatments import services
from needlerx.treatments.models import TreatmentSession
from tests.personas import World
from tests.treatments.helpers import (
    UPPER_TRAPEZIUS,
    answer_required_questions,
    checked_session,
    consent,
    fresh,
    needle,
)

NECK = [("upper_trapezius", "static")]
USUAL = ["soreness_expected", "pneumothorax_safety_net", "spinal_safety_net", "contact_clinic"]


@pytest.mark.parametrize(
    "fact", ["bleeding_disorder", "anticoagulant_therapy", "antiplatelet_therapy"]
)
def test_bruising_advice_is_required_when_the_patient_bleeds_easily(fact: str):
    assert "bruising_bleeding" in {a.id for a in required_aftercare(NECK, {fact: True})}
    assert "bruising_bleeding" not in {a.id for a in required_aftercare(NECK, {fact: False})}
    assert "bruising_bleeding" not in {a.id for a in required_aftercare(NECK)}


def test_drowsiness_advice_is_required_after_fainting_before():
    ids = {a.id for a in required_aftercare(NECK, {"vasovagal_history": True})}
    assert "drowsiness_driving" in ids and "bruising_bleeding" not in ids
    assert required_aftercare([], {"vasovagal_history": True}) == []


def _needled(world: World, **answers: Any) -> TreatmentSession:
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    answer_required_questions(world.alice, episode.patient, **answers)
    session = checked_session(world.alice, episode, [UPPER_TRAPEZIUS])
    needles = needle(world.alice, session).needles or 0
    return services.treatment_session_needle_count(
        actor=world.alice,
        session=fresh(session),
        needles_used=needles,
        needles_removed=needles,
    )


def _write_up(world: World, session: TreatmentSession, advice: list[str]) -> TreatmentSession:
    return services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment="Tolerated well.",
        aftercare_given=advice,
    )


def test_an_anticoagulated_patients_note_cannot_be_signed_without_the_bruising_advice(world):
    session = _write_up(world, _needled(world, anticoagulant_therapy=True), USUAL)
    assert session.safety_facts and session.safety_facts["anticoagulant_therapy"] is True
    with pytest.raises(ApplicationError) as refused:
        services.treatment_session_sign(
            actor=world.alice, session=session, expected_version=session.version
        )
    assert refused.value.code == "cannot_sign"
    assert "Bruising and minor bleeding" in refused.value.message
    session = _write_up(world, fresh(session), [*USUAL, "bruising_bleeding"])
    signed = services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )
    assert signed.is_signed


def test_the_api_lists_the_drowsiness_advice_for_a_patient_who_faints(client, world):
    session = _needled(world, vasovagal_history=True)
    client.force_login(world.alice)
    note = client.get(f"/api/v1/sessions/{session.public_id}").json()
    assert "drowsiness_driving" in note["required_aftercare"]
    assert "bruising_bleeding" not in note["required_aftercare"]
    blockers = json.dumps(note["sign_blockers"])
    assert "Drowsiness or feeling faint" in blockers
