"""What the clinic home shows a signed-in person, in the clinics where they may see it.

Every patient on the page is recorded for the audit trail as one listing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.audit.reads import audit_listing
from needlerx.patients.models import Patient
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.models import SafetyAlert, TreatmentSession
from needlerx.treatments.selectors.followups import VIEW, FollowUpDue, followups_due_for_user

ALERT_DECISIONS = ("refer", "do_not_needle")
ALERT_WINDOW_DAYS = 30
LIST_LIMIT = 20
UNSIGNED_LIMIT = 50


@dataclass(frozen=True)
class ClinicHome:
    clinical: bool
    patient_count: int
    screen_alerts: list[ScreeningRun]
    screened_today: list[Patient]
    todays_sessions: list[TreatmentSession]
    unsigned_notes: list[TreatmentSession]
    followups_due: list[FollowUpDue]
    safety_alerts: list[SafetyAlert]
    alert_window_days: int = ALERT_WINDOW_DAYS

    def patients(self) -> list[Patient]:
        return [
            *(run.patient for run in self.screen_alerts),
            *self.screened_today,
            *(session.patient for session in self.todays_sessions + self.unsigned_notes),
            *(alert.session.patient for alert in self.safety_alerts),
        ]


def clinic_home_for_user(*, user: User, today: dt.date | None = None) -> ClinicHome:
    """Screens that advised against needling lately, today's screens and sessions, unsigned
    notes, follow-ups due and open needle-count alerts."""
    today = today or timezone.localdate()
    clinical_ids = clinic_ids_with_permission(user=user, permission="patient.view_clinical")
    visible_ids = clinic_ids_with_permission(user=user, permission="patient.view_demographics")
    treatment_ids = clinic_ids_with_permission(user=user, permission=VIEW)
    since = today - dt.timedelta(days=ALERT_WINDOW_DAYS)
    sessions = TreatmentSession.objects.filter(clinic_id__in=treatment_ids).select_related(
        "patient", "clinician"
    )
    home = ClinicHome(
        clinical=bool(clinical_ids),
        patient_count=Patient.objects.filter(clinic_id__in=visible_ids).count(),
        screen_alerts=list(
            ScreeningRun.objects.filter(
                patient__clinic_id__in=clinical_ids,
                decision__in=ALERT_DECISIONS,
                run_at__date__gte=since,
            ).select_related("patient", "run_by")[:LIST_LIMIT]
        ),
        screened_today=list(
            Patient.objects.filter(clinic_id__in=clinical_ids, screening_runs__run_at__date=today)
            .distinct()
            .order_by("family_name", "given_name")[:LIST_LIMIT]
        ),
        todays_sessions=list(sessions.filter(started_at__date=today).order_by("started_at")),
        unsigned_notes=list(
            sessions.filter(signed_at__isnull=True).order_by("started_at")[:UNSIGNED_LIMIT]
        ),
        followups_due=followups_due_for_user(user=user) if treatment_ids else [],
        safety_alerts=list(
            SafetyAlert.objects.filter(
                session__clinic_id__in=treatment_ids, resolved_at__isnull=True
            ).select_related("session__patient")
        ),
    )
    audit_listing(actor=user, patients=home.patients(), what="clinic_home")
    return home
