"""Pure rules of the treatment workflow, driven by the data in ``treatment_reference``.

No Django: the services call these, and tests can call them directly. Bad input raises
:class:`~needlerx.clinical.errors.ClinicalInputError` naming the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

# The billing suggestion lives in clinical/billing.py; re-exported here for existing callers.
from needlerx.clinical.billing import BillingSuggestion as BillingSuggestion
from needlerx.clinical.billing import billing_suggestion as billing_suggestion
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.reference_depth import ReferenceDepth, reference_depth_for
from needlerx.clinical.treatment_reference import (
    SEVERITY_IDS,
    AftercareAdvice,
    ContraindicationTag,
    Exercise,
    LimitName,
    adverse_event_reference,
    aftercare_reference,
    exercise_library,
    needling_record_reference,
)

FollowUpStatus = Literal["not_yet_due", "due", "overdue"]


def check_limit(name: LimitName, value: Any, field: str, *, whole: bool = False) -> float:
    """A number inside the plausibility limits of needling_record.yaml, else an error."""
    limit = needling_record_reference().limits[name]
    what = "a whole number" if whole else "a number"
    expected = f"must be {what} from {limit.minimum:g} to {limit.maximum:g} {limit.unit}"
    kind_ok = isinstance(value, int) if whole else isinstance(value, int | float)
    if isinstance(value, bool) or not kind_ok or not math.isfinite(value):
        raise ClinicalInputError(field, f"{expected} (got {value!r})")
    if not limit.minimum <= value <= limit.maximum:
        raise ClinicalInputError(field, f"{expected} (got {value!r})")
    return float(value)


# --- depth ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepthWarning:
    muscle: str
    depth_mm: float
    reference_depth: ReferenceDepth
    message: str

    @property
    def reference_depth_mm(self) -> float:
        return self.reference_depth.mm

    def to_dict(self) -> dict[str, Any]:
        return {
            "muscle": self.muscle,
            "depth_mm": self.depth_mm,
            "reference_depth_mm": self.reference_depth.mm,
            # The name stored by earlier versions; the value is the reference depth.
            "safe_depth_mm": self.reference_depth.mm,
            "reference_depth": self.reference_depth.to_dict(),
            "message": self.message,
            "source": self.reference_depth.source.label(),
        }


def depth_warning(muscle_id: str, depth_mm: float, bmi: float | None) -> DepthWarning | None:
    """A warning when ``depth_mm`` is deeper than the muscle's reference depth for this BMI.

    Uses :func:`~needlerx.clinical.reference_depth.reference_depth_for`, the figure the screen
    shows before needling (a region fallback counts too).
    """
    reference = reference_depth_for(muscle_id, bmi)
    if reference is None or depth_mm <= reference.mm:
        return None
    muscle = muscle_catalogue()[muscle_id]
    figure = "the reference depth"
    if reference.fallback:
        figure = "the region's most conservative reference depth"
    at_bmi = f" at BMI {bmi:g}" if bmi is not None else " (BMI not recorded)"
    message = (
        f"{depth_mm:g} mm is deeper than {figure} of {reference.mm:g} mm for {muscle.name}"
        f"{at_bmi}: the deepest depth studied without reaching the structure, in "
        f"{reference.population} ({reference.source.label_for_clinicians()}). "
        "Confirm the depth and acknowledge the warning to record it."
    )
    return DepthWarning(muscle_id, depth_mm, reference, message)


# --- aftercare --------------------------------------------------------------------------------


def required_aftercare(
    entries: Iterable[tuple[str, str]], facts: Mapping[str, Any] | None = None
) -> list[AftercareAdvice]:
    """Advice that must be given after needling these (muscle id, technique) entries, for a
    patient with these screened ``facts`` (advice tied to a yes/no fact is required when true)."""
    needled = list(entries)
    if not needled:
        return []
    catalogue = muscle_catalogue()
    regions = {catalogue[muscle].region for muscle, _ in needled}
    structures = {s for muscle, _ in needled for s in catalogue[muscle].structures}
    techniques = {technique for _, technique in needled}
    true_facts = {fact for fact, value in (facts or {}).items() if value is True}
    required = []
    for advice in aftercare_reference().advice:
        when = advice.required_when
        if when is None:
            continue
        if (
            when.always
            or regions & set(when.regions_any)
            or structures & set(when.structures_any)
            or techniques & set(when.techniques_any)
            or true_facts & set(when.facts_any)
        ):
            required.append(advice)
    return required


def validate_aftercare_ids(ids: Sequence[Any], field: str = "aftercare_given") -> list[str]:
    reference = aftercare_reference()
    allowed = [a.id for a in reference.advice]
    for index, advice_id in enumerate(ids):
        if advice_id not in allowed:
            raise ClinicalInputError(
                f"{field}[{index}]", f"unknown advice {advice_id!r}; allowed: {', '.join(allowed)}"
            )
    return list(dict.fromkeys(ids))


# --- adverse events and follow-up -------------------------------------------------------------


def validate_adverse_event(type_id: Any, severity: Any) -> tuple[str, str]:
    reference = adverse_event_reference()
    event_type = reference.event_type(type_id) if isinstance(type_id, str) else None
    if event_type is None:
        allowed = ", ".join(t.id for t in reference.types)
        raise ClinicalInputError("event_type", f"unknown type {type_id!r}; allowed: {allowed}")
    if severity not in SEVERITY_IDS:
        allowed = ", ".join(SEVERITY_IDS)
        raise ClinicalInputError("severity", f"unknown severity {severity!r}; allowed: {allowed}")
    if SEVERITY_IDS.index(severity) < SEVERITY_IDS.index(event_type.minimum_severity):
        raise ClinicalInputError(
            "severity",
            f"a {event_type.label.lower()} is at least {event_type.minimum_severity!r} "
            f"on the White et al. scale (got {severity!r})",
        )
    return event_type.id, severity


def follow_up_status(needled_at: dt.datetime, now: dt.datetime) -> FollowUpStatus:
    window = adverse_event_reference().follow_up
    hours = (now - needled_at).total_seconds() / 3600
    if hours < window.due_after_hours:
        return "not_yet_due"
    if hours <= window.due_before_hours:
        return "due"
    return "overdue"


# --- home exercise --------------------------------------------------------------------------


def exercise_get(exercise_id: Any, field: str = "exercise") -> Exercise:
    library = exercise_library()
    exercise = library.exercise(exercise_id) if isinstance(exercise_id, str) else None
    if exercise is None:
        raise ClinicalInputError(
            field, f"unknown exercise {exercise_id!r}; see the exercise library (GET /exercises)"
        )
    return exercise


def exercise_flags(exercise: Exercise, facts: Mapping[str, Any]) -> list[ContraindicationTag]:
    """The exercise's contraindication tags that this patient's screening facts trigger."""
    library = exercise_library()
    flagged = []
    for tag_id in exercise.contraindication_tags:
        tag = library.tag(tag_id)
        if tag.screening_fact is None:
            continue
        if _fact_triggers(tag, facts.get(tag.screening_fact)):
            flagged.append(tag)
    return flagged


def _fact_triggers(tag: ContraindicationTag, value: Any) -> bool:
    """A true boolean fact, or a site fact with a site in one of the tag's areas."""
    if isinstance(value, list):
        return any(isinstance(site, Mapping) and site.get("area") in tag.areas for site in value)
    return value is True
