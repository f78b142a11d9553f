"""The benefit scorecard: each of the seven promises of dry needling against its measurement.

Input is plain data (scored observations, a session count and adverse-event counts) so the
Django side, the CLI and the tests can all feed it. Thresholds and published rates come from
``data/instruments`` with their sources; nothing clinical is decided here without one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring.change import (
    AppliedThreshold,
    ChangeReport,
    Observation,
    ThresholdChoice,
    compare,
)
from needlerx.clinical.scoring.inputs import is_whole_number
from needlerx.clinical.scoring.library import PublishedRate, Severity, adverse_event_rates

BenefitKey = Literal[
    "pain_relief",
    "muscle_relaxation",
    "range_of_motion",
    "spasm_reduction",
    "recovery",
    "safety",
    "medication_reduction",
]
BenefitStatus = Literal["improved", "not_improved", "worse", "not_measured"]
ComponentStatus = Literal["improved", "not_improved", "worse", "not_measured", "no_threshold"]
JUDGED: tuple[ComponentStatus, ...] = ("improved", "not_improved", "worse")

# Which series answer which promise, in order of preference.
FIXED_SERIES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "pain_relief": (("nprs", None), ("vas", None)),
    "spasm_reduction": (("spasm", None), ("spasm", "intensity")),
    "recovery": (("ndi", None), ("odi", None), ("rmdq", None), ("psfs", None)),
    "medication_reduction": (("medication", None), ("medication", "mme_per_day")),
}
MEASUREMENTS: dict[BenefitKey, str] = {
    "pain_relief": "Pain intensity (NPRS, or VAS)",
    "muscle_relaxation": "Pressure-pain threshold over treated muscles (PPT)",
    "range_of_motion": "Range of motion per motion (ROM)",
    "spasm_reduction": "Spasm diary: episodes per week (and intensity)",
    "recovery": "Disability and function (NDI, ODI, RMDQ, PSFS)",
    "safety": "Adverse events per 1,000 sessions against published rates",
    "medication_reduction": "Analgesic days per week and opioid MME per day",
}
SEVERITIES: tuple[Severity, ...] = ("mild", "significant", "serious")
PRECISE_SESSIONS = 1000


@dataclass(frozen=True)
class AdverseEventCounts:
    """Adverse events in the episode by severity (White et al. 3-level scale)."""

    mild: int = 0
    significant: int = 0
    serious: int = 0

    @classmethod
    def parse(cls, data: AdverseEventCounts | Mapping[str, Any] | None) -> AdverseEventCounts:
        if isinstance(data, AdverseEventCounts) or data is None:
            data = {} if data is None else data.__dict__
        for name, value in data.items():
            if name not in SEVERITIES:
                raise ClinicalInputError(
                    f"adverse_events.{name}", f"allowed severities: {', '.join(SEVERITIES)}"
                )
            if not is_whole_number(value) or value < 0:
                raise ClinicalInputError(
                    f"adverse_events.{name}", f"must be a whole number of 0 or more (got {value!r})"
                )
        return cls(**data)


@dataclass(frozen=True)
class BenefitComponent:
    """One series behind a promise (one instrument, motion, muscle site or AE group)."""

    instrument: str
    key: str | None
    unit: str
    baseline: float | None
    latest: float | None
    change: float | None
    percent_change: float | None
    status: ComponentStatus
    responder: str | None
    threshold: AppliedThreshold | None
    threshold_basis: Literal["mcid", "mdc", "published_rate"] | None
    mdc: AppliedThreshold | None

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["threshold"] = self.threshold.to_dict() if self.threshold else None
        data["mdc"] = self.mdc.to_dict() if self.mdc else None
        return data


@dataclass(frozen=True)
class BenefitResult:
    key: BenefitKey
    status: BenefitStatus
    measurement: str
    components: tuple[BenefitComponent, ...]
    summary: str
    notes: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def main(self) -> BenefitComponent | None:
        """The single judged component, when there is exactly one."""
        judged = [c for c in self.components if c.status in JUDGED]
        return judged[0] if len(judged) == 1 else None

    def to_dict(self) -> dict[str, Any]:
        main = self.main
        return {
            "key": self.key,
            "status": self.status,
            "measurement": self.measurement,
            "instrument": main.instrument if main else None,
            "baseline": main.baseline if main else None,
            "latest": main.latest if main else None,
            "change": main.change if main else None,
            "unit": main.unit if main else None,
            "threshold": main.threshold.to_dict() if main and main.threshold else None,
            "summary": self.summary,
            "components": [component.to_dict() for component in self.components],
            "notes": list(self.notes),
            "details": self.details,
        }


@dataclass(frozen=True)
class BenefitScorecard:
    benefits: tuple[BenefitResult, ...]

    def get(self, key: BenefitKey) -> BenefitResult:
        return next(benefit for benefit in self.benefits if benefit.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {"benefits": {benefit.key: benefit.to_dict() for benefit in self.benefits}}


def _component_status(
    report: ChangeReport,
) -> tuple[ComponentStatus, Literal["mcid", "mdc"] | None]:
    latest = report.latest
    if latest is None:
        return "not_measured", None
    mapping: dict[str, ComponentStatus] = {
        "responder": "improved",
        "deteriorated": "worse",
        "not_responder": "not_improved",
        "within_measurement_error": "not_improved",
    }
    if latest.status in mapping:
        return mapping[latest.status], "mcid"
    if report.mdc is None:
        return "no_threshold", None
    # No MCID published (PPT, ROM): judge against the MDC alone - beyond measurement error.
    by_direction: dict[str, ComponentStatus] = {
        "better": "improved",
        "worse": "worse",
        "unchanged": "not_improved",
    }
    return by_direction[latest.direction], "mdc"


def _component(report: ChangeReport) -> BenefitComponent:
    status, basis = _component_status(report)
    latest = report.latest
    return BenefitComponent(
        instrument=report.instrument,
        key=report.key,
        unit=report.unit,
        baseline=report.baseline.score if report.baseline else None,
        latest=latest.score if latest else None,
        change=latest.change if latest else None,
        percent_change=latest.percent_change if latest else None,
        status=status,
        responder=latest.status if latest else None,
        threshold=report.mdc if basis == "mdc" else report.mcid,
        threshold_basis=basis,
        mdc=report.mdc,
    )


def _series_for(
    key: BenefitKey, observations: Sequence[Observation], treated_sites: Collection[str] | None
) -> list[tuple[str, str | None]]:
    if key in FIXED_SERIES:
        return list(FIXED_SERIES[key])
    instrument = "ppt" if key == "muscle_relaxation" else "rom"
    keys = sorted({o.key for o in observations if o.instrument == instrument and o.key})
    if instrument == "ppt" and treated_sites is not None:
        keys = [site for site in keys if site in treated_sites]
    return [(instrument, series_key) for series_key in keys]


def _worth_showing(report: ChangeReport, observations: Sequence[Observation]) -> bool:
    if report.baseline is None:
        return False
    if report.key == "mme_per_day":  # no opioids at any time: not applicable
        return any(
            o.score for o in observations if o.instrument == "medication" and o.key == report.key
        )
    return True


def aggregate(components: Sequence[BenefitComponent]) -> tuple[BenefitStatus, str]:
    """improved: at least one improved and none worse; worse: the reverse; else not_improved."""
    judged = [c.status for c in components if c.status in JUDGED]
    if not judged:
        return "not_measured", "no series with a baseline, a follow-up and a threshold"
    improved, worse = judged.count("improved"), judged.count("worse")
    summary = f"{improved} of {len(judged)} improved, {worse} worse"
    if improved and not worse:
        return "improved", summary
    if worse and not improved:
        return "worse", summary
    return "not_improved", summary


def _threshold_choice(
    thresholds: Mapping[str, ThresholdChoice], instrument: str, key: str | None
) -> ThresholdChoice:
    name = instrument if key is None or instrument == "ppt" else f"{instrument}/{key}"
    return thresholds.get(name)


def _measured_benefit(
    key: BenefitKey,
    observations: Sequence[Observation],
    thresholds: Mapping[str, ThresholdChoice],
    treated_sites: Collection[str] | None,
) -> BenefitResult:
    components = []
    for instrument, series_key in _series_for(key, observations, treated_sites):
        choice = _threshold_choice(thresholds, instrument, series_key)
        report = compare(instrument, observations, key=series_key, mcid=choice)
        if _worth_showing(report, observations):
            components.append(_component(report))
    status, summary = aggregate(components)
    return BenefitResult(key, status, MEASUREMENTS[key], tuple(components), summary)


def _rate_component(
    group: str, events: int, sessions: int, rate: PublishedRate
) -> BenefitComponent:
    per_1000 = round(events / sessions * 1000, 2)
    published = AppliedThreshold(
        id=rate.id,
        kind="rate_per_1000",
        value=rate.per_1000,
        unit="per 1,000 sessions",
        published_value=rate.per_1000,
        scale_unit="events per 1,000 treatments",
        population=rate.label,
        source=rate.source,
    )
    return BenefitComponent(
        instrument="adverse_events",
        key=group,
        unit="per 1,000 sessions",
        baseline=None,
        latest=per_1000,
        change=None,
        percent_change=None,
        status="worse" if per_1000 > rate.per_1000 else "improved",
        responder=None,
        threshold=published,
        threshold_basis="published_rate",
        mdc=None,
    )


def safety_benefit(session_count: int, counts: AdverseEventCounts) -> BenefitResult:
    """Adverse events per 1,000 sessions against the highest published rate for each group.

    improved = every group at or below its published rate; worse = any group above it.
    """
    if not is_whole_number(session_count) or session_count < 0:
        raise ClinicalInputError(
            "session_count", f"must be a whole number of 0 or more (got {session_count!r})"
        )
    rates = adverse_event_rates()
    details = {
        "sessions": session_count,
        "adverse_events": dict(counts.__dict__),
        "published_rates": [rate.model_dump(mode="json") for rate in rates.rates],
        "comparators_rationale": rates.comparators_rationale,
    }
    if session_count == 0:
        return BenefitResult(
            "safety", "not_measured", MEASUREMENTS["safety"], (), "no sessions", (), details
        )
    components = tuple(
        _rate_component(
            group,
            sum(getattr(counts, severity) for severity in severities),
            session_count,
            rates.rate(rates.comparators[group]),
        )
        for group, severities in rates.severity_groups.items()
    )
    worse = any(component.status == "worse" for component in components)
    notes: list[str] = []
    if session_count < PRECISE_SESSIONS:
        notes.append(f"rates from {session_count} sessions are imprecise (fewer than 1,000)")
    if counts.serious:
        notes.append(f"{counts.serious} serious adverse event(s) recorded: review each one")
    summary = "above a published rate" if worse else "within published rates"
    status: BenefitStatus = "worse" if worse else "improved"
    return BenefitResult(
        "safety", status, MEASUREMENTS["safety"], components, summary, tuple(notes), details
    )


def benefit_scorecard(
    observations: Sequence[Observation],
    *,
    session_count: int,
    adverse_events: AdverseEventCounts | Mapping[str, Any] | None = None,
    thresholds: Mapping[str, ThresholdChoice] | None = None,
    treated_sites: Collection[str] | None = None,
) -> BenefitScorecard:
    """The seven promises for one episode of care.

    ``thresholds`` chooses an MCID per series: ``{"nprs": "cleland_2008", "rom/cervical_flexion":
    Threshold(...)}``; anything not named uses the default in the data file. ``treated_sites``
    limits muscle relaxation to the PPT sites that were needled (``"upper_trapezius/left"``).
    """
    chosen = thresholds or {}
    counts = AdverseEventCounts.parse(adverse_events)
    benefits: list[BenefitResult] = []
    for key in MEASUREMENTS:
        if key == "safety":
            benefits.append(safety_benefit(session_count, counts))
        else:
            benefits.append(_measured_benefit(key, observations, chosen, treated_sites))
    return BenefitScorecard(tuple(benefits))
