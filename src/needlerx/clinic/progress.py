"""The progress page: each measure over time against its MCID band, and the benefit scorecard."""

from __future__ import annotations

from collections import Counter
from typing import Any

from needlerx.accounts.models import User
from needlerx.clinic.charts import Band, Point, line_chart
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scorecard import BenefitComponent, benefit_scorecard
from needlerx.clinical.scoring.change import Observation
from needlerx.clinical.scoring.library import get_instrument
from needlerx.instruments.models import InstrumentResponse
from needlerx.patients.models import Episode
from needlerx.treatments.models import AdverseEvent, NeedlingEntry, TreatmentSession

SECTIONS = (
    ("Pain", ("nprs", "vas")),
    ("Disability and function", ("ndi", "odi", "rmdq", "psfs")),
    ("Range of motion", ("rom",)),
    ("Pressure-pain threshold", ("ppt",)),
    ("Medication", ("medication",)),
    ("Spasm", ("spasm",)),
)
Series = tuple[str, str | None]


def episode_observations(episode: Episode) -> list[Observation]:
    """Every stored score of the episode as the clinical core's observations (oldest first)."""
    found: list[Observation] = []
    for response in InstrumentResponse.objects.filter(episode=episode).order_by("taken_at", "id"):
        result, at = response.result, response.taken_at
        version = response.instrument_version
        if response.score is not None:
            key = response.series_key or None
            found.append(
                Observation(response.instrument, at, response.score, response.unit, key, version)
            )
        for name, sub in (result.get("subscales") or {}).items():
            if sub.get("score") is not None:
                found.append(
                    Observation(response.instrument, at, sub["score"], sub["unit"], name, version)
                )
    return found


def _label(instrument_id: str, key: str | None) -> tuple[str, tuple[float, float] | None]:
    try:
        instrument = get_instrument(instrument_id)
    except ClinicalInputError:
        return instrument_id, None
    subscale = next((m for m in instrument.subscales if m.id == key), None)
    measure = subscale or instrument.score
    if key and subscale is None:
        name = f"{instrument.name}: {key.replace('_', ' ').replace('/', ', ')}"
    elif key and subscale is not None:
        name = f"{instrument.name}: {subscale.label}"
    else:
        name = instrument.name
    return name, (measure.range if measure else None)


def _band(component: BenefitComponent | None) -> Band | None:
    if component is None or component.threshold is None or component.baseline is None:
        return None
    threshold = component.threshold
    size = threshold.value
    if threshold.unit == "% of baseline":
        size = abs(component.baseline) * threshold.value / 100
    return Band(
        component.baseline - size,
        component.baseline + size,
        f"within the MCID ({threshold.published_value:g} {threshold.scale_unit}) of the baseline;"
        f" source: {threshold.source.label()}",
    )


def _charts(
    observations: list[Observation], components: dict[Series, BenefitComponent]
) -> list[dict[str, Any]]:
    by_series: dict[Series, list[Observation]] = {}
    for observation in observations:
        by_series.setdefault((observation.instrument, observation.key), []).append(observation)
    sections = []
    for title, instruments in SECTIONS:
        charts = []
        for (instrument, key), series in by_series.items():
            if instrument not in instruments:
                continue
            name, fixed = _label(instrument, key)
            points = [Point(o.at, o.score) for o in series]  # type: ignore[arg-type]
            component = components.get((instrument, key))
            chart_id = f"chart-{instrument}-{(key or 'score').replace('/', '-')}"
            svg = line_chart(
                chart_id=chart_id,
                title=name,
                unit=series[0].unit,
                points=points,
                band=_band(component),
                y_range=fixed,
            )
            charts.append(
                {
                    "id": chart_id,
                    "title": name,
                    "svg": svg,
                    "points": points,
                    "unit": series[0].unit,
                    "component": component,
                }
            )
        if charts:
            sections.append({"title": title, "charts": charts})
    return sections


def progress_context(*, user: User, episode: Episode) -> dict[str, Any]:
    """The caller has resolved ``episode`` with ``episode_get_for_user``."""
    observations = episode_observations(episode)
    sessions = TreatmentSession.objects.filter(episode=episode, signed_at__isnull=False)
    severities = Counter(
        AdverseEvent.objects.filter(session__episode=episode).values_list("severity", flat=True)
    )
    treated = {
        f"{muscle}/{side}"
        for muscle, side in NeedlingEntry.objects.filter(session__episode=episode).values_list(
            "muscle", "side"
        )
    }
    scorecard = benefit_scorecard(
        observations,
        session_count=sessions.count(),
        adverse_events=dict(severities),
        treated_sites=treated or None,
    )
    components = {
        (c.instrument, c.key): c for benefit in scorecard.benefits for c in benefit.components
    }
    return {
        "patient": episode.patient,
        "episode": episode,
        "sections": _charts(observations, components),
        "scorecard": scorecard,
        "session_count": sessions.count(),
    }
