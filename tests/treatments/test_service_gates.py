"""The safety gates at the service door, and the model-level lock behind them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from needlerx.clinical.reference_depth import reference_depth_for
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.patients.services import history_fact_record
from needlerx.treatments import services
from needlerx.treatments.depths import session_bmi
from needlerx.treatments.models import (
    Addendum,
    NeedlingEntry,
    SafetyAlert,
    SignedNoteLocked,
    TreatmentSession,
)
from needlerx.treatments.recheck import findings_needing_rationale
from tests.personas import World
from tests.treatments.helpers import (
    MULTIFIDUS,
    UPPER_TRAPEZIUS,
    checked_session,
    consent,
    fresh,
    needle,
)

DRAWN = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"


def _signed(world: World) -> TreatmentSession:
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode, [MULTIFIDUS])
    needle(world.alice, session, MULTIFIDUS, max_depth_mm=20, needle_length_mm=50)
    session = services.treatment_session_needle_count(
        actor=world.alice, session=session, needles_used=2, needles_removed=2
    )
    session = services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment="ok",
        aftercare_given=["soreness_expected", "spinal_safety_net", "contact_clinic"],
    )
    return services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )


def test_a_withdrawn_consent_no_longer_covers_needling(world):
    episode = world.episode(world.patient())
    record = consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session)
    services.consent_withdraw(actor=world.alice, consent=record, reason="Changed her mind")
    with pytest.raises(ApplicationError) as refused:
        needle(world.alice, session, {**UPPER_TRAPEZIUS})
    assert refused.value.code == "consent_required"


def test_electrical_needling_needs_the_electrical_consent_on_top_of_the_general_one(world):
    episode = world.episode(world.patient())
    electrical = {**UPPER_TRAPEZIUS, "technique": "electrical"}
    with pytest.raises(ApplicationError, match="record that consent first"):
        consent(world.alice, episode, "electrical_stimulation")
    consent(world.alice, episode, signature_kind="drawn", signature_data=DRAWN)
    session = checked_session(world.alice, episode, [electrical])
    parameters = {"frequency_hz": 2, "intensity_ma": 5, "duration_minutes": 10}
    with pytest.raises(ApplicationError) as refused:
        needle(world.alice, session, electrical, electrical=parameters)
    assert refused.value.code == "consent_required"
    consent(world.alice, episode, "electrical_stimulation")
    with pytest.raises(ApplicationError) as missing:
        needle(world.alice, session, electrical, electrical={"frequency_hz": 2})
    assert missing.value.field == "electrical.intensity_ma"
    assert needle(
        world.alice, session, electrical, electrical=parameters, paired_with="this_entry"
    ).electrical


def test_a_bad_signature_is_refused(world):
    episode = world.episode(world.patient())
    with pytest.raises(ApplicationError) as typed:
        consent(world.alice, episode, signature_data="someone else")
    assert typed.value.field == "signature_data"
    with pytest.raises(ApplicationError) as drawn:
        consent(world.alice, episode, signature_kind="drawn", signature_data="<svg onload=x>")
    assert drawn.value.field == "signature_data"
    with pytest.raises(ApplicationError) as guardian:
        consent(world.alice, episode, signer_role="guardian")
    assert guardian.value.field == "guardian_relationship"


def test_precautions_need_a_documented_rationale_before_needling(world):
    episode = world.episode(world.patient(height_cm=170, weight_kg=52))  # underweight
    consent(world.alice, episode)
    session = checked_session(world.alice, episode, rationale="")
    assert session.safety_decision == "proceed_with_precautions"
    with pytest.raises(ApplicationError) as refused:
        needle(world.alice, session)
    assert refused.value.code == "rationale_required"
    lacking = {
        rule_id: "Pincer grip, needle directed posteriorly."
        for rule_id in findings_needing_rationale(session.safety_result)
    }
    services.treatment_session_precaution_rationale(
        actor=world.alice, session=session, rationales=lacking
    )
    assert needle(world.alice, session).muscle == "upper_trapezius"


def test_a_muscle_outside_the_checked_plan_or_after_new_facts_needs_a_new_check(world):
    patient = world.patient()
    episode = world.episode(patient)
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    with pytest.raises(ApplicationError) as outside:
        needle(world.alice, session, MULTIFIDUS)
    assert outside.value.code == "safety_check_required"
    history_fact_record(actor=world.alice, patient=patient, fact="pregnant", value=True)
    with pytest.raises(ApplicationError) as changed:
        needle(world.alice, session)
    assert "changed since the safety re-check" in changed.value.message


def test_depth_beyond_the_published_safe_depth_needs_acknowledgement(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    reference = reference_depth_for("upper_trapezius", session_bmi(session.safety_facts))
    assert reference is not None and reference.mm < 35  # the catalogue's figure for this patient
    with pytest.raises(ApplicationError) as warned:
        needle(world.alice, session, max_depth_mm=35, needle_length_mm=40)
    assert (warned.value.code, warned.value.field) == ("depth_warning", "max_depth_mm")
    assert f"{reference.mm:g} mm" in warned.value.message
    assert reference.source.label_for_clinicians() in warned.value.message
    assert not NeedlingEntry.objects.exists()
    entry = needle(
        world.alice, session, max_depth_mm=35, needle_length_mm=40, depth_warning_acknowledged=True
    )
    assert entry.depth_warning_acknowledged
    assert entry.depth_warning is not None
    assert entry.depth_warning["reference_depth_mm"] == reference.mm


def test_implausible_needle_numbers_are_refused_naming_the_field(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    cases: tuple[tuple[dict[str, Any], str], ...] = (
        ({"needle_gauge_mm": 3}, "needle_gauge_mm"),
        ({"max_depth_mm": 45}, "max_depth_mm"),
        ({"insertions": 0}, "insertions"),
    )
    for fields, field in cases:
        with pytest.raises(ApplicationError) as refused:
            needle(world.alice, session, **fields)
        assert refused.value.field == field
    assert not NeedlingEntry.objects.exists()


def test_two_editors_of_one_draft_cannot_overwrite_each_other(world):
    session = checked_session(world.alice, world.episode(world.patient()))
    opened = session.version
    services.treatment_session_update(
        actor=world.alice, session=session, expected_version=opened, assessment="first"
    )
    with pytest.raises(ApplicationError) as stale:
        services.treatment_session_update(
            actor=world.alice, session=session, expected_version=opened, assessment="second"
        )
    assert stale.value.code == "conflict"
    assert fresh(session).assessment == "first"


def test_only_the_treating_clinician_signs(world):
    episode = world.episode(world.patient())
    session = services.treatment_session_start(actor=world.nora, episode=episode)
    session = services.treatment_session_update(
        actor=world.nora, session=session, expected_version=session.version, assessment="ok"
    )
    with pytest.raises(PermissionDenied):
        services.treatment_session_sign(
            actor=world.alice, session=session, expected_version=session.version
        )


def test_a_signed_note_is_locked_at_every_level(world):
    session = _signed(world)
    with pytest.raises(SignedNoteLocked):
        services.treatment_session_safety_check(
            actor=world.alice, session=session, plan=[MULTIFIDUS]
        )
    with pytest.raises(SignedNoteLocked):
        needle(world.alice, session, MULTIFIDUS)
    # The last line of defence: model save, queryset update and delete, parts of the note.
    session.assessment = "edited in a shell"
    with pytest.raises(SignedNoteLocked):
        session.save()
    with pytest.raises(SignedNoteLocked):
        TreatmentSession.objects.filter(pk=session.pk).update(assessment="bulk edit")
    with pytest.raises(SignedNoteLocked):
        TreatmentSession.objects.filter(pk=session.pk).delete()
    entry = NeedlingEntry.objects.get(session=session)
    entry.max_depth_mm = 5
    with pytest.raises(SignedNoteLocked):
        entry.save()
    with pytest.raises(SignedNoteLocked):
        NeedlingEntry.objects.filter(pk=entry.pk).update(insertions=1)
    with pytest.raises(SignedNoteLocked):
        entry.delete()
    with pytest.raises(SignedNoteLocked):
        SafetyAlert.objects.create(
            session=session,
            kind="needle_count_mismatch",
            raised_at=timezone.now(),
            raised_by=world.alice,
        )
    assert fresh(session).assessment == "ok"
    addendum = services.treatment_session_addendum_add(
        actor=world.alice, session=session, text="Patient reported mild soreness next day."
    )
    addendum.text = "rewritten"
    with pytest.raises(SignedNoteLocked):
        addendum.save()
    assert Addendum.objects.get(pk=addendum.pk).text.startswith("Patient reported")


def test_an_adverse_event_can_be_registered_after_signing_but_must_fit_the_scale(world):
    session = _signed(world)
    with pytest.raises(ApplicationError) as too_mild:
        services.adverse_event_record(
            actor=world.alice,
            session=session,
            event_type="pneumothorax",
            severity="mild",
            onset_at=session.started_at,
            action_taken="ED referral",
        )
    assert too_mild.value.field == "severity"
    event = services.adverse_event_record(
        actor=world.alice,
        session=session,
        event_type="pain_after",
        severity="mild",
        onset_at=session.started_at + dt.timedelta(seconds=1),
        action_taken="Advice given",
    )
    assert event.clinic == session.clinic


def test_front_desk_cannot_document_treatment(world):
    episode = world.episode(world.patient())
    with pytest.raises(PermissionDenied):
        services.treatment_session_start(actor=world.frank, episode=episode)
    with pytest.raises(PermissionDenied):
        consent(world.frank, episode)
