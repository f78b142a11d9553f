"""Follow-ups due 24-72 h after needling, in the clinics where the user may see treatment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.audit.reads import audit_listing
from needlerx.clinical.treatment_reference import adverse_event_reference
from needlerx.clinical.treatment_rules import FollowUpStatus, follow_up_status
from needlerx.treatments.models import (
    FollowUp,
    FollowUpOutcome,
    NeedlingEntry,
    TreatmentSession,
)

VIEW = "treatment.view"
DEFAULT_OVERDUE_DAYS = 14


@dataclass(frozen=True)
class FollowUpDue:
    session: TreatmentSession
    status: FollowUpStatus
    due_from: dt.datetime
    due_by: dt.datetime
    attempts: int


def needled_sessions(clinic_ids: list[int]) -> QuerySet[TreatmentSession]:
    has_needling = NeedlingEntry.objects.filter(session=OuterRef("pk"))
    return TreatmentSession.objects.filter(clinic_id__in=clinic_ids).filter(Exists(has_needling))


def followups_due_for_user(
    *,
    user: User,
    now: dt.datetime | None = None,
    include_upcoming: bool = False,
    overdue_days: int = DEFAULT_OVERDUE_DAYS,
) -> list[FollowUpDue]:
    """Needling sessions in the user's clinics with no completed follow-up, oldest first.

    ``due`` is 24-72 h after the session (adverse_events.yaml); ``overdue`` after that, listed
    for ``overdue_days`` more days; ``not_yet_due`` (under 24 h) only with ``include_upcoming``.
    """
    now = now or timezone.now()
    window = adverse_event_reference().follow_up
    clinic_ids = clinic_ids_with_permission(user=user, permission=VIEW)
    oldest = now - dt.timedelta(hours=window.due_before_hours) - dt.timedelta(days=overdue_days)
    newest = now if include_upcoming else now - dt.timedelta(hours=window.due_after_hours)
    done = FollowUp.objects.filter(
        session=OuterRef("pk"), outcome__in=[FollowUpOutcome.WELL, FollowUpOutcome.ADVERSE_EVENT]
    )
    sessions = (
        needled_sessions(clinic_ids)
        .filter(started_at__gte=oldest, started_at__lte=newest)
        .exclude(Exists(done))
        .select_related("patient", "clinic", "clinician", "episode")
        .annotate(attempt_count=Count("follow_ups"))
        .order_by("started_at", "id")
    )
    due = [
        FollowUpDue(
            session=session,
            status=follow_up_status(session.started_at, now),
            due_from=session.started_at + dt.timedelta(hours=window.due_after_hours),
            due_by=session.started_at + dt.timedelta(hours=window.due_before_hours),
            attempts=session.attempt_count,
        )
        for session in sessions[:500]
    ]
    audit_listing(actor=user, patients=[f.session.patient for f in due], what="follow_ups_due")
    return due
