"""Reference data for the treatment workflow: consent templates, the home exercise library, adverse
events, billing codes, aftercare advice, needling-record limits and the bounds of recorded dates.

Plain Python (no Django). Every model forbids unknown fields and every file is cross-checked
against the screen's catalogues (facts, muscles, techniques, structures), so a typo fails at load
time with the file and the entry named.
"""

from __future__ import annotations

import datetime as dt
import itertools
import string
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import fact_catalogue, muscle_catalogue
from needlerx.clinical.reference.loader import DATA_DIR, load_model, require_unique
from needlerx.clinical.reference.vocabulary import Area, Region, Structure, Technique

SNAKE_ID = r"^[a-z][a-z0-9_]*$"
CONSENT_DIR = DATA_DIR / "consent"
CONSENT_PLACEHOLDERS = frozenset(
    {"clinician_name", "training_hours", "training_provider", "training_completed_on"}
)
SpinalRegion = Literal["cervical", "thoracic", "lumbar"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- consent/*.yaml ---------------------------------------------------------------------------


class ConsentSection(Strict):
    id: str = Field(pattern=SNAKE_ID)
    heading: str = Field(min_length=1)
    text: str = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_placeholders(self) -> ConsentSection:
        used = {name for _, name, _, _ in string.Formatter().parse(self.text) if name}
        unknown = used - CONSENT_PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"unknown placeholders {sorted(unknown)}; allowed: {sorted(CONSENT_PLACEHOLDERS)}"
            )
        return self


class ConsentTemplate(Strict):
    """One version of a consent document. A signed record keeps its own copy of the text."""

    id: str = Field(pattern=SNAKE_ID)
    version: int = Field(ge=1)
    title: str
    effective_from: dt.date
    covers_techniques: list[Technique] = Field(min_length=1)
    requires: list[str] = []
    sections: list[ConsentSection] = Field(min_length=1)

    def render(self, values: Mapping[str, str]) -> list[dict[str, str]]:
        """The sections with placeholders filled, as the patient reads and signs them."""
        return [
            {"id": s.id, "heading": s.heading, "text": s.text.format_map(dict(values))}
            for s in self.sections
        ]


@cache
def consent_templates() -> Mapping[tuple[str, int], ConsentTemplate]:
    """Every consent template version, keyed by (id, version)."""
    found: dict[tuple[str, int], ConsentTemplate] = {}
    for path in sorted(CONSENT_DIR.glob("*.yaml")):
        template = load_model(ConsentTemplate, path)
        expected = f"{template.id}.v{template.version}.yaml"
        if path.name != expected:
            raise ReferenceDataError(f"consent/{path.name}: file name must be {expected}")
        found[(template.id, template.version)] = template
    if not found:
        raise ReferenceDataError("consent/: no consent templates")
    ids = {key[0] for key in found}
    for template in found.values():
        for required in template.requires:
            if required not in ids:
                raise ReferenceDataError(
                    f"consent/{template.id}.v{template.version}.yaml: requires unknown "
                    f"template {required!r}; known: {sorted(ids)}"
                )
    return MappingProxyType(found)


def consent_template_current(template_id: str) -> ConsentTemplate | None:
    versions = [t for (tid, _), t in consent_templates().items() if tid == template_id]
    return max(versions, key=lambda t: t.version) if versions else None


def consent_templates_current() -> list[ConsentTemplate]:
    ids = sorted({tid for tid, _ in consent_templates()})
    return [t for tid in ids if (t := consent_template_current(tid)) is not None]


# --- exercises.yaml ---------------------------------------------------------------------------


class ContraindicationTag(Strict):
    id: str = Field(pattern=SNAKE_ID)
    label: str
    description: str
    screening_fact: str | None = None
    areas: list[Area] = []
    source: Source


class Dosage(Strict):
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=1, le=600)
    duration_minutes: int | None = Field(default=None, ge=1, le=180)
    times_per_day: int = Field(ge=1, le=10)
    days_per_week: int = Field(ge=1, le=7)


class Exercise(Strict):
    id: str = Field(pattern=SNAKE_ID)
    name: str
    regions: list[SpinalRegion] = Field(min_length=1)
    position: str
    instructions: str = Field(min_length=10)
    dosage: Dosage
    contraindication_tags: list[str] = []
    source: Source


class ExerciseLibrary(Strict):
    version: str
    sources: dict[str, Source] = {}
    contraindication_tags: list[ContraindicationTag]
    exercises: list[Exercise] = Field(min_length=30)

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)

    def tag(self, tag_id: str) -> ContraindicationTag:
        return next(t for t in self.contraindication_tags if t.id == tag_id)


@cache
def exercise_library() -> ExerciseLibrary:
    library = load_model(ExerciseLibrary, DATA_DIR / "exercises.yaml")
    require_unique("exercises.yaml", "exercise", (e.id for e in library.exercises))
    require_unique("exercises.yaml", "tag", (t.id for t in library.contraindication_tags))
    tags = {t.id for t in library.contraindication_tags}
    facts = fact_catalogue()
    for tag in library.contraindication_tags:
        if tag.screening_fact is not None and tag.screening_fact not in facts:
            raise ReferenceDataError(
                f"exercises.yaml: tag {tag.id!r} names unknown screening fact "
                f"{tag.screening_fact!r}"
            )
    for exercise in library.exercises:
        for tag_id in exercise.contraindication_tags:
            if tag_id not in tags:
                raise ReferenceDataError(
                    f"exercises.yaml: exercise {exercise.id!r} has unknown tag {tag_id!r}; "
                    f"known: {sorted(tags)}"
                )
    return library


# --- adverse_events.yaml ----------------------------------------------------------------------

SeverityId = Literal["mild", "significant", "serious"]
SEVERITY_IDS: tuple[SeverityId, ...] = ("mild", "significant", "serious")


class AdverseEventSeverity(Strict):
    id: SeverityId
    label: str
    definition: str
    source: Source


class AdverseEventType(Strict):
    id: str = Field(pattern=SNAKE_ID)
    label: str
    minimum_severity: SeverityId
    per_1000_treatments: float | None = Field(ge=0)
    rate_source: Source


class FollowUpWindow(Strict):
    due_after_hours: int = Field(ge=0)
    due_before_hours: int = Field(gt=0)
    rationale: str
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> FollowUpWindow:
        if self.due_before_hours <= self.due_after_hours:
            raise ValueError("due_before_hours must be later than due_after_hours")
        return self


class AdverseEventReference(Strict):
    version: str
    sources: dict[str, Source] = {}
    severities: list[AdverseEventSeverity]
    types: list[AdverseEventType] = Field(min_length=1)
    rates_note: str
    major_per_1000_treatments: float = Field(ge=0)
    major_rate_source: Source
    follow_up: FollowUpWindow

    @model_validator(mode="after")
    def _severities_in_order(self) -> AdverseEventReference:
        if tuple(s.id for s in self.severities) != SEVERITY_IDS:
            raise ValueError(f"severities must be exactly {list(SEVERITY_IDS)} in that order")
        return self

    def event_type(self, type_id: str) -> AdverseEventType | None:
        return next((t for t in self.types if t.id == type_id), None)


@cache
def adverse_event_reference() -> AdverseEventReference:
    reference = load_model(AdverseEventReference, DATA_DIR / "adverse_events.yaml")
    require_unique("adverse_events.yaml", "type", (t.id for t in reference.types))
    return reference


# --- billing.yaml -----------------------------------------------------------------------------


class CountingRule(Strict):
    counts: Literal["anatomical_muscles_per_side"]
    explanation: str
    sources: list[Source] = Field(min_length=1)


class AnatomicalMuscle(Strict):
    """One muscle for counting, with the catalogue entries that are it (parts, levels)."""

    id: str = Field(pattern=SNAKE_ID)
    name: str
    catalogue: list[str] = Field(min_length=1)
    # False for a grouped entry that names no specific muscle (payers expect the muscle named).
    named: bool = True


class AnatomicalMuscles(Strict):
    note: str
    source: Source
    muscles: list[AnatomicalMuscle] = Field(min_length=1)


class BillingCode(Strict):
    code: str = Field(pattern=r"^\d{5}$")
    label: str = Field(max_length=60)
    min_muscles: int = Field(ge=1)
    max_muscles: int | None = Field(default=None, ge=1)
    units_per_session: int = Field(ge=1)
    effective_from: dt.date
    source: Source


class BillingNotice(Strict):
    text: str
    source: Source


class BillingReference(Strict):
    version: str
    code_system: Literal["CPT"]
    counting_rule: CountingRule
    anatomical_muscles: AnatomicalMuscles
    not_named_notice: BillingNotice
    codes: list[BillingCode] = Field(min_length=1)
    notices: list[BillingNotice] = []

    @model_validator(mode="after")
    def _bands_do_not_overlap(self) -> BillingReference:
        ordered = sorted(self.codes, key=lambda c: c.min_muscles)
        for before, after in itertools.pairwise(ordered):
            if before.max_muscles is None or before.max_muscles + 1 != after.min_muscles:
                raise ValueError(f"code bands {before.code} and {after.code} must meet exactly")
        if ordered[0].min_muscles != 1 or ordered[-1].max_muscles is not None:
            raise ValueError("code bands must start at 1 muscle and be open-ended at the top")
        return self


@cache
def billing_reference() -> BillingReference:
    reference = load_model(BillingReference, DATA_DIR / "billing.yaml")
    check_every_catalogue_muscle_counted(reference)
    return reference


def check_every_catalogue_muscle_counted(reference: BillingReference) -> None:
    """Each muscles.yaml entry belongs to exactly one anatomical muscle, and no unknown id."""
    muscles = reference.anatomical_muscles.muscles
    require_unique("billing.yaml", "anatomical muscle", (m.id for m in muscles))
    listed = [entry for muscle in muscles for entry in muscle.catalogue]
    require_unique("billing.yaml", "catalogue entry", listed)
    catalogue = set(muscle_catalogue())
    unknown = sorted(set(listed) - catalogue)
    missing = sorted(catalogue - set(listed))
    if unknown:
        raise ReferenceDataError(f"billing.yaml: anatomical_muscles: unknown muscles {unknown}")
    if missing:
        raise ReferenceDataError(
            f"billing.yaml: anatomical_muscles: catalogue muscles not mapped {missing}"
        )


@cache
def anatomical_muscle_index() -> Mapping[str, AnatomicalMuscle]:
    """Catalogue muscle id -> the anatomical muscle it counts as (billing.yaml)."""
    muscles = billing_reference().anatomical_muscles.muscles
    return MappingProxyType({entry: m for m in muscles for entry in m.catalogue})


# --- aftercare.yaml ---------------------------------------------------------------------------


class RequiredWhen(Strict):
    always: bool = False
    regions_any: list[Region] = []
    structures_any: list[Structure] = []
    techniques_any: list[Technique] = []
    facts_any: list[str] = []  # boolean screening facts; required when any is true


class AftercareAdvice(Strict):
    id: str = Field(pattern=SNAKE_ID)
    label: str
    text: str
    required_when: RequiredWhen | None = None
    sources: list[Source] = Field(min_length=1)


class AftercareReference(Strict):
    version: str
    advice: list[AftercareAdvice] = Field(min_length=1)

    def item(self, advice_id: str) -> AftercareAdvice | None:
        return next((a for a in self.advice if a.id == advice_id), None)


@cache
def aftercare_reference() -> AftercareReference:
    reference = load_model(AftercareReference, DATA_DIR / "aftercare.yaml")
    require_unique("aftercare.yaml", "advice", (a.id for a in reference.advice))
    catalogue = fact_catalogue()
    for advice in reference.advice:
        for fact in advice.required_when.facts_any if advice.required_when else []:
            if fact not in catalogue or catalogue[fact].kind != "boolean":
                raise ReferenceDataError(
                    f"aftercare.yaml: advice {advice.id!r}: facts_any: {fact!r} is not a "
                    "yes/no fact of facts.yaml"
                )
    return reference


# --- needling_record.yaml ---------------------------------------------------------------------

LimitName = Literal[
    "needle_gauge_mm",
    "needle_length_mm",
    "max_depth_mm",
    "insertions",
    "local_twitch_responses",
    "duration_seconds",
    "electrical_frequency_hz",
    "electrical_intensity_ma",
    "electrical_pulse_width_us",
    "electrical_duration_minutes",
    "needles_counted",
    "pain_nprs",
]


class Limit(Strict):
    minimum: float
    maximum: float
    unit: str
    label: str


class NeedlingRecordReference(Strict):
    version: str
    source: Source
    limits: dict[LimitName, Limit]

    @model_validator(mode="after")
    def _every_limit(self) -> NeedlingRecordReference:
        missing = set(LimitName.__args__) - set(self.limits)  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"missing limits {sorted(missing)}")
        return self


@cache
def needling_record_reference() -> NeedlingRecordReference:
    return load_model(NeedlingRecordReference, DATA_DIR / "needling_record.yaml")


# --- record_dates.yaml ------------------------------------------------------------------------


class ClockSkew(Strict):
    minutes: int = Field(ge=0, le=60)
    rationale: str = Field(min_length=1)


class ConsentBeforeEpisode(Strict):
    days: int = Field(ge=0, le=366)
    rationale: str = Field(min_length=1)


class RecordDatesReference(Strict):
    """How far a recorded date may lie from now and from the care it belongs to."""

    version: str
    source: Source
    clock_skew: ClockSkew
    consent_before_episode_opened: ConsentBeforeEpisode

    @property
    def clock_skew_allowed(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.clock_skew.minutes)

    @property
    def consent_before_episode_allowed(self) -> dt.timedelta:
        return dt.timedelta(days=self.consent_before_episode_opened.days)


@cache
def record_dates_reference() -> RecordDatesReference:
    return load_model(RecordDatesReference, DATA_DIR / "record_dates.yaml")


def load_treatment_reference() -> None:
    """Load and validate every treatment data file (tests and ``needlerx check`` call this)."""
    consent_templates()
    exercise_library()
    adverse_event_reference()
    billing_reference()
    aftercare_reference()
    needling_record_reference()
    record_dates_reference()
