"""The patient header's safety alerts: what a clinician must see at a glance on every page of a
patient's record.

One definition, read from three places:

- the risk facts listed in ``clinical/data/patient_header.yaml`` (anticoagulant, implanted
  device, pregnancy), true in the patient's screening facts (the history, and the medication,
  device and pregnancy records, as the screen reads them);
- every red flag recorded and not cleared (group ``red_flag`` of facts.yaml);
- the clinic home's open safety alerts for this patient (``home.alert_window_start``,
  ``home.screen_alerts_since`` and ``home.open_needle_count_alerts``), so the header and the
  home agree.

Front desk (no ``patient.view_clinical``) gets no alerts at all: they are clinical content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import QuerySet

from needlerx.accounts.models import User
from needlerx.accounts.permissions import role_has_permission
from needlerx.accounts.selectors import role_in_clinic
from needlerx.clinical.patient_header import patient_header_reference
from needlerx.clinical.reference import fact_catalogue
from needlerx.core import local
from needlerx.core.prepared import prepared_read
from needlerx.patients.models import Patient
from needlerx.patients.selectors import patient_screening_facts, record_shown
from needlerx.screening.models import ScreeningRun
from needlerx.treatments import words
from needlerx.treatments.models import SafetyAlert
from needlerx.treatments.selectors.home import (
    alert_window_start,
    open_needle_count_alerts,
    screen_alerts_since,
)

# "check_in": a warning sign in a home check-in (patient_tasks, added by the web layer)
AlertKind = Literal["risk", "red_flag", "screen", "needle_count", "check_in"]


@dataclass(frozen=True)
class HeaderAlert:
    kind: AlertKind
    label: str
    detail: str = ""


@dataclass(frozen=True)
class PatientHeader:
    clinical: bool
    alerts: list[HeaderAlert] = field(default_factory=list)


def patient_header_for_user(
    *, user: User, patient: Patient, today: dt.date, facts: dict[str, Any] | None = None
) -> PatientHeader:
    """The safety alerts of ``patient`` for ``user``'s header (none for a non-clinical role).

    The page that shows the header has already read the patient through a selector, which
    recorded the view; this read joins that same view event. ``facts`` are the patient's
    screening facts on ``today`` when the page has already worked them out.
    """
    role = role_in_clinic(user=user, clinic=patient.clinic)
    if not role_has_permission(role, "patient.view_clinical"):
        return PatientHeader(clinical=False)
    record_shown(user=user, patient=patient, obj=patient)
    if facts is None:
        facts = patient_screening_facts(patient=patient, on=today)
    return PatientHeader(
        clinical=True,
        alerts=[
            *_risk_alerts(facts),
            *_red_flag_alerts(facts),
            *_open_alerts(patient, today),
        ],
    )


def _risk_alerts(facts: dict[str, object]) -> list[HeaderAlert]:
    return [
        HeaderAlert(kind="risk", label=alert.label)
        for alert in patient_header_reference().alerts
        if facts.get(alert.fact) is True
    ]


def recorded_red_flags(facts: dict[str, object]) -> list[str]:
    """The labels of the red flags the facts hold true (recorded and not cleared)."""
    catalogue = fact_catalogue()
    return [
        catalogue[fact].label
        for fact, value in facts.items()
        if fact in catalogue and catalogue[fact].group == "red_flag" and value is True
    ]


def _red_flag_alerts(facts: dict[str, object]) -> list[HeaderAlert]:
    return [
        HeaderAlert(kind="red_flag", label="Red flag", detail=label)
        for label in recorded_red_flags(facts)
    ]


# Prepared once each (core.prepared): every patient page shows the header.
@prepared_read()
def _latest_screen_alert(patient_id: int, since: dt.datetime) -> QuerySet[ScreeningRun]:
    return screen_alerts_since(since).filter(patient_id=patient_id).only("decision", "run_at")[:1]


@prepared_read()
def _needle_count_alerts_of(patient_id: int) -> QuerySet[SafetyAlert]:
    return open_needle_count_alerts().filter(session__patient_id=patient_id).only("kind")


def _open_alerts(patient: Patient, today: dt.date) -> list[HeaderAlert]:
    screens = _latest_screen_alert.all(patient_id=patient.pk, since=alert_window_start(today))
    needle_counts = _needle_count_alerts_of.all(patient_id=patient.pk)
    return [
        *(
            HeaderAlert(
                kind="screen",
                label=f"Screen: {words.decision_words(run.decision)}",
                detail=local.format_day_of(run.run_at),
            )
            for run in screens
        ),
        *(
            HeaderAlert(kind="needle_count", label=alert.get_kind_display())
            for alert in needle_counts
        ),
    ]
