"""Input and output shapes of the treatment API (ids are public UUIDs)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class ConsentIn(In):
    template_id: str
    template_version: int | None = None
    signer_role: str = "patient"
    signer_name: str
    guardian_relationship: str = ""
    signature_kind: str
    signature_data: str
    witness_name: str = ""
    risk_notes: str = ""
    techniques: list[str] | None = None
    signed_at: dt.datetime | None = None


class ConsentWithdrawIn(In):
    reason: str = ""


class ConsentOut(Schema):
    id: uuid.UUID
    episode_id: uuid.UUID
    template_id: str
    template_version: int
    template_title: str
    techniques: list[str]
    signer_role: str
    signer_name: str
    signature_kind: str
    signed_at: dt.datetime
    witness_name: str
    risk_notes: str
    text: list[dict[str, str]]
    active: bool
    withdrawn_at: dt.datetime | None


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


class CarePlanOut(Schema):
    id: uuid.UUID
    episode_id: uuid.UUID
    version: int
    frequency_per_week: int
    duration_weeks: int
    interventions: list[str]
    re_evaluation_on: dt.date
    notes: str
    goals: list[dict[str, Any]]
    home_exercise_programme: dict[str, Any]


class SessionStartIn(In):
    started_at: dt.datetime | None = None


class SessionPatchIn(In):
    expected_version: int
    pain_now: int | None = None
    change_since_last: str | None = None
    soreness_since_last: int | None = None
    last_session_follow_up: str | None = None
    subjective_notes: str | None = None
    objective_notes: str | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    rom_motion: str | None = None
    rom_before: float | None = None
    rom_after: float | None = None
    other_interventions: list[dict[str, Any]] | None = None
    aftercare_given: list[str] | None = None
    assessment: str | None = None
    plan_notes: str | None = None


class PlanEntryIn(In):
    muscle: str
    side: str
    technique: str


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
    muscle: str
    side: str
    technique: str
    needle_gauge_mm: float
    needle_length_mm: float
    max_depth_mm: float
    insertions: int
    needles: int
    local_twitch_responses: int = 0
    duration_seconds: int | None = None
    electrical: dict[str, float] | None = None
    paired_with: str | None = None
    depth_warning_acknowledged: bool = False
    expected_version: int | None = None


class NeedleCountIn(In):
    needles_used: int
    needles_removed: int
    expected_version: int | None = None


class AlertResolveIn(In):
    resolution: str
    note: str


class SignIn(In):
    expected_version: int


class AddendumIn(In):
    text: str


class AdverseEventIn(In):
    event_type: str
    severity: str
    onset_at: dt.datetime
    action_taken: str
    needling_entry_id: str | None = None
    duration_minutes: int | None = None
    description: str = ""
    follow_up: str = ""


class AdverseEventOut(Schema):
    id: uuid.UUID
    session_id: uuid.UUID
    event_type: str
    severity: str
    onset_at: dt.datetime
    duration_minutes: int | None
    muscle: str | None
    side: str | None
    description: str
    action_taken: str
    follow_up: str


class FollowUpIn(In):
    method: str
    outcome: str
    notes: str = ""
    contacted_at: dt.datetime | None = None


class FollowUpDueOut(Schema):
    session_id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    clinic: str
    clinician: str
    needled_at: dt.datetime
    status: str
    due_from: dt.datetime
    due_by: dt.datetime
    attempts: int
