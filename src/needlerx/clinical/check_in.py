"""The after-needling check-in a patient answers at home: what their answers mean.

``check_in_assess`` turns the answers (soreness 0-10, bruising, other effects, warning signs) and
whether the session needled near the lung into the urgent advice to show at once and the adverse
events to record. Every fact (the warning signs, their event types, the soreness that is
recorded, how long links stay open) lives in ``data/check_in.yaml`` with its source.
Plain Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.reference.loader import DATA_DIR, load_model, require_unique
from needlerx.clinical.treatment_reference import adverse_event_reference

SNAKE_ID = r"^[a-z][a-z0-9_]*$"
SORENESS_RANGE = range(0, 11)  # the 0-10 scale the question shows


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SorenessRule(Strict):
    register_from: int = Field(ge=0, le=10)
    source: Source


class OtherEffect(Strict):
    event_type: str = Field(pattern=SNAKE_ID)
    label: str = Field(min_length=1)


class SignCase(Strict):
    signs: list[str]
    near_lung: bool
    serious: bool
    event_type: str | None = None


class WarningSign(Strict):
    id: str = Field(pattern=SNAKE_ID)
    label: str = Field(min_length=1)
    event_type: str = Field(pattern=SNAKE_ID)
    event_type_near_lung: str | None = Field(default=None, pattern=SNAKE_ID)
    severity: str
    sources: list[Source] = Field(min_length=1)
    cases: list[SignCase] = Field(min_length=1)

    def event_type_for(self, near_lung: bool) -> str:
        return (self.event_type_near_lung or self.event_type) if near_lung else self.event_type


class UrgentAdvice(Strict):
    heading: str = Field(min_length=1)
    text: str = Field(min_length=1)


class LinkLifetimes(Strict):
    check_in_grace_hours: int = Field(ge=0)
    questionnaire_days: int = Field(ge=1)
    home_programme_days: int = Field(ge=1)
    source: Source


class ReminderTiming(Strict):
    """When one reminder goes for an unanswered link, per kind of task (hours after it opened)."""

    after_hours: dict[str, int]
    min_hours_left: int = Field(ge=0)
    reason: str = Field(min_length=1)
    source: Source


class CheckInReference(Strict):
    version: str
    sources: dict[str, Source]
    soreness: SorenessRule
    other_effects: list[OtherEffect] = Field(min_length=1)
    lung_structures: list[str] = Field(min_length=1)
    urgent_advice: UrgentAdvice
    warning_signs: list[WarningSign] = Field(min_length=1)
    links: LinkLifetimes
    reminders: ReminderTiming

    @model_validator(mode="after")
    def _known_event_types(self) -> CheckInReference:
        reference = adverse_event_reference()
        known = {t.id for t in reference.types}
        severities = {s.id for s in reference.severities}
        used = [e.event_type for e in self.other_effects]
        for sign in self.warning_signs:
            used += [sign.event_type, sign.event_type_near_lung or sign.event_type]
            if sign.severity not in severities:
                raise ValueError(f"{sign.id}: unknown severity {sign.severity!r}")
        unknown = sorted({t for t in used if t and t not in known})
        if unknown:
            raise ValueError(f"unknown adverse event types {unknown}; see adverse_events.yaml")
        return self

    def sign(self, sign_id: str) -> WarningSign | None:
        return next((s for s in self.warning_signs if s.id == sign_id), None)


@cache
def check_in_reference() -> CheckInReference:
    reference = load_model(CheckInReference, DATA_DIR / "check_in.yaml")
    require_unique("check_in.yaml", "warning sign", (s.id for s in reference.warning_signs))
    require_unique("check_in.yaml", "other effect", (e.event_type for e in reference.other_effects))
    for sign in reference.warning_signs:
        for case in sign.cases:
            if any(reference.sign(s) is None for s in case.signs):
                raise ReferenceDataError(f"check_in.yaml: {sign.id}: a case names an unknown sign")
    return reference


@dataclass(frozen=True)
class EventToRecord:
    """An adverse event the answers report, for the register."""

    event_type: str
    severity: str
    because: str


@dataclass(frozen=True)
class CheckInAssessment:
    serious: bool
    warning_signs: list[WarningSign]
    events: list[EventToRecord]


def near_lung(muscle_ids: Iterable[str]) -> bool:
    """Whether any of the needled muscles lies over a lung structure (the catalogue's
    structures at risk); an unknown id counts as not near."""
    lung = set(check_in_reference().lung_structures)
    catalogue = muscle_catalogue()
    return any(
        str(risk.structure) in lung
        for muscle_id in muscle_ids
        if (muscle := catalogue.get(muscle_id)) is not None
        for risk in muscle.structures_at_risk
    )


def _checked(values: Sequence[str], allowed: Sequence[str], field: str) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ClinicalInputError(field, f"unknown {unknown}; allowed: {', '.join(allowed)}")
    return list(dict.fromkeys(values))


def check_in_assess(
    *,
    soreness: int,
    bruising: bool,
    effects: Sequence[str],
    signs: Sequence[str],
    near_lung: bool,
) -> CheckInAssessment:
    """What the answers mean: serious (any warning sign) and the events to record."""
    reference = check_in_reference()
    if (
        isinstance(soreness, bool)
        or not isinstance(soreness, int)
        or soreness not in SORENESS_RANGE
    ):
        raise ClinicalInputError(
            "soreness", f"must be a whole number from 0 to 10 (got {soreness!r})"
        )
    effects = _checked(effects, [e.event_type for e in reference.other_effects], "effects")
    signs = _checked(signs, [s.id for s in reference.warning_signs], "signs")
    chosen = [s for s in reference.warning_signs if s.id in signs]
    events = [EventToRecord(s.event_type_for(near_lung), s.severity, s.label) for s in chosen]
    if bruising:
        events.append(EventToRecord("bruising", "mild", "Bruising"))
    labels = {e.event_type: e.label for e in reference.other_effects}
    events += [EventToRecord(e, "mild", labels[e]) for e in effects]
    if soreness >= reference.soreness.register_from:
        events.append(EventToRecord("pain_after", "mild", f"Soreness {soreness} out of 10"))
    return CheckInAssessment(serious=bool(chosen), warning_signs=chosen, events=events)


def check_in_window(session_start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When a session's check-in link opens and closes: the follow-up window of
    adverse_events.yaml, with check_in.yaml's grace after its end."""
    window = adverse_event_reference().follow_up
    grace = check_in_reference().links.check_in_grace_hours
    opens = session_start + dt.timedelta(hours=window.due_after_hours)
    closes = session_start + dt.timedelta(hours=window.due_before_hours + grace)
    return opens, closes
