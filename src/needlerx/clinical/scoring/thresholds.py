"""The thresholds a change report applies: the MCID or MDC in force (for the series' baseline
and site), and responder definitions that combine several MCIDs.

``None`` picks the data file's default (a default responder rule first, for the MCID; for a
per-site measure such as PPT, the MDC measured at the series' muscle); a str names a stored
threshold or responder rule; a :class:`Threshold` is a clinic's own, with its ``source``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.evidence import Source
from needlerx.clinical.scoring.library import Measure, Threshold

ThresholdChoice = str | Threshold | None


@dataclass(frozen=True)
class AppliedThreshold:
    """The MCID or MDC in force, in the score's unit (or percent), with its source.

    ``baseline_band`` names the baseline range whose published value is used ("baseline 8 to
    10"), for a threshold that depends on the baseline; ``None`` otherwise.
    """

    id: str
    kind: str
    value: float
    unit: str
    published_value: float
    scale_unit: str
    population: str
    source: Source
    baseline_band: str | None = None
    note: str | None = None

    @classmethod
    def of(
        cls, threshold: Threshold, score_unit: str, baseline: float | None = None
    ) -> AppliedThreshold:
        relative = threshold.kind == "relative_percent"
        band = threshold.band_for(baseline)
        return cls(
            id=threshold.id,
            kind=threshold.kind,
            value=threshold.score_value_at(baseline),
            unit="% of baseline" if relative else score_unit,
            published_value=band.value if band else threshold.value,
            scale_unit=threshold.scale_unit,
            population=threshold.population,
            source=threshold.source,
            baseline_band=(
                f"baseline {band.baseline_from:g} to {band.baseline_to:g}" if band else None
            ),
            note=(band.note if band and band.note else threshold.note),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "published_value": self.published_value,
            "scale_unit": self.scale_unit,
            "population": self.population,
            "source": self.source.model_dump(),
            "source_label": self.source.label(),
            "baseline_band": self.baseline_band,
            "note": self.note,
        }


@dataclass(frozen=True)
class AppliedResponderRule:
    """A responder definition in force: every one of ``parts`` must be met."""

    id: str
    label: str
    note: str
    source: Source
    parts: tuple[AppliedThreshold, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "note": self.note,
            "source": self.source.model_dump(),
            "source_label": self.source.label(),
            "parts": [part.to_dict() for part in self.parts],
        }


def _site_muscle(key: str | None) -> str | None:
    return key.split("/", 1)[0] if key and "/" in key else None


def _check_site(threshold: Threshold, key: str | None) -> None:
    muscle = _site_muscle(key)
    if threshold.muscles is not None and muscle not in threshold.muscles:
        raise ClinicalInputError(
            "mdc",
            f"the MDC {threshold.id!r} was measured at {', '.join(threshold.muscles)} only "
            f"(not {muscle or 'this series'})",
        )


def _default_id(measure: Measure, kind: Literal["mcid", "mdc"], key: str | None) -> str | None:
    """The data file's default; for a per-site MDC, the one measured at this series' muscle."""
    default: str | None = getattr(measure, f"default_{kind}")
    if kind == "mdc" and default is None:
        muscle = _site_muscle(key)
        per_site = (t for t in measure.mdcs if t.muscles is not None and muscle in t.muscles)
        return next((t.id for t in per_site), None)
    return default


def resolve_threshold(
    measure: Measure,
    kind: Literal["mcid", "mdc"],
    choice: ThresholdChoice,
    *,
    baseline: float | None = None,
    key: str | None = None,
) -> AppliedThreshold | None:
    """``None`` -> the default in the data file; a str -> a stored id; a Threshold -> as given.

    ``baseline`` picks the value of a baseline-dependent threshold; ``key`` (a PPT site) picks
    the MDC measured at that muscle, and refuses one measured elsewhere.
    """
    if isinstance(choice, Threshold):
        if kind == "mdc" and choice.kind != "absolute":
            raise ClinicalInputError("mdc", "an MDC must be an absolute value, not a percentage")
        return AppliedThreshold.of(choice, measure.unit, baseline)
    chosen_id = choice if choice is not None else _default_id(measure, kind, key)
    if chosen_id is None:
        return None
    found = measure.threshold(kind, chosen_id)
    if found is None:
        options = [t.id for t in (measure.mcids if kind == "mcid" else measure.mdcs)]
        if kind == "mcid":
            options += [rule.id for rule in measure.responder_rules]
        raise ClinicalInputError(
            kind,
            f"unknown {kind.upper()} {chosen_id!r} for {measure.label}; "
            f"stored: {', '.join(options) or 'none'}",
        )
    if kind == "mdc":
        _check_site(found, key)
    return AppliedThreshold.of(found, measure.unit, baseline)


def resolve_responder(
    measure: Measure, choice: ThresholdChoice, baseline: float | None
) -> tuple[AppliedThreshold | None, AppliedResponderRule | None]:
    """The MCID (or the points part of a combined definition) and the combined rule, if any.

    ``None`` -> the data file's default responder rule, else its default MCID; a str may name a
    stored MCID or a stored responder rule.
    """
    rule_id = measure.default_responder_rule if choice is None else choice
    rule = measure.responder_rule(rule_id) if isinstance(rule_id, str) else None
    if rule is None:
        return resolve_threshold(measure, "mcid", choice, baseline=baseline), None
    parts = tuple(
        resolve_threshold(measure, "mcid", part, baseline=baseline) for part in rule.all_of
    )
    applied = tuple(part for part in parts if part is not None)
    combined = AppliedResponderRule(rule.id, rule.label, rule.note, rule.source, applied)
    points = next((part for part in applied if part.kind == "absolute"), applied[0])
    return points, combined
