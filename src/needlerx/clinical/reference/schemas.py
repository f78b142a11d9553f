"""Pydantic models for facts.yaml, muscles.yaml and jurisdictions.yaml (rules live in rule_schemas).

Every model forbids unknown fields, so a typo in a data file fails at load time instead of being
silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from needlerx.clinical.evidence import Source
from needlerx.clinical.reference.vocabulary import (
    Area,
    FactGroup,
    FactKind,
    FactProvider,
    Region,
    Severity,
    SpinalRegion,
    Structure,
)

SNAKE_ID = r"^[a-z][a-z0-9_]*$"
RULE_ID = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{3}$"


class DataModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Note(DataModel):
    """A short statement in our own words, with where it comes from."""

    text: str = Field(min_length=1)
    source: Source


# --- facts.yaml -------------------------------------------------------------------------------


class FactDefinition(DataModel):
    """One screening fact the screen accepts; the UI renders its form from these.

    ``phrase`` is how the fact reads in a finding's "because" sentence (``{value}`` is replaced);
    a fact that ``qualifies`` another is written in brackets after it ("BMI 22.5 (170 cm, 65 kg)").
    ``choices`` (id -> plain sentence) or ``choices_from_group`` list what a ``fact_ids`` fact
    may contain. ``implies`` names a boolean fact this one makes true (a trimester implies
    pregnancy). ``provided_by: screen`` facts are computed from ``derived_from`` and refused as
    input.
    """

    id: str = Field(pattern=SNAKE_ID)
    kind: FactKind
    group: FactGroup
    label: str
    description: str
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    phrase: str | None = None
    qualifies: str | None = Field(default=None, pattern=SNAKE_ID)
    choices: dict[str, str] = {}
    choices_from_group: FactGroup | None = None
    implies: str | None = Field(default=None, pattern=SNAKE_ID)
    provided_by: FactProvider = "clinician"
    derived_from: list[str] = []

    @model_validator(mode="after")
    def _consistent(self) -> FactDefinition:
        numeric = self.kind in ("integer", "number")
        if not numeric and (self.minimum is not None or self.maximum is not None):
            raise ValueError("minimum/maximum are only allowed on integer or number facts")
        if numeric and (self.minimum is None or self.maximum is None):
            raise ValueError("integer and number facts need both minimum and maximum")
        listed = bool(self.choices) or self.choices_from_group is not None
        if listed != (self.kind == "fact_ids"):
            raise ValueError("a fact_ids fact needs choices or choices_from_group (and only it)")
        if (self.provided_by == "screen") != bool(self.derived_from):
            raise ValueError("derived_from is given exactly for facts provided_by: screen")
        return self


class RequiredAnswers(DataModel):
    """The questions that must be answered before needling (absent is never read as "no")."""

    always: list[str] = Field(min_length=1)
    red_flags_by_region: dict[Region, SpinalRegion] = {}
    by_structure: dict[Structure, list[str]] = {}
    when_true: dict[str, list[str]] = {}
    when_recorded: dict[str, list[str]] = {}
    source: Source


class FactsFile(DataModel):
    facts: list[FactDefinition] = Field(min_length=1)
    required: RequiredAnswers


# --- muscles.yaml -----------------------------------------------------------------------------


class StructureAtRisk(DataModel):
    structure: Structure
    note: str
    source: Source


class ReferenceDepthFigure(DataModel):
    """One source's reference depth: the deepest depth studied without reaching the structure.

    A figure with a BMI band applies only inside it; with the BMI unknown every figure counts,
    so the most conservative one is used. It is a reference line, never a safe depth.
    """

    structure: Structure
    mm: float = Field(gt=0)
    bmi_from: float | None = None
    bmi_below: float | None = None
    basis: str = Field(min_length=1)
    population: str = Field(min_length=1)
    source: Source

    def applies_at(self, bmi: float | None) -> bool:
        if bmi is None:
            return True
        above_floor = self.bmi_from is None or bmi >= self.bmi_from
        below_ceiling = self.bmi_below is None or bmi < self.bmi_below
        return above_floor and below_ceiling


class DepthStudy(DataModel):
    summary: str
    source: Source


class Muscle(DataModel):
    id: str = Field(pattern=SNAKE_ID)
    name: str
    other_names: list[str] = []
    region: Region
    levels: str | None = None
    areas: list[Area] = Field(min_length=1)
    sided: bool
    compressible: bool = True
    compressible_note: Note | None = None
    structures_at_risk: list[StructureAtRisk] = []
    depth_data: list[DepthStudy] = []
    reference_depths: list[ReferenceDepthFigure] = []
    cautions: list[Note] = []
    referred_pain: Note
    # A named muscle split from a grouped entry (e.g. iliocostalis thoracis from "thoracic erector
    # spinae"): it carries exactly the group's safety content (checked on load), and pickers for
    # new records offer it instead of the group.
    split_from: str | None = Field(default=None, pattern=SNAKE_ID)

    @model_validator(mode="after")
    def _consistent(self) -> Muscle:
        if not self.compressible and self.compressible_note is None:
            raise ValueError("a muscle that cannot be compressed needs a 'compressible_note'")
        for figure in self.reference_depths:
            if figure.structure not in self.structures:
                raise ValueError(
                    f"reference depth for {figure.structure!r}, which is not in structures_at_risk"
                )
        return self

    @property
    def structures(self) -> frozenset[Structure]:
        return frozenset(risk.structure for risk in self.structures_at_risk)

    @property
    def safe_depth_mm(self) -> float | None:
        """Deprecated name kept for older callers: the muscle's own reference depth, any BMI."""
        figures = [figure.mm for figure in self.reference_depths]
        return min(figures) if figures else None


