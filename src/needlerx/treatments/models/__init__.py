"""Treatment records: consent, plan of care, session notes, adverse events and follow-ups."""

from __future__ import annotations

from needlerx.treatments.models.acknowledgements import GuidanceAcknowledgement
from needlerx.treatments.models.consent import ConsentRecord, SignatureKind, SignerRole
from needlerx.treatments.models.events import (
    FOLLOW_UP_MADE_OUTCOMES,
    AdverseEvent,
    FollowUp,
    FollowUpMethod,
    FollowUpOutcome,
    NeedledSession,
)
from needlerx.treatments.models.locking import SignedNoteLocked
from needlerx.treatments.models.plans import CarePlan, CarePlanGoal, HomeExercise, Intervention
from needlerx.treatments.models.sessions import (
    EVALUATION_FIELDS,
    Addendum,
    ChangeSinceLast,
    NeedlingEntry,
    NoteType,
    SafetyAlert,
    SafetyAlertKind,
    SafetyAlertResolution,
    TreatmentSession,
)

__all__ = [
    "EVALUATION_FIELDS",
    "FOLLOW_UP_MADE_OUTCOMES",
    "Addendum",
    "AdverseEvent",
    "CarePlan",
    "CarePlanGoal",
    "ChangeSinceLast",
    "ConsentRecord",
    "FollowUp",
    "FollowUpMethod",
    "FollowUpOutcome",
    "GuidanceAcknowledgement",
    "HomeExercise",
    "Intervention",
    "NeedledSession",
    "NeedlingEntry",
    "NoteType",
    "SafetyAlert",
    "SafetyAlertKind",
    "SafetyAlertResolution",
    "SignatureKind",
    "SignedNoteLocked",
    "SignerRole",
    "TreatmentSession",
]
