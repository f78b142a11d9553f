"""The clinic dashboard's reads: the figures (a clinic-level view: no patient is named), the
adverse-event register (names patients: one listing event per page) and the CSV export (an
export event). Each takes the requesting user; a clinic the user does not work in is not found,
and a role without the permission (front desk) is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction

from needlerx.accounts.models import Clinic, User
from needlerx.accounts.permissions import role_has_permission
from needlerx.accounts.selectors import clinic_ids_with_permission, role_in_clinic
from needlerx.audit.reads import LISTED_PATIENTS_MAX, audit_listing
from needlerx.audit.services import audit_record
from needlerx.clinic_outcomes import queries
from needlerx.clinic_outcomes.access import VIEW
from needlerx.clinic_outcomes.filters import (
    Clinician,
    OutcomeFilters,
    clinicians_of,
    outcome_filters_parse,
)
from needlerx.clinical.clinic_outcomes import (
    BenefitShare,
    benefit_share,
    completion,
    counted_benefits,
)
from needlerx.clinical.safety_rate import Proportion, SafetyReport, safety_report
from needlerx.clinical.treatment_reference import SEVERITY_IDS, adverse_event_reference
from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied
from needlerx.core.inputs import is_uuid
from needlerx.instruments.progress import clinic_thresholds
from needlerx.treatments.models import AdverseEvent

REGISTER_PER_PAGE = 25


@dataclass(frozen=True)
class EventTypeCount:
    event_type: str
    label: str
    severity: str  # its label
    events: int
    severity_id: str


@dataclass(frozen=True)
class ClinicOutcomes:
    """Every figure of the dashboard for one clinic and one set of filters."""

    clinic: Clinic
    filters: OutcomeFilters
    clinicians: list[Clinician]
    episodes_started: int
    episodes_completed: int
    benefits: list[BenefitShare]
    safety: SafetyReport
    events_by_type: list[EventTypeCount]
    tasks_sent: int
    tasks_answered: int
    tasks_closed: int

    @property
    def questionnaire_completion(self) -> Proportion | None:
        return completion(self.tasks_answered, self.tasks_closed)

    @property
    def follow_up_completion(self) -> Proportion | None:
        return self.safety.follow_up_completion


def outcomes_clinic_get(*, user: User, clinic_id: uuid.UUID | str | None) -> tuple[Clinic, str]:
    """The clinic (the user's first where they may see treatment when ``clinic_id`` is None) and
    the user's role there; another clinic is not found, a role without the permission refused."""
    if clinic_id is None:
        allowed = clinic_ids_with_permission(user=user, permission=VIEW)
        if not allowed:
            raise PermissionDenied("The clinic dashboard is for clinicians and clinic admins.")
        clinic = Clinic.objects.get(pk=allowed[0])
    else:
        found = Clinic.objects.filter(public_id=clinic_id).first() if is_uuid(clinic_id) else None
        if found is None or role_in_clinic(user=user, clinic=found) is None:
            raise NotFound("No such clinic among those you work in.")
        clinic = found
    role = role_in_clinic(user=user, clinic=clinic) or ""
    if not role_has_permission(role, VIEW):
        raise PermissionDenied("The clinic dashboard is for clinicians and clinic admins.")
    return clinic, role


def _events_by_type(rows: list[tuple[str, str, int]]) -> list[EventTypeCount]:
    reference = adverse_event_reference()
    labels: dict[str, str] = {severity.id: severity.label for severity in reference.severities}
    found = []
    for event_type, severity, events in rows:
        known = reference.event_type(event_type)
        label = known.label if known else event_type.replace("_", " ").capitalize()
        severity_label = labels.get(severity, severity)
        found.append(EventTypeCount(event_type, label, severity_label, events, severity))
    return found


def _outcomes(
    clinic: Clinic, filters: OutcomeFilters, clinicians: list[Clinician]
) -> ClinicOutcomes:
    thresholds = clinic_thresholds(clinic=clinic)
    counted = counted_benefits()
    measured = queries.measured_episodes(clinic, filters, counted)
    benefits = [benefit_share(benefit, measured[benefit.key], thresholds) for benefit in counted]
    episodes = queries.episode_counts(clinic, filters)
    sessions = queries.session_counts(clinic, filters)
    by_type = queries.adverse_event_counts(clinic, filters)
    severities: dict[str, int] = dict.fromkeys(SEVERITY_IDS, 0)
    for _, severity, events in by_type:
        if severity in severities:
            severities[severity] += events
    tasks = queries.task_counts(clinic, filters)
    return ClinicOutcomes(
        clinic=clinic,
        filters=filters,
        clinicians=clinicians,
        episodes_started=episodes["started"],
        episodes_completed=episodes["completed"],
        benefits=benefits,
        safety=safety_report(
            sessions["sessions"],
            severities,
            follow_ups_due=sessions["due"],
            follow_ups_made=sessions["made"],
        ),
        events_by_type=_events_by_type(by_type),
        tasks_sent=tasks["sent"],
        tasks_answered=tasks["answered"],
        tasks_closed=tasks["closed"],
    )


def _record(user: User, role: str, clinic: Clinic, action: str, detail: dict[str, Any]) -> None:
    with transaction.atomic():
        audit_record(
            action=action, actor=user, actor_role=role, clinic=clinic, obj=clinic, detail=detail
        )


def clinic_outcomes_for_user(
    *, user: User, clinic_id: uuid.UUID | str | None, raw: Mapping[str, str | None]
) -> ClinicOutcomes:
    """The dashboard's figures; recorded as one clinic-level view (no patient is named)."""
    clinic, role = outcomes_clinic_get(user=user, clinic_id=clinic_id)
    clinicians = clinicians_of(clinic)
    filters = outcome_filters_parse(clinic=clinic, raw=raw, clinicians=clinicians)
    outcomes = _outcomes(clinic, filters, clinicians)
    _record(user, role, clinic, "clinic_outcomes.view", {"filters": filters.to_dict()})
    return outcomes


def _register(clinic: Clinic, filters: OutcomeFilters, severity: str, event_type: str) -> Any:
    events = queries.adverse_events_of(clinic, filters)
    if severity:
        if severity not in SEVERITY_IDS:
            allowed = ", ".join(SEVERITY_IDS)
            raise ApplicationError(f"must be one of {allowed} (got {severity!r})", field="severity")
        events = events.filter(severity=severity)
    if event_type:
        types = [t.id for t in adverse_event_reference().types]
        if event_type not in types:
            allowed = ", ".join(types)
            raise ApplicationError(f"must be one of {allowed} (got {event_type!r})", field="type")
        events = events.filter(event_type=event_type)
    return events.select_related(
        "patient", "session", "session__clinician", "needling_entry"
    ).order_by("-onset_at", "-id")


def adverse_event_register_page(
    *,
    user: User,
    outcomes: ClinicOutcomes,
    severity: str = "",
    event_type: str = "",
    page: str | int | None = None,
) -> Page[AdverseEvent]:
    """One page of the register for the dashboard already read; its patients are recorded as
    one listing (the page names them)."""
    events = _register(outcomes.clinic, outcomes.filters, severity, event_type)
    paginator = Paginator(events, REGISTER_PER_PAGE)
    # The dashboard has counted these events already, by type and severity: its counts are
    # the paginator's, without a second pass over the clinic's events.
    paginator.count = sum(
        row.events
        for row in outcomes.events_by_type
        if severity in ("", row.severity_id) and event_type in ("", row.event_type)
    )
    shown = paginator.get_page(page)
    audit_listing(
        actor=user, patients=[event.patient for event in shown], what="adverse_event_register"
    )
    return shown


@dataclass(frozen=True)
class OutcomesExport:
    outcomes: ClinicOutcomes
    register: list[AdverseEvent]


def clinic_outcomes_export(
    *,
    user: User,
    clinic_id: uuid.UUID | str | None,
    raw: Mapping[str, str | None],
    table: str,
    tables: tuple[str, ...],
    severity: str = "",
    event_type: str = "",
) -> OutcomesExport:
    """The figures (and, for the register, every event) for a CSV file, audited as an export
    naming the table, the filters and any patients in it."""
    if table not in tables:
        raise NotFound(f"No such table; the tables are {', '.join(tables)}.")
    clinic, role = outcomes_clinic_get(user=user, clinic_id=clinic_id)
    clinicians = clinicians_of(clinic)
    filters = outcome_filters_parse(clinic=clinic, raw=raw, clinicians=clinicians)
    outcomes = _outcomes(clinic, filters, clinicians)
    register: list[AdverseEvent] = []
    detail: dict[str, Any] = {"table": table, "filters": filters.to_dict()}
    if table == "adverse_event_register":
        register = list(_register(clinic, filters, severity, event_type))
        patients = list(dict.fromkeys(str(event.patient.public_id) for event in register))
        detail |= {
            "severity": severity or None,
            "type": event_type or None,
            "patients": patients[:LISTED_PATIENTS_MAX],
            "patient_count": len(patients),
        }
    _record(user, role, clinic, "clinic_outcomes.export", detail)
    return OutcomesExport(outcomes, register)
