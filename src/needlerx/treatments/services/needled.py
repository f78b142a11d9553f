"""The list of needled sessions (``NeedledSession``), kept true inside the write that changes
it: adding or removing a needling entry, recording a follow-up contact."""

from __future__ import annotations

from django.db.models import Min

from needlerx.treatments.models import (
    FOLLOW_UP_MADE_OUTCOMES,
    FollowUp,
    NeedledSession,
    NeedlingEntry,
    TreatmentSession,
)


def needled_session_refresh(session: TreatmentSession) -> None:
    """List the session while it has a needling entry, with the moment of its first completed
    follow-up; unlist it when its last entry is removed. Called inside the caller's
    transaction, after its write."""
    if not NeedlingEntry.objects.filter(session=session).exists():
        NeedledSession.objects.filter(session=session).delete()
        return
    made = FollowUp.objects.filter(session=session, outcome__in=FOLLOW_UP_MADE_OUTCOMES).aggregate(
        first=Min("contacted_at")
    )["first"]
    NeedledSession.objects.update_or_create(
        session=session,
        defaults={
            "clinic_id": session.clinic_id,
            "clinician_id": session.clinician_id,
            "started_at": session.started_at,
            "follow_up_made_at": made,
        },
    )
