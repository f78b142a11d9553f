"""What the screening API answers: the screen's result (the JSON ``needlerx screen`` prints, the
public contract of docs/clinical-content.md), stored screening runs, and the muscle catalogue.

The session note (treatments) carries the same screen result, facts, plan and practitioner.
Keys the screen writes only sometimes (``urgency``, ``because``) are optional here and left out
of the answer when they have no value, as the screen leaves them out.
"""

from __future__ import annotations

import datetime as dt
import uuid

from needlerx.clinical.evidence import Confidence
from needlerx.clinical.reference.schemas import Muscle
from needlerx.clinical.reference.vocabulary import Decision, Severity, Side, Technique, Urgency
from needlerx.clinical.screening.findings import FindingKind
from needlerx.core.responses import FactValue, IsoDate, Number, Out, left_out_when_none

# The muscle catalogue is reference data, not patient data: its own strict model (every field
# of muscles.yaml, unknown fields refused at load) is the answer's schema.
MuscleOut = Muscle


class FindingOut(Out):
    """One rule that fired, with the facts that made it fire and its source."""

    rule_id: str
    severity: Severity
    title: str
    message: str
    actions: list[str]
    source: str
    source_confidence: Confidence
    source_url: str | None
    facts: dict[str, FactValue]
    kind: FindingKind
    urgency: Urgency | None = left_out_when_none("Red flags only: how soon to refer.")
    because: str | None = left_out_when_none("The evidence facts in plain words.")


class GuidanceOut(Out):
    """Technique guidance that applies to every patient (never changes the decision)."""

    id: str
    title: str
    message: str
    actions: list[str]
    source: str
    source_url: str | None
    source_confidence: Confidence


class ReferenceDepthOut(Out):
    """The deepest depth studied without reaching the structure: a reference line, never a
    safe depth."""

    mm: Number
    structure: str
    basis: str
    population: str
    source: str
    source_url: str | None
    source_confidence: Confidence
    fallback: bool
    bmi: Number | None


class MuscleResultOut(Out):
    muscle: str
    side: Side
    technique: Technique
    allowed: bool
    findings: list[FindingOut]
    guidance: list[GuidanceOut]
    reference_depth: ReferenceDepthOut | None


class ScreenResultOut(Out):
    """The decision, questions still unanswered, patient-level findings and one result per
    planned muscle. ``urgency`` is given with ``refer`` only."""

    decision: Decision
    urgency: Urgency | None = left_out_when_none("With ``refer`` only.")
    missing: list[str]
    findings: list[FindingOut]
    muscles: list[MuscleResultOut]
    ruleset_version: str


class PlanEntryOut(Out):
    muscle: str
    side: Side
    technique: Technique


class CredentialContextOut(Out):
    hours: Number
    completed_on: IsoDate
    expires_on: IsoDate | None


class JurisdictionOut(Out):
    country: str
    region: str


class PractitionerOut(Out):
    """The practitioner context a stored screen read: credential, jurisdiction, date."""

    credential: CredentialContextOut | None
    jurisdiction: JurisdictionOut | None
    as_of: IsoDate


class ScreeningRunOut(Out):
    id: uuid.UUID
    episode_id: uuid.UUID
    run_at: dt.datetime
    run_by: str
    decision: Decision
    ruleset_version: str
    facts: dict[str, FactValue]
    plan: list[PlanEntryOut]
    result: ScreenResultOut


class ScreeningRunPage(Out):
    """One page of a patient's stored screens, newest first; ``count`` is how many in all."""

    count: int
    results: list[ScreeningRunOut]
