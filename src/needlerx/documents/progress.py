"""The episode's outcome summary and charts as people read them: the progress page and the
progress report / discharge summary PDFs build from this one presentation (moved here from
web/pages/progress.py so the PDFs, below the web layer, show the same words and pictures)."""

from __future__ import annotations

import math
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.outcome_summary import BenefitOutcome, OutcomeSummary, SeriesOutcome
from needlerx.clinical.scoring.library import get_instrument
from needlerx.core.charts import Band, Point, line_chart
from needlerx.instruments.progress import ProgressSeries, series_label

SECTIONS = (
    ("Pain", ("nprs", "vas")),
    ("Muscle tension and stiffness", ("stiffness",)),
    ("Disability and function", ("ndi", "odi", "rmdq", "psfs", "groc")),
    ("Range of motion", ("rom",)),
    ("Local tenderness (pressure-pain threshold)", ("ppt",)),
    ("Medication", ("medication",)),
    ("Spasm", ("spasm",)),
)
STATUS_WORDS = {
    "improved": "Improved beyond the MCID",
    "not_improved": "No important change",
    "worse": "Worse beyond the MCID",
    "beyond_measurement_error": "Better, beyond measurement error",
    "within_measurement_error": "Within measurement error",
    "worse_beyond_measurement_error": "Worse, beyond measurement error",
    "change_shown": "Change shown, not judged",
    "not_applicable": "Not applicable",
    "not_measured": "Not measured",
    "rate": "Rate",
}
# Badge colours: only an MCID verdict is green or red; everything else is neutral or amber.
STATUS_BADGES = {
    "improved": "improved",
    "worse": "worse",
    "worse_beyond_measurement_error": "not_improved",
    "not_improved": "not_improved",
}
Series = tuple[str, str | None]


def _scale_range(instrument_id: str, key: str | None) -> tuple[float, float] | None:
    try:
        instrument = get_instrument(instrument_id)
    except ClinicalInputError:
        return None
    measure = instrument.measure(key) or instrument.score
    return measure.range if measure else None


def _fixed_range(instrument_id: str, key: str | None) -> tuple[float, float] | None:
    """Rating scales and questionnaires keep their whole scale on the axis; measurements (counts,
    degrees, doses) fit the axis to the values."""
    if get_instrument(instrument_id).kind == "measurement":
        return None
    return _scale_range(instrument_id, key)


def _band(outcome: SeriesOutcome | None) -> Band | None:
    threshold = outcome.threshold if outcome else None
    if outcome is None or threshold is None or outcome.baseline is None:
        return None
    size = threshold.value
    if threshold.unit == "% of baseline":
        size = abs(outcome.baseline) * threshold.value / 100
    what = "MCID" if threshold is outcome.mcid else "measurement error"
    return Band(
        outcome.baseline - size,
        outcome.baseline + size,
        f"within the {what} ({threshold.published_value:g} {threshold.scale_unit}) of the "
        f"baseline; source: {threshold.source.label_for_clinicians()}",
    )


def _chart(series: ProgressSeries, outcome: SeriesOutcome | None) -> dict[str, Any]:
    chart_id = f"chart-{series.instrument}-{(series.key or 'score').replace('/', '-')}"
    points = [Point(o.at, o.score) for o in series.points]  # type: ignore[arg-type]
    unit = series.report.unit
    svg = line_chart(
        chart_id=chart_id,
        title=series.label,
        unit=unit,
        points=points,
        band=_band(outcome),
        y_range=_fixed_range(series.instrument, series.key),
        y_bounds=_scale_range(series.instrument, series.key),
    )
    return {
        "id": chart_id,
        "title": series.label,
        "svg": svg,
        "points": points,
        "unit": unit,
        "outcome": outcome,
        "status_words": STATUS_WORDS[outcome.status] if outcome else None,
        "badge": STATUS_BADGES.get(outcome.status, "not_measured") if outcome else None,
    }


def _charts(
    progress: list[ProgressSeries], outcomes: dict[Series, SeriesOutcome]
) -> list[dict[str, Any]]:
    sections = []
    for title, instruments in SECTIONS:
        charts = [
            _chart(series, outcomes.get((series.instrument, series.key)))
            for series in progress
            if series.instrument in instruments
        ]
        if charts:
            sections.append({"title": title, "charts": charts})
    return sections


def threshold_words(outcome: SeriesOutcome) -> str:
    """The threshold in the unit the change is shown in, and as published when that differs
    ("MCID 15 % (published as 7.5 NDI points ...)"), or the responder rule in force ("MCID: at
    least 2 points and at least 30 % improvement")."""
    threshold = outcome.threshold
    if threshold is None:
        return ""
    if threshold is outcome.mcid and outcome.responder_rule is not None:
        label = outcome.responder_rule.label
        return f"MCID: {label[:1].lower()}{label[1:]}"
    kind = "MCID" if threshold is outcome.mcid else "Measurement error"
    words = f"{kind} {threshold.value:g} {threshold.unit}"
    if not math.isclose(threshold.value, threshold.published_value):
        words += f" (published as {threshold.published_value:g} {threshold.scale_unit})"
    return words


def _series_row(outcome: SeriesOutcome) -> dict[str, Any]:
    label = series_label(outcome.instrument, outcome.key)
    if outcome.instrument == "ppt":
        label = f"Local tenderness: {label}"
    return {
        "outcome": outcome,
        "label": label,
        "status_words": STATUS_WORDS[outcome.status],
        "badge": STATUS_BADGES.get(outcome.status, "not_measured"),
        "threshold": outcome.threshold,
        "threshold_words": threshold_words(outcome),
    }


def _benefit_row(benefit: BenefitOutcome) -> dict[str, Any]:
    return {
        "benefit": benefit,
        "primary": _series_row(benefit.primary) if benefit.primary else None,
        "secondary": [_series_row(series) for series in benefit.secondary],
        "status_words": STATUS_WORDS[benefit.status],
        "badge": STATUS_BADGES.get(benefit.status, "not_measured"),
        "safety": benefit.safety,
    }


def outcome_presentation(series: list[ProgressSeries], summary: OutcomeSummary) -> dict[str, Any]:
    """The summary rows, the charts by section and the needling session count."""
    outcomes = {
        (outcome.instrument, outcome.key): outcome
        for benefit in summary.benefits
        for outcome in (benefit.primary, *benefit.secondary)
        if outcome is not None
    }
    safety = summary.get("safety").safety
    return {
        "sections": _charts(series, outcomes),
        "summary": summary,
        "rows": [_benefit_row(benefit) for benefit in summary.benefits],
        "session_count": safety.sessions if safety else 0,
    }
