"""The records that hang off one treatment session, for its note and follow-up pages.

The caller has read ``session`` with ``treatment_session_get_for_user``, which checked the user's
access and recorded the read for the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import QuerySet

from needlerx.clinical.billing import billing_suggestion
from needlerx.core.prepared import prepared_read
from needlerx.treatments.models import (
    Addendum,
    AdverseEvent,
    ConsentRecord,
    FollowUp,
    NeedlingEntry,
    SafetyAlert,
    TreatmentSession,
)

# The records of one session, each read prepared once (core.prepared): the note page reads them
# all on every visit. Each record gets its session as ``session.<records>.all()`` would give it.
SessionRecord = TypeVar(
    "SessionRecord", NeedlingEntry, SafetyAlert, AdverseEvent, Addendum, FollowUp
)


@prepared_read()
def _needling_entries(session_id: int) -> QuerySet[NeedlingEntry]:
    return NeedlingEntry.objects.filter(session_id=session_id)


@prepared_read()
def _safety_alerts(session_id: int) -> QuerySet[SafetyAlert]:
    return SafetyAlert.objects.filter(session_id=session_id)


@prepared_read()
def _adverse_events(session_id: int) -> QuerySet[AdverseEvent]:
    return AdverseEvent.objects.filter(session_id=session_id)


@prepared_read()
def _addenda(session_id: int) -> QuerySet[Addendum]:
    return Addendum.objects.filter(session_id=session_id).select_related("author")


@prepared_read()
def _follow_ups(session_id: int) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(session_id=session_id).select_related("recorded_by")


@prepared_read()
def _consents(episode_id: int) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(episode_id=episode_id)


def _of(session: TreatmentSession, records: list[SessionRecord]) -> list[SessionRecord]:
    for record in records:
        record.session = session
    return records


def session_needling_entries(session: TreatmentSession) -> list[NeedlingEntry]:
    return _of(session, _needling_entries.all(session_id=session.pk))


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
    return _of(session, _safety_alerts.all(session_id=session.pk))


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
    events = _of(session, _adverse_events.all(session_id=session.pk))
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
    return _of(session, _addenda.all(session_id=session.pk))


def session_follow_ups(session: TreatmentSession) -> list[FollowUp]:
    return _of(session, _follow_ups.all(session_id=session.pk))


def session_active_consents(session: TreatmentSession, *, at: dt.datetime) -> list[ConsentRecord]:
    """The episode's consents in force at ``at`` (signed and not withdrawn)."""
    consents = _consents.all(episode_id=session.episode_id)
    for consent in consents:
        consent.episode = session.episode
    return [consent for consent in consents if consent.is_active_at(at)]
