"""The dashboard's tables as rows of text, the same for the page's CSV files and their tests.

Each table is a header and rows; numbers are written plainly (percentages to one decimal),
times in the clinic's zone with their offset.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from needlerx.clinic_outcomes.selectors import ClinicOutcomes, OutcomesExport
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.safety_rate import Proportion
from needlerx.clinical.scoring.library import adverse_event_rates
from needlerx.clinical.treatment_reference import adverse_event_reference
from needlerx.core.local import zone_named
from needlerx.treatments.models import AdverseEvent

Table = tuple[list[str], list[list[str]]]


def percent(share: Proportion | None) -> list[str]:
    """The share and its 95 % interval as percentages, or three blanks."""
    if share is None:
        return ["", "", ""]
    shown = share.per(100)
    return [f"{shown['value']:.1f}", f"{shown['low']:.1f}", f"{shown['high']:.1f}"]


def episodes_table(outcomes: ClinicOutcomes) -> Table:
    header = ["Episodes started", "Episodes completed (discharged)"]
    return header, [[str(outcomes.episodes_started), str(outcomes.episodes_completed)]]


def measures_table(outcomes: ClinicOutcomes) -> Table:
    header = [
        "Benefit",
        "Measure",
        "Episodes with a first measure",
        "Episodes with a later measure",
        "Improved beyond the MCID",
        "Worse beyond the MCID",
        "Lost to follow-up",
        "Awaiting a later measure",
        "Improved (%)",
        "95 % CI low (%)",
        "95 % CI high (%)",
    ]
    rows = [
        [
            share.label,
            " or ".join(share.instruments),
            str(share.with_baseline),
            str(share.followed_up),
            str(share.improved),
            str(share.worse),
            str(share.lost_to_follow_up),
            str(share.awaiting_follow_up),
            *percent(share.share),
        ]
        for share in outcomes.benefits
    ]
    return header, rows


def completion_table(outcomes: ClinicOutcomes) -> Table:
    safety = outcomes.safety
    header = ["What", "Done", "Due", "Done (%)", "95 % CI low (%)", "95 % CI high (%)"]
    return header, [
        [
            "Follow-up contact 24-72 h after needling",
            str(safety.follow_ups_made),
            str(safety.follow_ups_due),
            *percent(outcomes.follow_up_completion),
        ],
        [
            "Check-ins and questionnaires answered by patients",
            str(outcomes.tasks_answered),
            str(outcomes.tasks_closed),
            *percent(outcomes.questionnaire_completion),
        ],
    ]


def rates_table(outcomes: ClinicOutcomes) -> Table:
    header = [
        "Events",
        "Events recorded",
        "Needling sessions",
        "Per 1,000 sessions",
        "95 % CI low",
        "95 % CI high",
        "Compared with",
        "Published per 1,000",
        "Reading",
    ]
    rows = [
        [
            rate.group.capitalize(),
            str(rate.events),
            str(rate.sessions),
            f"{rate.per_1000:g}",
            f"{rate.ci_low:g}",
            f"{rate.ci_high:g}",
            rate.comparator.label,
            f"{rate.comparator.per_1000:g}",
            rate.words,
        ]
        for rate in outcomes.safety.rates
    ]
    for published in adverse_event_rates().rates:
        rows.append(
            [
                published.group.capitalize(),
                str(published.events),
                str(published.treatments),
                f"{published.per_1000:g}",
                "",
                "",
                published.source.citation,
                "",
                published.note,
            ]
        )
    return header, rows


def by_type_table(outcomes: ClinicOutcomes) -> Table:
    header = ["Event", "Severity", "Events"]
    return header, [[row.label, row.severity, str(row.events)] for row in outcomes.events_by_type]


def muscle_named(event: AdverseEvent) -> str:
    entry = event.needling_entry
    if entry is None:
        return ""
    muscle = muscle_catalogue().get(entry.muscle)
    return f"{muscle.name if muscle else entry.muscle} ({entry.side})"


def register_table(export: OutcomesExport) -> Table:
    zone = zone_named(export.outcomes.clinic.time_zone)
    reference = adverse_event_reference()
    severities: dict[str, str] = {s.id: s.label for s in reference.severities}
    header = [
        "Onset",
        "Patient",
        "Medical record number",
        "Event",
        "Severity",
        "Muscle",
        "Session started",
        "Clinician",
    ]
    rows = []
    for event in export.register:
        known = reference.event_type(event.event_type)
        clinician = event.session.clinician
        rows.append(
            [
                timezone.localtime(event.onset_at, zone).isoformat(timespec="minutes"),
                f"{event.patient.family_name}, {event.patient.given_name}",
                event.patient.medical_record_number,
                known.label if known else event.event_type,
                severities.get(event.severity, event.severity),
                muscle_named(event),
                timezone.localtime(event.session.started_at, zone).isoformat(timespec="minutes"),
                clinician.get_full_name() or clinician.get_username(),
            ]
        )
    return header, rows


SUMMARY_TABLES: dict[str, Callable[[ClinicOutcomes], Table]] = {
    "episodes": episodes_table,
    "measures": measures_table,
    "completion": completion_table,
    "adverse_event_rates": rates_table,
    "adverse_events_by_type": by_type_table,
}
TABLES = (*SUMMARY_TABLES, "adverse_event_register")


def table_for(export: OutcomesExport, name: str) -> Table:
    if name == "adverse_event_register":
        return register_table(export)
    return SUMMARY_TABLES[name](export.outcomes)
