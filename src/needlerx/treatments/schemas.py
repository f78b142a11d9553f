"""Input and output shapes of the treatment API (ids are public UUIDs).

The ``...In`` models are the one input model of each write: the API takes them as the request
body and ``needlerx treatment`` parses its JSON and options with them (``core.inputs``). Ranges
and allowed values come from the clinical data, through the same rules the services run.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.reference.vocabulary import SIDES, TECHNIQUES
from needlerx.clinical.scoring.library import get_instrument
from needlerx.clinical.treatment_reference import SEVERITY_IDS, LimitName, adverse_event_reference
from needlerx.clinical.treatment_rules import check_limit, validate_aftercare_ids
from needlerx.core.inputs import AwareDateTime, Described, OneOf, checked_by
from needlerx.treatments.models import (
    ChangeSinceLast,
    FollowUpMethod,
    FollowUpOutcome,
    NoteType,
    SafetyAlertResolution,
    SignatureKind,
    SignerRole,
)


def within_limit(name: LimitName, *, whole: bool = False) -> BeforeValidator:
    """Inside the plausibility limit ``name`` of needling_record.yaml (the services' rule)."""
    return checked_by(lambda value: check_limit(name, value, name, whole=whole))


def _muscle_ids() -> list[str]:
    return list(muscle_catalogue())


def _rom_motions() -> list[str]:
    return [motion.id for motion in get_instrument("rom").subscales]


def _changes_since_last() -> Sequence[str]:
    return ChangeSinceLast.values


def _note_types() -> Sequence[str]:
    return NoteType.values


def _adverse_event_types() -> list[str]:
    return [event_type.id for event_type in adverse_event_reference().types]


def _aftercare_advice(advice_id: Any) -> None:
    validate_aftercare_ids([advice_id])


Muscle = Annotated[str, OneOf(_muscle_ids, "muscle")]
Side = Annotated[str, OneOf(lambda: SIDES, "side")]
Technique = Annotated[str, OneOf(lambda: TECHNIQUES, "technique")]
Pain = Annotated[int | None, within_limit("pain_nprs", whole=True)]
NeedleCount = Annotated[int, within_limit("needles_counted", whole=True)]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class ConsentIn(In):
    template_id: str
    template_version: int | None = None
    signer_role: Annotated[str, OneOf(lambda: SignerRole.values, "signer role")] = "patient"
    signer_name: str
    guardian_relationship: str = ""
    signature_kind: Annotated[str, OneOf(lambda: SignatureKind.values, "signature kind")]
    signature_data: str
    witness_name: str = ""
    risk_notes: str = ""
    techniques: list[str] | None = None
    signed_at: AwareDateTime | None = None


class ConsentWithdrawIn(In):
    reason: str = ""


class GoalIn(In):
    description: str
    measure: str
    measure_detail: str = ""
    baseline: float | None = None
    target: float
    target_by: dt.date | None = None


class CarePlanIn(In):
    frequency_per_week: int
    duration_weeks: int
    interventions: list[str]
    re_evaluation_on: dt.date
    notes: str = ""
    goals: list[GoalIn] = []


class CarePlanPatchIn(In):
    expected_version: int
    frequency_per_week: int | None = None
    duration_weeks: int | None = None
    interventions: list[str] | None = None
    re_evaluation_on: dt.date | None = None
    notes: str | None = None


class HomeExerciseIn(In):
    exercise_id: str
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    duration_minutes: int | None = None
    times_per_day: int | None = None
    days_per_week: int | None = None
    notes: str = ""
    contraindication_rationale: str = ""


class SessionStartIn(In):
    started_at: AwareDateTime | None = None
    note_type: Annotated[str, OneOf(_note_types, "note type")] = "treatment"
    carry_forward: bool = Field(
        False,
        description="Offer the episode's last signed needling (muscles, numbers) and plan to "
        "confirm, as the web note does",
    )


class SessionPatchIn(In):
    """The SOAP fields of a draft note; only the fields sent change (``needlerx treatment
    update`` reads the same JSON). Whether the ROM values fit the motion is the service's check,
    as the motion may be the one already on the note."""

    expected_version: int
    pain_now: Pain = None
    change_since_last: Annotated[
        str | None, OneOf(_changes_since_last, "change since last session", blank=True)
    ] = None
    soreness_since_last: Pain = None
    last_session_follow_up: str | None = None
    subjective_notes: str | None = None
    objective_notes: str | None = None
    pain_before: Pain = None
    pain_after: Pain = None
    rom_motion: Annotated[str | None, OneOf(_rom_motions, "motion", blank=True)] = None
    rom_before: float | None = None
    rom_after: float | None = None
    other_interventions: list[dict[str, Any]] | None = None
    aftercare_given: list[Annotated[str, checked_by(_aftercare_advice)]] | None = None
    assessment: str | None = None
    plan_notes: str | None = None
    history: str | None = None
    systems_review: str | None = None
    tests_and_measures: str | None = None
    goals: str | None = None
    discharge_reason: str | None = None
    discharge_status: str | None = None


class PlanEntryIn(In):
    muscle: Muscle
    side: Side
    technique: Technique


class SafetyCheckIn(In):
    plan: list[PlanEntryIn]
    rationales: dict[str, str] = {}
    expected_version: int | None = None


class RationaleIn(In):
    rationales: dict[str, str]
    expected_version: int | None = None


class GuidanceAcknowledgeIn(In):
    expected_version: int | None = None


class NeedlingIn(In):
    """One muscle needled (``needlerx treatment needling`` reads the same JSON). The gates
    (credential, consent, re-check, depth) and the checks across fields are the service's."""

    muscle: Muscle
    side: Side
    technique: Technique
    needle_gauge_mm: Annotated[float, within_limit("needle_gauge_mm")]
    needle_length_mm: Annotated[float, within_limit("needle_length_mm")]
    max_depth_mm: Annotated[float, within_limit("max_depth_mm")]
    insertions: Annotated[int, within_limit("insertions", whole=True)]
    needles: NeedleCount
    local_twitch_responses: Annotated[int, within_limit("local_twitch_responses", whole=True)] = 0
    duration_seconds: Annotated[int | None, within_limit("duration_seconds", whole=True)] = None
    electrical: dict[str, float] | None = None
    paired_with: str | None = None
    depth_warning_acknowledged: bool = False
    expected_version: int | None = None


class NeedleCountIn(In):
    needles_used: NeedleCount
    needles_removed: NeedleCount
    expected_version: int | None = None


class AlertResolveIn(In):
    resolution: Annotated[str, OneOf(lambda: SafetyAlertResolution.values, "resolution")]
    note: str


class SignIn(In):
    expected_version: int


class TakeOverIn(In):
    """The version of the colleague's draft the clinician saw when deciding to take it over."""

    expected_version: int


class AddendumIn(In):
    text: str


class AdverseEventIn(In):
    event_type: Annotated[str, OneOf(_adverse_event_types, "event type")]
    severity: Annotated[str, OneOf(lambda: SEVERITY_IDS, "severity")]
    onset_at: AwareDateTime
    action_taken: str
    needling_entry_id: Annotated[uuid.UUID, Described("a needling entry's public id")] | None = None
    duration_minutes: int | None = None
    description: str = ""
    follow_up: str = ""


class FollowUpIn(In):
    method: Annotated[str, OneOf(lambda: FollowUpMethod.values, "method")]
    outcome: Annotated[str, OneOf(lambda: FollowUpOutcome.values, "outcome")]
    notes: str = ""
    contacted_at: AwareDateTime | None = None
