"""The adverse-event register and the follow-up contacts after needling."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import require_permission
from needlerx.clinical.treatment_reference import record_dates_reference
from needlerx.clinical.treatment_rules import validate_adverse_event
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.core.inputs import is_uuid
from needlerx.treatments.models import (
    AdverseEvent,
    FollowUp,
    FollowUpMethod,
    FollowUpOutcome,
    NeedlingEntry,
    TreatmentSession,
)
from needlerx.treatments.services.common import (
    DOCUMENT,
    audit,
    now_allowing_clock_skew,
    require_dated_between,
)
from needlerx.treatments.services.needled import needled_session_refresh

MAX_DURATION_MINUTES = 60 * 24 * 365


def _entry(session: TreatmentSession, entry_id: uuid.UUID | str | None) -> NeedlingEntry | None:
    if not entry_id:
        return None
    entry = None
    if is_uuid(entry_id):
        entry = NeedlingEntry.objects.filter(session=session, public_id=entry_id).first()
    if entry is None:
        muscles = ", ".join(
            f"{e.public_id} ({e.muscle}, {e.side})" for e in session.needling_entries.all()
        )
        raise ApplicationError(
            f"is not a needling entry of this session; entries: {muscles or 'none'}",
            field="needling_entry_id",
        )
    return entry


@transaction.atomic
def adverse_event_record(
    *,
    actor: User,
    session: TreatmentSession,
    event_type: str,
    severity: str,
    onset_at: dt.datetime,
    action_taken: str,
    needling_entry_id: uuid.UUID | str | None = None,
    duration_minutes: int | None = None,
    description: str = "",
    follow_up: str = "",
) -> AdverseEvent:
    """Record an adverse event against a session (and the muscle entry when one is the cause).

    The register is separate from the note, so an event reported after signing is recorded.
    """
    role = require_permission(user=actor, clinic=session.clinic, permission=DOCUMENT)
    with clinical_errors_as_application_errors():
        event_type, severity = validate_adverse_event(event_type, severity)
    require_dated_between(
        "onset_at",
        onset_at,
        clinic=session.clinic,
        earliest=(
            session.started_at - record_dates_reference().clock_skew_allowed,
            "the session's start",
        ),
        latest=(now_allowing_clock_skew(), "now"),
    )
    if duration_minutes is not None and not 0 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ApplicationError(
            f"must be from 0 to {MAX_DURATION_MINUTES} minutes, or empty while ongoing",
            field="duration_minutes",
        )
    if not action_taken.strip():
        raise ApplicationError("say what was done about it", field="action_taken")
    event = AdverseEvent.objects.create(
        session=session,
        patient=session.patient,
        clinic=session.clinic,
        needling_entry=_entry(session, needling_entry_id),
        event_type=event_type,
        severity=severity,
        onset_at=onset_at,
        duration_minutes=duration_minutes,
        description=description.strip(),
        action_taken=action_taken.strip(),
        follow_up=follow_up.strip(),
        recorded_by=actor,
    )
    audit(
        action="adverse_event.record",
        actor=actor,
        role=role,
        session=session,
        obj=event,
        detail={"type": event_type, "severity": severity},
    )
    return event


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    session: TreatmentSession,
    method: str,
    outcome: str,
    notes: str = "",
    contacted_at: dt.datetime | None = None,
) -> FollowUp:
    """Record a follow-up contact after a needling session (``unreachable`` keeps it due)."""
    role = require_permission(user=actor, clinic=session.clinic, permission=DOCUMENT)
    if method not in FollowUpMethod.values:
        raise ApplicationError(
            f"unknown method {method!r}; allowed: {', '.join(FollowUpMethod.values)}",
            field="method",
        )
    if outcome not in FollowUpOutcome.values:
        raise ApplicationError(
            f"unknown outcome {outcome!r}; allowed: {', '.join(FollowUpOutcome.values)}",
            field="outcome",
        )
    moment = contacted_at or timezone.now()
    require_dated_between(
        "contacted_at",
        moment,
        clinic=session.clinic,
        earliest=(session.started_at, "the session's start"),
        latest=(now_allowing_clock_skew(), "now"),
    )
    if not session.needling_entries.exists():
        raise ApplicationError("no needling was recorded in this session", field="session")
    if outcome == FollowUpOutcome.ADVERSE_EVENT and not session.adverse_events.exists():
        raise ApplicationError(
            "record the adverse event in the register first, then the follow-up", field="outcome"
        )
    record = FollowUp.objects.create(
        session=session,
        contacted_at=moment,
        method=method,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
    )
    needled_session_refresh(session)
    audit(
        action="follow_up.record",
        actor=actor,
        role=role,
        session=session,
        obj=record,
        detail={"outcome": outcome},
    )
    return record
