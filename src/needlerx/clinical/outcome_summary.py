"""The episode outcome summary: what changed during an episode of care that included dry needling.

For each of the seven benefits (``outcome_summary.yaml``) one pre-specified primary measure
decides the status; secondary series are shown beside it and never counted. A status is
``improved`` only when the primary measure changed beyond its MCID; a series with only a
measurement error is at most ``beyond_measurement_error``; safety is a rate, never improved.

Input is plain data (scored observations, the episode's regions, needling-session and adverse-
event counts), so the Django side, the CLI and the tests all feed it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from needlerx.clinical.outcome_definition import (
    EVERY_KEY,
    BenefitDefinition,
    BenefitKey,
    JudgedBy,
    SeriesRef,
    outcome_summary_definition,
)
from needlerx.clinical.safety_rate import AdverseEventCounts, SafetyReport, safety_report
from needlerx.clinical.scoring.change import (
    AppliedResponderRule,
    AppliedThreshold,
    ChangeReport,
    Observation,
    ThresholdChoice,
    compare,
)

SeriesStatus = Literal[
    "improved",
    "not_improved",
    "worse",
    "beyond_measurement_error",
    "within_measurement_error",
    "worse_beyond_measurement_error",
    "change_shown",
    "not_applicable",
    "not_measured",
]
BenefitStatus = SeriesStatus | Literal["rate"]


@dataclass(frozen=True)
class SeriesOutcome:
    """One series of the episode (an instrument and key) with its change and its status."""

    instrument: str
    key: str | None
    unit: str
    primary: bool
    baseline: float | None
    latest: float | None
    change: float | None
    percent_change: float | None
    status: SeriesStatus
    responder: str | None
    mcid: AppliedThreshold | None
    mdc: AppliedThreshold | None
    responder_rule: AppliedResponderRule | None = None

    @property
    def threshold(self) -> AppliedThreshold | None:
        """The threshold the status was judged against."""
        if self.status in ("improved", "not_improved", "worse"):
            return self.mcid
        if self.status.endswith("measurement_error"):
            return self.mdc
        return None

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["mcid"] = self.mcid.to_dict() if self.mcid else None
        data["mdc"] = self.mdc.to_dict() if self.mdc else None
        data["responder_rule"] = self.responder_rule.to_dict() if self.responder_rule else None
        threshold = self.threshold
        data["threshold"] = threshold.to_dict() if threshold else None
        return data


@dataclass(frozen=True)
class BenefitOutcome:
    key: BenefitKey
    label: str
    measures: str
    status: BenefitStatus
    primary: SeriesOutcome | None
    secondary: tuple[SeriesOutcome, ...]
    notes: tuple[str, ...] = ()
    safety: SafetyReport | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "measures": self.measures,
            "status": self.status,
            "primary": self.primary.to_dict() if self.primary else None,
            "secondary": [series.to_dict() for series in self.secondary],
            "notes": list(self.notes),
            "safety": self.safety.to_dict() if self.safety else None,
        }


@dataclass(frozen=True)
class OutcomeSummary:
    title: str
    scope: str
    attribution: str
    attribution_source: str
    benefits: tuple[BenefitOutcome, ...]

    def get(self, key: BenefitKey) -> BenefitOutcome:
        return next(benefit for benefit in self.benefits if benefit.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "scope": self.scope,
            "attribution": self.attribution,
            "attribution_source": self.attribution_source,
            "benefits": {benefit.key: benefit.to_dict() for benefit in self.benefits},
        }


def series_status(
    report: ChangeReport, judged_by: JudgedBy, *, not_applicable_at_zero: bool = False
) -> SeriesStatus:
    """The status of one series: against its MCID, else its MDC, else the change alone."""
    latest = report.latest
    if report.baseline is None or latest is None:
        return "not_measured"
    if not_applicable_at_zero and report.baseline.score == 0:
        return "not_applicable"
    if judged_by == "descriptive":
        return "change_shown"
    by_mcid: dict[str, SeriesStatus] = {
        "responder": "improved",
        "deteriorated": "worse",
        "not_responder": "not_improved",
        "within_measurement_error": "not_improved",
    }
    if report.mcid is not None and latest.status in by_mcid:
        return by_mcid[latest.status]
    if report.mdc is None:
        return "change_shown"
    if latest.within_measurement_error:
        return "within_measurement_error"
    return (
        "beyond_measurement_error" if latest.improvement > 0 else "worse_beyond_measurement_error"
    )


def series_outcome(
    report: ChangeReport, definition: BenefitDefinition, *, primary: bool
) -> SeriesOutcome:
    """One series of ``definition``'s benefit, judged as the benefit's data file says."""
    latest = report.latest
    return SeriesOutcome(
        instrument=report.instrument,
        key=report.key,
        unit=report.unit,
        primary=primary,
        baseline=report.baseline.score if report.baseline else None,
        latest=latest.score if latest else None,
        change=latest.change if latest else None,
        percent_change=latest.percent_change if latest else None,
        status=series_status(
            report,
            definition.judged_by,
            not_applicable_at_zero=definition.not_applicable_when_baseline_is_zero,
        ),
        responder=latest.status if latest else None,
        mcid=report.mcid,
        mdc=report.mdc,
        responder_rule=report.responder_rule,
    )


SeriesKey = tuple[str, str | None]  # (instrument, key): one series of an episode's measures


def threshold_name(instrument: str, key: str | None) -> str:
    """How a clinic's threshold choice names a series: ``nprs``, ``rom/cervical_flexion``; the
    PPT sites share ``ppt``."""
    return instrument if key is None or instrument == "ppt" else f"{instrument}/{key}"


class _Episode:
    """The episode's series, compared once each."""

    def __init__(
        self,
        observations: Sequence[Observation],
        thresholds: Mapping[str, ThresholdChoice],
        reports: Mapping[SeriesKey, ChangeReport],
    ) -> None:
        self.observations = observations
        self.thresholds = thresholds
        self.present = {(o.instrument, o.key) for o in observations}
        self.reports: dict[SeriesKey, ChangeReport] = dict(reports)

    def report(self, instrument: str, key: str | None) -> ChangeReport:
        pair: SeriesKey = (instrument, key)
        if pair not in self.reports:
            choice = self.thresholds.get(threshold_name(instrument, key))
            self.reports[pair] = compare(instrument, self.observations, key=key, mcid=choice)
        return self.reports[pair]

    def series_of(self, ref: SeriesRef) -> list[tuple[str, str | None]]:
        if ref.key == EVERY_KEY:
            keys = sorted(k for i, k in self.present if i == ref.instrument and k is not None)
            return [(ref.instrument, key) for key in keys]
        return [(ref.instrument, ref.key)] if (ref.instrument, ref.key) in self.present else []

    def primary(self, definition: BenefitDefinition, group: str | None) -> ChangeReport | None:
        """The first candidate with a baseline: chosen before the outcome is known."""
        for ref in definition.primary_candidates(group):
            for instrument, key in self.series_of(ref):
                report = self.report(instrument, key)
                if report.baseline is not None:
                    return report
        return None