class DepthFallback(DataModel):
    """The region's most conservative figures, for muscles over a structure with no own study."""

    id: str = Field(pattern=SNAKE_ID)
    structures: list[Structure] = Field(min_length=1)
    regions: list[Region] = Field(min_length=1)
    note: str = Field(min_length=1)
    figures: list[ReferenceDepthFigure] = Field(min_length=1)


class MusclesFile(DataModel):
    sources: dict[str, Source] = {}
    figures: dict[str, list[ReferenceDepthFigure]] = {}
    reference_depth_fallbacks: list[DepthFallback] = []
    muscles: list[Muscle] = Field(min_length=1)


# --- jurisdictions.yaml -----------------------------------------------------------------------

JurisdictionStatus = Literal["allowed", "silent", "not_permitted"]


class TrainingRequirement(DataModel):
    hours_before_clinical_use: float | None = Field(default=None, ge=0)
    total_hours: float | None = Field(default=None, ge=0)
    summary: str
    source: Source


class Jurisdiction(DataModel):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region: str = Field(pattern=r"^[A-Z0-9]{1,3}$")
    name: str
    status: JurisdictionStatus
    as_of: dt.date
    status_source: Source
    training: TrainingRequirement | None = None
    notes: list[Note] = []


MESSAGE_FIELDS = frozenset(
    {"jurisdiction", "required_hours", "total_hours", "recorded_hours", "as_of", "status_as_of"}
)


class EligibilityFinding(DataModel):
    """The wording, severity and source of one practitioner-eligibility finding."""

    rule_id: str = Field(pattern=RULE_ID)
    severity: Severity
    title: str
    message: str
    actions: list[str] = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _known_placeholders(self) -> EligibilityFinding:
        used = {name for _, name, _, _ in string.Formatter().parse(self.message) if name}
        unknown = used - MESSAGE_FIELDS
        if unknown:
            raise ValueError(f"unknown message placeholders {sorted(unknown)}")
        if self.severity == "red_flag":
            raise ValueError("practitioner eligibility is never a red flag")
        return self


class EligibilityFindings(DataModel):
    no_current_credential: EligibilityFinding
    credential_not_yet_completed: EligibilityFinding
    credential_expired: EligibilityFinding
    jurisdiction_not_recorded: EligibilityFinding
    jurisdiction_not_in_reference: EligibilityFinding
    not_permitted: EligibilityFinding
    status_silent: EligibilityFinding
    below_hours_before_clinical_use: EligibilityFinding
    below_hours_unconfirmed_requirement: EligibilityFinding
    below_total_hours: EligibilityFinding


class JurisdictionsFile(DataModel):
    sources: dict[str, Source] = {}
    findings: EligibilityFindings
    jurisdictions: list[Jurisdiction] = Field(min_length=1)


VERSION_PATTERN = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
