"""The records that hang off one treatment session, for its note and follow-up pages.

The caller has read ``session`` with ``treatment_session_get_for_user``, which checked the user's
access and recorded the read for the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from needlerx.clinical.billing import billing_suggestion
from needlerx.treatments.models import (
    Addendum,
    AdverseEvent,
    ConsentRecord,
    FollowUp,
    NeedlingEntry,
    SafetyAlert,
    TreatmentSession,
)


def session_needling_entries(session: TreatmentSession) -> list[NeedlingEntry]:
    return list(session.needling_entries.all())


def session_billing_suggestion(
    session: TreatmentSession, entries: Iterable[NeedlingEntry] | None = None
) -> dict[str, Any]:
    """The CPT suggestion from the session's needling entries (each muscle and side), with the
    count, the reasoning and the episode's ICD-10-CM codes; the note page and the API show this.

    ``entries``: the session's needling entries when the caller has them already (the note page).
    """
    needled = session_needling_entries(session) if entries is None else entries
    muscles = [(entry.muscle, entry.side) for entry in needled]
    suggestion = billing_suggestion(muscles, session.episode.diagnosis_codes)
    return {
        "session_id": str(session.public_id),
        "signed": session.is_signed,
        **suggestion.to_dict(),
    }


def session_safety_alerts(session: TreatmentSession) -> list[SafetyAlert]:
    return list(session.safety_alerts.all())


def session_adverse_events(
    session: TreatmentSession, entries: Iterable[NeedlingEntry] | None = None
) -> list[AdverseEvent]:
    """The session's adverse events, each with its needling entry (if it names one).

    ``entries``: the session's needling entries when the caller has read them already (the note
    and follow-up pages): each event's entry is taken from them rather than joined, a join
    that cost the page more to build than to run."""
    if entries is None:
        return list(session.adverse_events.select_related("needling_entry"))
    by_id = {entry.pk: entry for entry in entries}
    events = list(session.adverse_events.all())
    for event in events:
        if event.needling_entry_id in by_id:
            event.needling_entry = by_id[event.needling_entry_id]
    return events


def session_other_drafts(session: TreatmentSession) -> list[TreatmentSession]:
    """The episode's other notes still drafts, oldest first, with who writes each (a discharge
    note waits for them: ``treatments.services.signing``)."""
    return list(
        TreatmentSession.objects.filter(episode_id=session.episode_id, signed_at__isnull=True)
        .exclude(pk=session.pk)
        .select_related("clinician")
        .order_by("started_at")
    )


def session_addenda(session: TreatmentSession) -> list[Addendum]:
    return list(session.addenda.select_related("author"))


def session_follow_ups(session: TreatmentSession) -> list[FollowUp]:
    return list(session.follow_ups.select_related("recorded_by"))


def session_active_consents(session: TreatmentSession, *, at: dt.datetime) -> list[ConsentRecord]:
    """The episode's consents in force at ``at`` (signed and not withdrawn)."""
    consents = ConsentRecord.objects.filter(episode=session.episode)
    return [consent for consent in consents if consent.is_active_at(at)]
