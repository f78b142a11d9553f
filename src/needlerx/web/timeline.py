"""The patient chart's timeline: one dated list of what happened in the patient's care.

Built from the records ``patient_chart_for_user`` read; no queries here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from needlerx.core import local
from needlerx.patients.models import Episode, Patient
from needlerx.treatments.selectors.chart import PatientChart
from needlerx.treatments.words import decision_words, fact_words
from needlerx.web.pages.links import links_to


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


def _evaluations(patient: Patient, chart: PatientChart) -> Iterable[TimelineEntry]:
    """History facts recorded on the same day form one evaluation entry.

    The entry names the answers that raise something ("yes", a site, a date) and counts the rest:
    a "no" answer must never read as if the patient had the condition.
    """
    by_day: dict[dt.date, list[tuple[str, object]]] = {}
    first: dict[dt.date, dt.datetime] = {}
    for fact in chart.history_facts:
        day = timezone.localdate(fact.recorded_at)
        by_day.setdefault(day, []).append((fact.fact, fact.value))
        first.setdefault(day, fact.recorded_at)
    for day, answers in by_day.items():
        yield TimelineEntry(
            first[day], "evaluation", "Evaluation: history recorded", _answers_in_words(answers)
        )


def _answers_in_words(answers: list[tuple[str, object]]) -> str:
    raised = [fact_words(fact) for fact, value in answers if value is True]
    count = f"{len(answers)} answer{'s' if len(answers) != 1 else ''} recorded"
    if not raised:
        return count
    shown = ", ".join(raised[:6]) + (f" and {len(raised) - 6} more" if len(raised) > 6 else "")
    return f"{count}; yes: {shown}"


def _screens(patient: Patient, chart: PatientChart) -> Iterable[TimelineEntry]:
    link = links_to("clinic:screen_result", parameters=2)
    for run in chart.screening_runs:
        yield TimelineEntry(
            run.run_at,
            "screen",
            "Suitability screen",
            f"by {run.run_by.get_full_name() or run.run_by.username}; "
            f"{len(run.plan)} planned muscle entries",
            url=link(patient.public_id, run.public_id),
            badge=run.decision,
            badge_label=decision_words(run.decision),
        )


def _trigger_points(patient: Patient, chart: PatientChart) -> Iterable[TimelineEntry]:
    by_day: dict[dt.date, list[str]] = {}
    first: dict[dt.date, dt.datetime] = {}
    for point in chart.trigger_points:
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
    patient: Patient, chart: PatientChart, episodes: Iterable[Episode]
) -> Iterable[TimelineEntry]:
    for episode in episodes:
        yield TimelineEntry(
            _as_datetime(episode.opened_on),
            "episode",
            "Episode opened",
            f"{', '.join(episode.regions)}; {', '.join(episode.diagnosis_codes)}",
        )
    for medication in chart.medications:
        if medication.started_on:
            yield TimelineEntry(
                _as_datetime(medication.started_on),
                "evaluation",
                f"Medication started: {medication.name}",
                medication.get_drug_class_display(),
            )


def _treatment(patient: Patient, chart: PatientChart) -> Iterable[TimelineEntry]:
    for consent in chart.consents:
        withdrawn = (
            f"; withdrawn {local.format_date(timezone.localdate(consent.withdrawn_at))}"
            if consent.withdrawn_at
            else ""
        )
        yield TimelineEntry(
            consent.signed_at,
            "consent",
            f"Consent signed: {consent.template_title}",
            f"by {consent.signer_name}{withdrawn}",
        )
    link = links_to("clinic:session", parameters=2)
    for session in chart.sessions:
        muscles = sorted({e.muscle.replace("_", " ") for e in session.needling_entries.all()})
        signed = session.signed_at is not None
        yield TimelineEntry(
            session.started_at,
            "session",
            "Treatment session",
            ("needled: " + ", ".join(muscles)) if muscles else "no needling",
            url=link(patient.public_id, session.public_id),
            badge="signed" if signed else "draft",
            badge_label="Signed" if signed else "Draft",
        )
    for event in chart.adverse_events:
        yield TimelineEntry(
            event.onset_at,
            "adverse_event",
            f"Adverse event: {event.event_type.replace('_', ' ')}",
            event.action_taken,
            badge=event.severity,
            badge_label=event.severity.capitalize(),
        )


def patient_timeline(
    *, patient: Patient, chart: PatientChart, episodes: Iterable[Episode]
) -> list[TimelineEntry]:
    """Newest first."""
    entries: list[TimelineEntry] = []
    for source in (_evaluations, _screens, _trigger_points, _treatment):
        entries.extend(source(patient, chart))
    entries.extend(_episodes_and_medications(patient, chart, episodes))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
