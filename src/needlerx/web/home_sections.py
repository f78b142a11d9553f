"""What the clinic home shows a signed-in person, scoped to the clinics where they may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.patients.models import Patient
from needlerx.screening.models import ScreeningRun
from needlerx.web import treatment_home

ALERT_DECISIONS = ("refer", "do_not_needle")
ALERT_WINDOW_DAYS = 30
LIST_LIMIT = 20


def clinic_home(*, user: User, today: dt.date) -> dict[str, Any]:
    clinical_ids = clinic_ids_with_permission(user=user, permission="patient.view_clinical")
    visible_ids = clinic_ids_with_permission(user=user, permission="patient.view_demographics")
    since = today - dt.timedelta(days=ALERT_WINDOW_DAYS)
    screen_alerts = list(
        ScreeningRun.objects.filter(
            patient__clinic_id__in=clinical_ids,
            decision__in=ALERT_DECISIONS,
            run_at__date__gte=since,
        ).select_related("patient", "run_by")[:LIST_LIMIT]
    )
    screened_today = list(
        Patient.objects.filter(clinic_id__in=clinical_ids, screening_runs__run_at__date=today)
        .distinct()
        .order_by("family_name", "given_name")[:LIST_LIMIT]
    )
    context: dict[str, Any] = {
        "clinical": bool(clinical_ids),
        "patient_count": Patient.objects.filter(clinic_id__in=visible_ids).count(),
        "screen_alerts": screen_alerts,
        "screened_today": screened_today,
        "alert_window_days": ALERT_WINDOW_DAYS,
        "today": today,
    }
    context.update(treatment_home.home_sections(user=user, today=today))
    return context
