"""The patient chart's timeline: one dated list of what happened in the patient's care.

Each kind of record is read with one query, so the chart costs the same number of queries
however long the patient's history is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from needlerx.bodychart.selectors import trigger_points_for_patient
from needlerx.patients.models import Episode, Medication, Patient
from needlerx.patients.selectors import (
    patient_episodes,
    patient_history_facts,
    patient_medications,
)
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.words import decision_words


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    kind: str  # evaluation | screen | consent | session | measure | adverse_event | episode
    title: str
    detail: str = ""
    url: str = ""
    badge: str = ""
    badge_label: str = ""


def _as_datetime(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=timezone.get_current_timezone())


def _evaluations(patient: Patient) -> Iterable[TimelineEntry]:
    """History facts recorded on the same day form one evaluation entry."""
    by_day: dict[dt.date, list[str]] = {}
    first: dict[dt.date, dt.datetime] = {}
    for fact in patient_history_facts(patient=patient).order_by("recorded_at"):
        day = timezone.localdate(fact.recorded_at)
        by_day.setdefault(day, []).append(fact.fact.replace("_", " "))
        first.setdefault(day, fact.recorded_at)
    for day, facts in by_day.items():
        shown = ", ".join(facts[:6]) + (f" and {len(facts) - 6} more" if len(facts) > 6 else "")
        yield TimelineEntry(first[day], "evaluation", "Evaluation: history recorded", shown)


def _screens(patient: Patient) -> Iterable[TimelineEntry]:
    for run in ScreeningRun.objects.filter(patient=patient).select_related("run_by"):
        yield TimelineEntry(
            run.run_at,
            "screen",
            "Suitability screen",
            f"by {run.run_by.get_full_name() or run.run_by.username}; "
            f"{len(run.plan)} planned muscle entries",
            url=reverse("clinic:screen_result", args=[patient.public_id, run.public_id]),
            badge=run.decision,
            badge_label=decision_words(run.decision),
        )


def _trigger_points(patient: Patient) -> Iterable[TimelineEntry]:
    by_day: dict[dt.date, list[str]] = {}
    first: dict[dt.date, dt.datetime] = {}
    for point in trigger_points_for_patient(patient=patient).order_by("recorded_at"):
        day = timezone.localdate(point.recorded_at)
        by_day.setdefault(day, []).append(
            f"{point.muscle.replace('_', ' ')} ({point.side}, {point.status})"
        )
        first.setdefault(day, point.recorded_at)
    for day, points in by_day.items():
        yield TimelineEntry(
            first[day], "evaluation", "Trigger-point examination", "; ".join(points)
        )


def _episodes_and_medications(
    patient: Patient, episodes: Iterable[Episode] | None, medications: Iterable[Medication] | None
) -> Iterable[TimelineEntry]:
    for episode in patient_episodes(patient=patient) if episodes is None else episodes:
        yield TimelineEntry(
            _as_datetime(episode.opened_on),
            "episode",
            "Episode opened",
            f"{', '.join(episode.regions)}; {', '.join(episode.diagnosis_codes)}",
        )
    for medication in patient_medications(patient=patient) if medications is None else medications:
        if medication.started_on:
            yield TimelineEntry(
                _as_datetime(medication.started_on),
                "evaluation",
                f"Medication started: {medication.name}",
                medication.get_drug_class_display(),
            )


def patient_timeline(
    *,
    patient: Patient,
    episodes: Iterable[Episode] | None = None,
    medications: Iterable[Medication] | None = None,
) -> list[TimelineEntry]:
    """Newest first. The caller has resolved ``patient`` with ``patient.view_clinical``;
    ``episodes`` and ``medications`` may be passed when the caller has already read them."""
    entries: list[TimelineEntry] = []
    for source in (_evaluations, _screens, _trigger_points):
        entries.extend(source(patient))
    entries.extend(_episodes_and_medications(patient, episodes, medications))
    from needlerx.web import treatment_timeline  # sessions, consents, adverse events

    entries.extend(treatment_timeline.entries(patient))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
