"""Everything the patient chart shows, read once per kind of record.

The chart costs the same number of queries however long the patient's history is. The read is
recorded for the audit trail through ``patient_access_check`` / ``record_shown``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from needlerx.accounts.models import User
from needlerx.bodychart.models import TriggerPoint
from needlerx.core.prepared import prepared_read
from needlerx.patients.models import Episode, EpisodeStatus, HistoryFact, Medication, Patient
from needlerx.patients.selectors import (
    patient_access_check,
    patient_episodes,
    patient_medications,
    record_shown,
)
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.models import (
    AdverseEvent,
    ConsentRecord,
    NeedlingEntry,
    TreatmentSession,
)

CLINICAL = "patient.view_clinical"
# The chart lists records; the large JSON of a screen's input (its output is stored apart, and
# not joined here) and of a signed note's sealed copy belong to the pages that show one record,
# and would be decoded here for nothing.
SCREEN_DETAIL = ("facts", "practitioner")
SESSION_SUMMARY = ("public_id", "patient_id", "started_at", "signed_at")


@dataclass(frozen=True)
class PatientChart:
    history_facts: list[HistoryFact]
    medications: list[Medication]
    screening_runs: list[ScreeningRun]
    trigger_points: list[TriggerPoint]
    consents: list[ConsentRecord]
    sessions: list[TreatmentSession]
    adverse_events: list[AdverseEvent]

    @property
    def latest_screen(self) -> ScreeningRun | None:
        return self.screening_runs[0] if self.screening_runs else None


def patient_chart_for_user(*, user: User, patient: Patient) -> PatientChart:
    """The clinical record of ``patient`` (already read with ``patient_get_for_user``) if the
    user may see it clinically; PermissionDenied otherwise."""
    patient_access_check(user=user, patient=patient, permission=CLINICAL)
    record_shown(user=user, patient=patient, obj=patient, what="chart")
    entries = NeedlingEntry.objects.only("session_id", "muscle")
    sessions = (
        TreatmentSession.objects.filter(patient=patient)
        .only(*SESSION_SUMMARY)
        .prefetch_related(Prefetch("needling_entries", queryset=entries))
    )
    of_patient = {"patient_id": patient.pk}
    return PatientChart(
        history_facts=_history_facts.all(**of_patient),
        medications=patient_medications(patient=patient),
        screening_runs=_screens.all(**of_patient),
        trigger_points=_trigger_points.all(**of_patient),
        consents=_consents.all(**of_patient),
        sessions=list(sessions),
        adverse_events=_adverse_events.all(**of_patient),
    )


# The chart's reads of one kind of record each, prepared once (core.prepared); the sessions with
# their needling entries are two statements, read through the ORM.
@prepared_read()
def _history_facts(patient_id: int) -> QuerySet[HistoryFact]:
    history = HistoryFact.objects.filter(patient_id=patient_id).select_related("recorded_by")
    return history.order_by("recorded_at")


@prepared_read()
def _screens(patient_id: int) -> QuerySet[ScreeningRun]:
    runs = ScreeningRun.objects.screens().filter(patient_id=patient_id)
    return runs.select_related("run_by").defer(*SCREEN_DETAIL)


@prepared_read()
def _trigger_points(patient_id: int) -> QuerySet[TriggerPoint]:
    points = TriggerPoint.objects.filter(patient_id=patient_id)
    return points.select_related("recorded_by", "episode").order_by("recorded_at")


@prepared_read()
def _consents(patient_id: int) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(patient_id=patient_id)


@prepared_read()
def _adverse_events(patient_id: int) -> QuerySet[AdverseEvent]:
    return AdverseEvent.objects.filter(patient_id=patient_id)


def patient_episodes_for_user(*, user: User, patient: Patient) -> list[Episode]:
    """The patient's episodes of care, newest first, with their regions, onset and diagnosis
    codes: clinical content, so only for users who may see the patient clinically."""
    patient_access_check(user=user, patient=patient, permission=CLINICAL)
    return patient_episodes(patient=patient)


@dataclass(frozen=True)
class EpisodeCounts:
    """That the patient has episodes of care, and how many are open: all front desk may see."""

    open: int
    total: int


def patient_episode_counts_for_user(*, user: User, patient: Patient) -> EpisodeCounts:
    """How many episodes the patient has (demographic view: no regions, onset or codes)."""
    patient_access_check(user=user, patient=patient, permission="patient.view_demographics")
    statuses = list(Episode.objects.filter(patient=patient).values_list("status", flat=True))
    return EpisodeCounts(open=statuses.count(EpisodeStatus.OPEN), total=len(statuses))
