"""Clinic-home sections from the treatment record: today's sessions, unsigned notes, follow-ups
due and needle-count alerts. Empty until the treatments app lands."""

from __future__ import annotations

import datetime as dt
from typing import Any


def home_sections(*, clinic_ids: list[int], today: dt.date) -> dict[str, Any]:
    return {
        "todays_sessions": [],
        "unsigned_notes": [],
        "followups_due": [],
        "safety_alerts": [],
        "treatments_available": False,
    }
