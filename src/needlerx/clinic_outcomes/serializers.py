"""The dashboard's figures as the API's JSON (``responses.ClinicOutcomesOut``)."""

from __future__ import annotations

from typing import Any

from needlerx.clinic_outcomes.selectors import ClinicOutcomes
from needlerx.clinical.clinic_outcomes import clinic_outcomes_text
from needlerx.clinical.safety_rate import Proportion
from needlerx.clinical.scoring.library import adverse_event_rates


def interval(share: Proportion | None) -> dict[str, float] | None:
    return None if share is None else share.per(100)


def _adverse_events(outcomes: ClinicOutcomes) -> dict[str, Any]:
    safety, published = outcomes.safety, adverse_event_rates()
    return {
        "needling_sessions": safety.sessions,
        **safety.adverse_events.__dict__,
        "rates": [
            {
                "group": rate.group,
                "events": rate.events,
                "sessions": rate.sessions,
                "per_1000": rate.per_1000,
                "ci_95": [rate.ci_low, rate.ci_high],
                "comparator": rate.comparator.label,
                "comparator_per_1000": rate.comparator.per_1000,
                "comparison": rate.comparison,
                "words": rate.words,
            }
            for rate in safety.rates
        ],
        "published_rates": [
            {
                **rate.model_dump(exclude={"source"}),
                "citation": rate.source.citation,
                "url": rate.source.url,
            }
            for rate in published.rates
        ],
        "confidence_interval_method": (
            f"{published.confidence_interval.method}, "
            f"{published.confidence_interval.level_percent:g} %"
        ),
        "by_type": [
            {
                "type": row.event_type,
                "label": row.label,
                "severity": row.severity,
                "events": row.events,
            }
            for row in outcomes.events_by_type
        ],
    }


def clinic_outcomes_out(outcomes: ClinicOutcomes) -> dict[str, Any]:
    clinic, safety = outcomes.clinic, outcomes.safety
    return {
        "clinic": {"id": str(clinic.public_id), "name": clinic.name, "time_zone": clinic.time_zone},
        "filters": outcomes.filters.to_dict(),
        "episodes": {
            "started": outcomes.episodes_started,
            "completed": outcomes.episodes_completed,
        },
        "measures": [share.to_dict() for share in outcomes.benefits],
        "follow_up": {
            "done": safety.follow_ups_made,
            "due": safety.follow_ups_due,
            "percent": interval(outcomes.follow_up_completion),
        },
        "questionnaires": {
            "sent": outcomes.tasks_sent,
            "done": outcomes.tasks_answered,
            "due": outcomes.tasks_closed,
            "percent": interval(outcomes.questionnaire_completion),
        },
        "adverse_events": _adverse_events(outcomes),
        "limits": [
            {
                "title": limit.title,
                "text": limit.text,
                "source": limit.source.label_for_clinicians(),
            }
            for limit in clinic_outcomes_text().limits
        ],
    }