def _benefit(definition: BenefitDefinition, episode: _Episode, group: str | None) -> BenefitOutcome:
    report = episode.primary(definition, group)
    primary = series_outcome(report, definition, primary=True) if report else None
    chosen = (primary.instrument, primary.key) if primary else None
    secondary: list[SeriesOutcome] = []
    seen = {chosen}
    for ref in definition.secondary:
        for instrument, key in episode.series_of(ref):
            if (instrument, key) in seen:
                continue
            seen.add((instrument, key))
            secondary.append(
                series_outcome(episode.report(instrument, key), definition, primary=False)
            )
    notes = tuple(note for note in (definition.primary_note, definition.secondary_note) if note)
    return BenefitOutcome(
        key=definition.key,
        label=definition.label,
        measures=definition.measures,
        status=primary.status if primary else "not_measured",
        primary=primary,
        secondary=tuple(secondary),
        notes=notes,
    )


def _safety(definition: BenefitDefinition, report: SafetyReport) -> BenefitOutcome:
    notes = []
    if report.serious:
        notes.append(f"{report.serious} serious adverse event(s) recorded: review each one.")
    if report.follow_ups_due and report.follow_ups_made < report.follow_ups_due:
        missing = report.follow_ups_due - report.follow_ups_made
        notes.append(
            f"{missing} of {report.follow_ups_due} follow-up contacts were not made: events after "
            "those sessions may not be known."
        )
    return BenefitOutcome(
        key=definition.key,
        label=definition.label,
        measures=definition.measures,
        status="rate" if report.sessions else "not_measured",
        primary=None,
        secondary=(),
        notes=tuple(notes),
        safety=report,
    )


def outcome_summary(
    observations: Sequence[Observation],
    *,
    regions: Sequence[str],
    session_count: int,
    adverse_events: AdverseEventCounts | Mapping[str, Any] | None = None,
    follow_ups_due: int = 0,
    follow_ups_made: int = 0,
    thresholds: Mapping[str, ThresholdChoice] | None = None,
    reports: Mapping[SeriesKey, ChangeReport] | None = None,
) -> OutcomeSummary:
    """The seven benefits for one episode of care.

    ``regions``: the episode's regions (the first chooses region-specific primary measures).
    ``thresholds`` chooses an MCID per series (``{"nprs": "cleland_2008"}``); anything not named
    uses the default in the instrument's data file. ``reports``: series already compared with
    the same observations and thresholds (a page that shows each series too), by (instrument,
    key); the others are compared here.
    """
    definition = outcome_summary_definition()
    episode = _Episode(observations, thresholds or {}, reports or {})
    group = definition.region_group(tuple(regions))
    safety = safety_report(
        session_count,
        adverse_events,
        follow_ups_due=follow_ups_due,
        follow_ups_made=follow_ups_made,
    )
    benefits = tuple(
        _safety(benefit, safety)
        if benefit.judged_by == "rate"
        else _benefit(benefit, episode, group)
        for benefit in definition.benefits
    )
    return OutcomeSummary(
        title=definition.title,
        scope=definition.scope,
        attribution=definition.attribution,
        attribution_source=definition.attribution_source.label_for_clinicians(),
        benefits=benefits,
    )
