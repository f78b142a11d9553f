"""The progress page: each measure over time against its MCID band, and the benefit scorecard.

Everything is read through the instruments app's selectors (``episode_progress`` and
``episode_scorecard``), which check that the user may see the episode's measures.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from needlerx.accounts.http import request_user
from needlerx.accounts.models import User
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scorecard import BenefitComponent
from needlerx.clinical.scoring.library import get_instrument
from needlerx.instruments.progress import ProgressSeries, episode_progress, episode_scorecard
from needlerx.patients.models import Episode
from needlerx.patients.selectors import episode_get_for_user
from needlerx.web.charts import Band, Point, line_chart

SECTIONS = (
    ("Pain", ("nprs", "vas")),
    ("Disability and function", ("ndi", "odi", "rmdq", "psfs")),
    ("Range of motion", ("rom",)),
    ("Pressure-pain threshold", ("ppt",)),
    ("Medication", ("medication",)),
    ("Spasm", ("spasm",)),
)
Series = tuple[str, str | None]


def _fixed_range(instrument_id: str, key: str | None) -> tuple[float, float] | None:
    try:
        instrument = get_instrument(instrument_id)
    except ClinicalInputError:
        return None
    measure = instrument.measure(key) or instrument.score
    return measure.range if measure else None


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
        f" source: {threshold.source.label_for_clinicians()}",
    )


def _chart(series: ProgressSeries, component: BenefitComponent | None) -> dict[str, Any]:
    chart_id = f"chart-{series.instrument}-{(series.key or 'score').replace('/', '-')}"
    points = [Point(o.at, o.score) for o in series.points]  # type: ignore[arg-type]
    unit = series.report.unit
    svg = line_chart(
        chart_id=chart_id,
        title=series.label,
        unit=unit,
        points=points,
        band=_band(component),
        y_range=_fixed_range(series.instrument, series.key),
    )
    return {
        "id": chart_id,
        "title": series.label,
        "svg": svg,
        "points": points,
        "unit": unit,
        "component": component,
    }


def _charts(
    progress: list[ProgressSeries], components: dict[Series, BenefitComponent]
) -> list[dict[str, Any]]:
    sections = []
    for title, instruments in SECTIONS:
        charts = [
            _chart(series, components.get((series.instrument, series.key)))
            for series in progress
            if series.instrument in instruments
        ]
        if charts:
            sections.append({"title": title, "charts": charts})
    return sections


def progress_context(*, user: User, episode: Episode) -> dict[str, Any]:
    """Charts and scorecard of ``episode`` as ``user`` may see them (measure.view)."""
    progress = episode_progress(user=user, episode_id=episode.public_id)
    card = episode_scorecard(user=user, episode_id=episode.public_id)
    components = {
        (c.instrument, c.key): c for benefit in card.scorecard.benefits for c in benefit.components
    }
    return {
        "patient": episode.patient,
        "episode": episode,
        "sections": _charts(progress, components),
        "scorecard": card.scorecard,
        "session_count": card.session_count,
    }


@login_required
def progress(request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id, patient_id=patient_id)
    return render(request, "web/progress.html", progress_context(user=user, episode=episode))
