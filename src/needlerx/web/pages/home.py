"""The clinic home: what needs the clinician's attention today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from needlerx.accounts.http import request_user
from needlerx.consultations.selectors import new_request_count_for_user
from needlerx.core import local
from needlerx.patient_tasks.selectors import ShownCheckInAlert, open_check_in_alerts_for_user
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.selectors.home import ClinicHome, ShownSession, clinic_home_for_user
from needlerx.web.pages.appointments import todays_appointments
from needlerx.web.pages.follow_ups import follow_ups_context
from needlerx.web.pages.links import links_to


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    clinic_home = clinic_home_for_user(user=request_user(request), today=today)
    context = home_context(clinic_home, today)
    context["todays_appointments"] = todays_appointments(request)
    context["new_consultation_requests"] = new_request_count_for_user(user=request_user(request))
    add_check_in_alerts(context, open_check_in_alerts_for_user(user=request_user(request)))
    return render(request, "web/home.html", context)


def _count(detail: dict[str, Any]) -> str:
    return f"{detail.get('needles_used')} used, {detail.get('needles_removed')} removed"


def home_context(home: ClinicHome, today: dt.date) -> dict[str, Any]:
    note, patient, screen = (
        links_to("clinic:session", 2),
        links_to("patients:detail"),
        links_to("clinic:screen_result", 2),
    )

    def note_of(session: TreatmentSession | ShownSession) -> str:
        return note(session.patient.public_id, session.public_id)

    return {
        "clinical": home.clinical,
        "treatments": home.treatments,
        "patient_count": home.patient_count,
        "screen_alerts": [
            {"run": run, "url": screen(run.patient.public_id, run.public_id)}
            for run in home.screen_alerts
        ],
        "screen_alert_count": home.screen_alert_count,
        "open_alert_count": len(home.safety_alerts) + home.screen_alert_count,
        "screened_today": [
            {"patient": shown, "url": patient(shown.public_id)} for shown in home.screened_today
        ],
        "more_screened_today": home.more_screened_today,
        "alert_window_days": home.alert_window_days,
        "today": today,
        "todays_session_count": home.todays_session_count,
        "todays_sessions": [
            {
                "patient": s.patient,
                "url": note_of(s),
                "status": "signed" if s.is_signed else "draft",
                "status_label": "Signed" if s.is_signed else "Draft",
            }
            for s in home.todays_sessions
        ],
        "unsigned_notes": [
            {
                "patient": s.patient,
                "url": note_of(s),
                "label": f"started {local.format_datetime(s.started_at)}",
            }
            for s in home.unsigned_notes
        ],
        "followups_due": follow_ups_context(home.followups_due),
        "unsigned_count": home.unsigned_count,
        "safety_alerts": [
            {
                "patient": a.session.patient,
                "url": note_of(a.session) + "#needle-count",
                "label": a.kind_label,
                "detail": _count(a.detail),
            }
            for a in home.safety_alerts
        ],
    }


def add_check_in_alerts(context: dict[str, Any], alerts: list[ShownCheckInAlert]) -> None:
    """Serious answers in home check-ins join the open safety alerts (and their count)."""
    review = links_to("patient_tasks:review", 2)
    context["safety_alerts"] += [
        {
            "patient": task.patient,
            "url": review(task.patient.public_id, task.public_id),
            "label": "Warning sign in home check-in",
            "detail": f"answered {local.format_datetime(task.completed_at)}"
            if task.completed_at
            else "",
        }
        for task in alerts
    ]
    context["open_alert_count"] += len(alerts)
