"""Clinic-home sections from the treatment record: today's sessions, unsigned notes, follow-ups
due and open needle-count alerts (read through the treatments app's overview selector)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from needlerx.accounts.models import User
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.selectors import clinic_treatment_overview


def _url(session: TreatmentSession) -> str:
    return reverse("clinic:session", args=[session.patient.public_id, session.public_id])


def _count(detail: dict[str, Any]) -> str:
    return f"{detail.get('needles_used')} used, {detail.get('needles_removed')} removed"


def home_sections(*, user: User, today: dt.date) -> dict[str, Any]:
    overview = clinic_treatment_overview(user=user, today=today)
    todays: list[TreatmentSession] = overview["todays_sessions"]  # type: ignore[assignment]
    unsigned: list[TreatmentSession] = overview["unsigned_notes"]  # type: ignore[assignment]
    followups: list[Any] = overview["followups_due"]  # type: ignore[assignment]
    alerts: list[Any] = overview["safety_alerts"]  # type: ignore[assignment]
    return {
        "todays_sessions": [
            {
                "patient": s.patient,
                "url": _url(s),
                "status": "signed" if s.is_signed else "draft",
                "status_label": "Signed" if s.is_signed else "Draft",
            }
            for s in todays
        ],
        "unsigned_notes": [
            {
                "patient": s.patient,
                "url": _url(s),
                "label": f"started {s.started_at:%Y-%m-%d %H:%M}",
            }
            for s in unsigned
        ],
        "followups_due": [
            {
                "patient": f.session.patient,
                "url": _url(f.session),
                "record_url": reverse(
                    "clinic:follow_up", args=[f.session.patient.public_id, f.session.public_id]
                ),
                "status": f.status,
                "label": f"{f.status.replace('_', ' ')} · due by {f.due_by:%Y-%m-%d %H:%M}"
                + (
                    f" · {f.attempts} attempt{'s' if f.attempts != 1 else ''}" if f.attempts else ""
                ),
            }
            for f in followups
        ],
        "safety_alerts": [
            {
                "patient": a.session.patient,
                "url": _url(a.session) + "#needle-count",
                "label": a.get_kind_display(),
                "detail": _count(a.detail),
            }
            for a in alerts
        ],
    }
