"""What the treatment API answers (ids are public UUIDs): consent, the plan of care and its home
exercise programme, the session note with its safety re-check, needling entries, alerts and
addenda, the seal check, the billing suggestion, adverse events and follow-ups.

Only the fields listed here leave the server. Timestamps the note writes as ISO text keep their
exact form (``IsoDateTime``). The consent templates, the exercise library and the adverse-event
reference are reference data: their own strict models are the answers' schemas.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import Field

from needlerx.clinical.reference.vocabulary import Decision, Side, Technique
from needlerx.clinical.treatment_reference import (
    AdverseEventReference,
    ConsentTemplate,
    ExerciseLibrary,
    SeverityId,
)
from needlerx.clinical.treatment_rules import FollowUpStatus
from needlerx.core.responses import FactValue, IsoDateTime, Number, Out, left_out_when_none
from needlerx.screening.responses import (
    PlanEntryOut,
    PractitionerOut,
    ReferenceDepthOut,
    ScreenResultOut,
)

# Reference data, answered as the clinical core loads and checks it.
ConsentTemplateOut = ConsentTemplate
ExerciseLibraryOut = ExerciseLibrary
AdverseEventReferenceOut = AdverseEventReference

# --- consent ----------------------------------------------------------------------------------

# ``treatments.models.SignerRole`` and ``SignatureKind`` (a test keeps them equal).
SignerRoleOut = Literal["patient", "guardian"]
SignatureKindOut = Literal["typed", "drawn"]


class ConsentTextOut(Out):
    """One section of the consent as the signer read it."""

    id: str
    heading: str
    text: str


class ConsentOut(Out):
    id: uuid.UUID
    episode_id: uuid.UUID
    template_id: str
    template_version: int
    template_title: str
    techniques: list[Technique]
    signer_role: SignerRoleOut
    signer_name: str
    signature_kind: SignatureKindOut
    signed_at: dt.datetime
    witness_name: str
    risk_notes: str
    text: list[ConsentTextOut]
    active: bool
    withdrawn_at: dt.datetime | None


# --- plan of care -----------------------------------------------------------------------------


class GoalOut(Out):
    id: uuid.UUID
    description: str
    measure: str
    measure_detail: str
    baseline: float | None
    target: float
    target_by: dt.date | None


class ProgrammeExerciseOut(Out):
    """One exercise of the programme with its dosage in words and in numbers."""

    id: uuid.UUID
    exercise_id: str
    name: str
    position: str
    instructions: str
    dosage: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    duration_minutes: int | None
    times_per_day: int
    days_per_week: int
    notes: str
    flagged_tags: list[str]


class ProgrammeOut(Out):
    """The home exercise programme as the patient's printout shows it."""

    patient_name: str
    clinic: str
    clinician: str
    plan_id: uuid.UUID
    updated_at: IsoDateTime
    exercises: list[ProgrammeExerciseOut]
    library_version: str
    source_note: str


class CarePlanOut(Out):
    id: uuid.UUID
    episode_id: uuid.UUID
    version: int
    frequency_per_week: int
    duration_weeks: int
    interventions: list[str]
    re_evaluation_on: dt.date
    notes: str
    goals: list[GoalOut]
    home_exercise_programme: ProgrammeOut


# --- the session note -------------------------------------------------------------------------


class FindingRationaleOut(Out):
    """The clinician's rationale for one finding, with the evidence it was written against."""

    rationale: str
    evidence: str
    carried_from: uuid.UUID | None
    by: str
    at: str


class SafetyChangesOut(Out):
    """Findings new, changed, unchanged and resolved since the last signed re-check."""

    new: list[str]
    changed: list[str]
    unchanged: list[str]
    resolved: list[str]
    since_session: uuid.UUID | None
    since_signed_at: IsoDateTime | None
    titles: dict[str, str]


class SafetyCheckOut(Out):
    """The safety re-check of this session: what the screen read and what it decided."""

    checked_at: IsoDateTime | None
    decision: Decision | Literal[""]
    ruleset_version: str
    facts: dict[str, FactValue] | None
    plan: list[PlanEntryOut] | None
    practitioner: PractitionerOut | None
    result: ScreenResultOut | None
    rationale: str
    finding_rationales: dict[str, FindingRationaleOut]
    changes: SafetyChangesOut | None


class DepthWarningOut(Out):
    """Needling deeper than the muscle's reference depth (acknowledged on the entry)."""

    muscle: str
    depth_mm: Number
    reference_depth_mm: Number | None = left_out_when_none("The reference depth, in mm.")
    safe_depth_mm: Number
    reference_depth: ReferenceDepthOut | None = left_out_when_none("The figure and its source.")
    message: str
    source: str


class ElectricalOut(Out):
    """The stimulation parameters of an electrical entry."""

    frequency_hz: Number
    intensity_ma: Number
    pulse_width_us: Number | None = left_out_when_none("Pulse width in microseconds, if noted.")
    duration_minutes: Number
    circuit: Literal["within_entry"] | None = left_out_when_none(
        "``within_entry`` when both electrodes are needles of this entry."
    )


class NeedlingEntryOut(Out):
    id: uuid.UUID
    muscle: str
    side: Side
    technique: Technique
    needle_gauge_mm: float
    needle_length_mm: float
    max_depth_mm: float
    insertions: int
    needles: int | None
    paired_with: uuid.UUID | None
    local_twitch_responses: int
    duration_seconds: int | None
    electrical: ElectricalOut | None
    depth_warning: DepthWarningOut | None
    depth_warning_acknowledged: bool


