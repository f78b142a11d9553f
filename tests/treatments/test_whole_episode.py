"""One episode end to end through the services: consent -> plan -> three sessions with needling
-> an adverse event -> sign -> addendum -> billing suggestion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.core.errors import ApplicationError
from needlerx.patients.models import Episode
from needlerx.treatments import selectors, services
from needlerx.treatments.models import SignedNoteLocked, TreatmentSession
from tests.personas import World
from tests.treatments.helpers import (
    MULTIFIDUS,
    UPPER_TRAPEZIUS,
    checked_session,
    consent,
    fresh,
    needle,
)

LEVATOR = {"muscle": "levator_scapulae", "side": "left", "technique": "static"}
TRAPEZIUS_RIGHT = {"muscle": "upper_trapezius", "side": "right", "technique": "static"}


def _sign(world: World, session: TreatmentSession) -> TreatmentSession:
    session = services.treatment_session_needle_count(
        actor=world.alice,
        session=session,
        needles_used=_needles(session),
        needles_removed=_needles(session),
    )
    session = services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment="Tolerated well; less guarding.",
        plan_notes="Continue plan.",
        aftercare_given=[
            "soreness_expected",
            "pneumothorax_safety_net",
            "spinal_safety_net",
            "contact_clinic",
        ],
        pain_before=6,
        pain_after=3,
        rom_motion="cervical_rotation_left",
        rom_before=55,
        rom_after=65,
    )
    return services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )


def _needles(session: TreatmentSession) -> int:
    return sum(e.needles or 0 for e in session.needling_entries.all())


def _session(world: World, episode: Episode, plan: list[dict[str, str]]) -> TreatmentSession:
    return checked_session(
        world.alice,
        episode,
        plan,
        rationale="Upper trapezius over the lung apex: pincer grip, 30 mm needle, shallow.",
    )


def test_a_whole_episode_from_consent_to_billing(world):
    patient = world.patient()
    episode = world.episode(patient, regions=["cervical", "lumbar"])
    consent(world.alice, episode, risk_notes="Low BMI discussed: raised pneumothorax risk.")
    plan = services.care_plan_create(
        actor=world.alice,
        episode=episode,
        frequency_per_week=2,
        duration_weeks=6,
        interventions=["dry_needling", "therapeutic_exercise", "education"],
        re_evaluation_on=timezone.localdate() + dt.timedelta(weeks=3),
        goals=[
            {"description": "Neck pain at most 2/10", "measure": "nprs", "baseline": 6, "target": 2}
        ],
    )
    services.home_exercise_add(actor=world.alice, plan=plan, exercise_id="chin_tuck_supine")
    services.home_exercise_add(actor=world.alice, plan=plan, exercise_id="band_row", sets=2)
    programme = selectors.home_exercise_programme_for_user(user=world.alice, plan_id=plan.public_id)
    assert [e["exercise_id"] for e in programme["exercises"]] == ["chin_tuck_supine", "band_row"]
    assert programme["exercises"][1]["dosage"].startswith("2 sets of 12 reps")

    sessions = []
    for plan_entries in (
        [UPPER_TRAPEZIUS],
        [UPPER_TRAPEZIUS, LEVATOR],
        [UPPER_TRAPEZIUS, TRAPEZIUS_RIGHT, LEVATOR, MULTIFIDUS],
    ):
        session = _session(world, episode, plan_entries)
        for entry in plan_entries:
            needle(world.alice, session, entry)
        sessions.append(session)
    first = sessions[0]
    event = services.adverse_event_record(
        actor=world.alice,
        session=first,
        event_type="bruising",
        severity="mild",
        onset_at=first.started_at,
        action_taken="Pressure applied for 2 minutes.",
        needling_entry_id=str(first.needling_entries.get().public_id),
        duration_minutes=30,
    )
    assert event.needling_entry is not None
    assert event.needling_entry.muscle == "upper_trapezius"

    signed = [_sign(world, fresh(s)) for s in sessions]
    assert all(s.signed_at and len(s.signed_content_hash) == 64 for s in signed)
    services.treatment_session_addendum_add(
        actor=world.alice, session=signed[0], text="Correction: 5 insertions, not 4."
    )
    with pytest.raises(SignedNoteLocked):
        services.treatment_session_update(
            actor=world.alice,
            session=signed[0],
            expected_version=signed[0].version,
            assessment="rewritten",
        )

    billing = [
        selectors.treatment_session_billing_for_user(user=world.alice, session_id=s.public_id)
        for s in signed
    ]
    assert [b["code"] for b in billing] == ["20560", "20560", "20561"]
    # Four entries, four muscles: left and right trapezius are two muscles (AAPC), plus the
    # levator scapulae and the multifidus.
    assert billing[2]["distinct_muscle_count"] == 4
    assert billing[2]["distinct_muscles"] == [
        "trapezius:left",
        "trapezius:right",
        "levator_scapulae:left",
        "multifidus:right",
    ]
    assert billing[2]["diagnosis_codes"] == ["M54.2"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "consent.record",
        "care_plan.create",
        "needling_entry.add",
        "adverse_event.record",
        "treatment_session.sign",
        "treatment_session.addendum",
    } <= actions


def test_signing_lists_everything_still_missing(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = _session(world, episode, [UPPER_TRAPEZIUS])
    needle(world.alice, session)
    with pytest.raises(ApplicationError) as refused:
        services.treatment_session_sign(
            actor=world.alice, session=session, expected_version=fresh(session).version
        )
    assert refused.value.code == "cannot_sign"
    message = refused.value.message
    assert "assessment" in message and "needle count" in message
    assert "Pneumothorax warning signs" in message
