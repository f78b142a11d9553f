"""Timeline entries from the treatment record: consents, sessions and adverse events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse

from needlerx.patients.models import Patient
from needlerx.treatments.models import AdverseEvent, ConsentRecord, TreatmentSession

if TYPE_CHECKING:
    from needlerx.web.timeline import TimelineEntry


def entries(patient: Patient) -> Iterable[TimelineEntry]:
    from needlerx.web.timeline import TimelineEntry

    for consent in ConsentRecord.objects.filter(patient=patient):
        withdrawn = f"; withdrawn {consent.withdrawn_at:%Y-%m-%d}" if consent.withdrawn_at else ""
        yield TimelineEntry(
            consent.signed_at,
            "consent",
            f"Consent signed: {consent.template_title}",
            f"by {consent.signer_name}{withdrawn}",
        )
    sessions = TreatmentSession.objects.filter(patient=patient).prefetch_related("needling_entries")
    for session in sessions:
        muscles = sorted({e.muscle.replace("_", " ") for e in session.needling_entries.all()})
        signed = session.signed_at is not None
        yield TimelineEntry(
            session.started_at,
            "session",
            "Treatment session",
            ("needled: " + ", ".join(muscles)) if muscles else "no needling",
            url=reverse("clinic:session", args=[patient.public_id, session.public_id]),
            badge="signed" if signed else "draft",
            badge_label="Signed" if signed else "Draft",
        )
    for event in AdverseEvent.objects.filter(patient=patient):
        yield TimelineEntry(
            event.onset_at,
            "adverse_event",
            f"Adverse event: {event.event_type.replace('_', ' ')}",
            event.action_taken,
            badge=event.severity,
            badge_label=event.severity.capitalize(),
        )