class SafetyAlertOut(Out):
    id: uuid.UUID
    kind: str
    detail: dict[str, Number]
    raised_at: IsoDateTime
    resolution: str
    resolution_note: str
    resolved_at: IsoDateTime | None


class OtherInterventionOut(Out):
    intervention: str
    minutes: int | None
    notes: str


class AddendumOut(Out):
    id: uuid.UUID
    author: str
    written_at: IsoDateTime
    text: str


class SignBlockerOut(Out):
    field: str
    message: str


class EvaluationOut(Out):
    """The evaluation fields (initial evaluation, re-evaluation; a discharge adds the last two)."""

    history: str
    systems_review: str
    tests_and_measures: str
    goals: str
    discharge_reason: str
    discharge_status: str


class CarriedForwardOut(Out):
    """The last visit's muscles carried into this note and confirmed by the clinician."""

    from_session: uuid.UUID
    from_started_at: IsoDateTime
    at: IsoDateTime = Field(description="When the clinician confirmed them")
    by: str = Field(description="Username of the clinician who confirmed them")
    entries: list[str] = Field(description="The muscles confirmed, in words")
    changed: bool = Field(description="Whether the clinician changed what was carried forward")


class SessionNoteOut(Out):
    """The note, its version (send it back with each change), lock state and what blocks
    signing."""

    note_type: str = Field(
        description="treatment (follow-up), initial_evaluation, re_evaluation or discharge"
    )
    evaluation: EvaluationOut
    carried_forward_confirmed: CarriedForwardOut | None

    pain_now: int | None
    change_since_last: str
    soreness_since_last: int | None
    last_session_follow_up: str
    subjective_notes: str
    objective_notes: str
    needles_used: int | None
    needles_removed: int | None
    pain_before: int | None
    pain_after: int | None
    rom_motion: str
    rom_before: float | None
    rom_after: float | None
    other_interventions: list[OtherInterventionOut]
    aftercare_given: list[str]
    assessment: str
    plan_notes: str
    id: uuid.UUID
    episode_id: uuid.UUID
    patient_id: uuid.UUID
    clinician: str
    started_at: IsoDateTime
    safety_check: SafetyCheckOut
    needling_entries: list[NeedlingEntryOut]
    safety_alerts: list[SafetyAlertOut]
    version: int
    signed_at: IsoDateTime | None
    signed_by: str | None
    signed_content_hash: str | None
    addenda: list[AddendumOut]
    required_aftercare: list[str]
    sign_blockers: list[SignBlockerOut]


class SessionSummaryOut(Out):
    """One session of an episode, for the list."""

    id: uuid.UUID
    started_at: IsoDateTime
    version: int
    clinician: str
    signed_at: dt.datetime | None


class SessionSummaryPage(Out):
    """One page of an episode's sessions, newest first; ``count`` is how many in all."""

    count: int
    results: list[SessionSummaryOut]


class SealCheckOut(Out):
    """Whether a signed note's seal is intact (``ok``), and why not."""

    session_id: uuid.UUID
    ok: bool
    sealed: bool
    hash_matches: bool
    rows_match: bool | None
    stored_hash: str | None
    computed_hash: str | None
    message: str


class CountedEntryOut(Out):
    """A recorded needling entry (catalogue muscle and side) that fed a counted muscle."""

    muscle: str
    name: str
    side: str


class CountedMuscleOut(Out):
    """One anatomical muscle on one side: one towards the code's muscle count."""

    muscle: str
    name: str
    side: str
    named: bool
    entries: list[CountedEntryOut]
    reasoning: str


class BillingSuggestionOut(Out):
    """The CPT suggestion (a suggestion only) from the anatomical muscles needled, counted per
    side, with the reasoning, its sources and the episode's ICD-10-CM codes.

    ``distinct_muscle_count`` is the number of anatomical muscles per side (right and left are
    two); ``distinct_muscles`` lists them as ``muscle:side`` (see docs/treatment-workflow.md).
    """

    session_id: uuid.UUID
    signed: bool
    code_system: Literal["CPT"]
    code: str | None
    label: str
    distinct_muscle_count: int
    distinct_muscles: list[str]
    counted_muscles: list[CountedMuscleOut]
    diagnosis_codes: list[str]
    rule: str
    rule_sources: list[str]
    mapping_source: str
    source: str
    notices: list[str]


# --- adverse events and follow-ups ------------------------------------------------------------


class AdverseEventOut(Out):
    id: uuid.UUID
    session_id: uuid.UUID
    event_type: str
    severity: SeverityId
    onset_at: dt.datetime
    duration_minutes: int | None
    muscle: str | None
    side: Side | None
    description: str
    action_taken: str
    follow_up: str


class FollowUpOut(Out):
    id: uuid.UUID
    session_id: uuid.UUID
    outcome: str
    contacted_at: IsoDateTime


class FollowUpDueOut(Out):
    session_id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    clinic: str
    clinician: str
    needled_at: dt.datetime
    status: FollowUpStatus
    due_from: dt.datetime
    due_by: dt.datetime
    attempts: int


class FollowUpDuePage(Out):
    """One page of the follow-ups due, oldest first; ``count`` is how many are due in all."""

    count: int
    results: list[FollowUpDueOut]
