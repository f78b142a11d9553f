"""Follow-ups due 24-72 h after needling, in the clinics where the user may see treatment.

The list is read a page at a time with its true total: a clinic network can have thousands due.
Each page costs the same two queries (the total, then the page with its attempt counts), and only
the patients on the page are recorded for the audit trail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.audit.reads import audit_listing
from needlerx.clinical.treatment_reference import adverse_event_reference
from needlerx.clinical.treatment_rules import FollowUpStatus, follow_up_status
from needlerx.core.local import LocalConventions
from needlerx.core.prepared import ValuesRead, prepared_read
from needlerx.patients.shown import ShownPatient, shown_patient
from needlerx.treatments.models import FollowUp, NeedledSession

VIEW = "treatment.view"
DEFAULT_OVERDUE_DAYS = 14
FOLLOW_UPS_PER_PAGE = 50
OLDEST_FIRST = ("started_at", "session_id")
FOLLOW_UPS_PER_PAGE_MAX = 100
# What the pages, the API and the CLI show of a session due a follow-up; nothing else is read, and
# it is read as plain values (model objects for a page of 50 cost more than its SQL).
SHOWN_VALUES = (
    "session__public_id",
    "session__started_at",
    "session__patient__public_id",
    "session__patient__given_name",
    "session__patient__family_name",
    "session__patient__medical_record_number",
    "session__clinic__name",
    "session__clinic__time_zone",
    "session__clinic__date_style",
    "session__clinic__measurement_units",
    "session__clinician__username",
    "attempt_count",
)


@dataclass(frozen=True)
class DueSession:
    """A needled session due a follow-up, as the lists show it."""

    public_id: uuid.UUID
    started_at: dt.datetime
    patient: ShownPatient
    clinic_name: str
    clinician_username: str
    # The clinic's zone and styles, for times shown outside a request of that clinic (the CLI).
    conventions: LocalConventions


@dataclass(frozen=True)
class FollowUpDue:
    session: DueSession
    status: FollowUpStatus
    due_from: dt.datetime
    due_by: dt.datetime
    attempts: int


@dataclass(frozen=True)
class FollowUpPage:
    """One page of the follow-ups due, oldest first, with the true total."""

    items: list[FollowUpDue]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first item in the whole list; 0 when empty."""
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def has_needling() -> Exists:
    """The session has at least one needling entry (a session of exercise only has none)."""
    return Exists(NeedledSession.objects.filter(session=OuterRef("pk")))


def follow_up_made() -> Exists:
    """The session's follow-up contact was made (an ``unreachable`` call leaves it due)."""
    return Exists(
        NeedledSession.objects.filter(session=OuterRef("pk"), follow_up_made_at__isnull=False)
    )


def _due_window(
    now: dt.datetime, include_upcoming: bool, overdue_days: int
) -> tuple[dt.datetime, dt.datetime]:
    """The oldest and newest start of a session whose follow-up is listed at ``now``."""
    window = adverse_event_reference().follow_up
    oldest = now - dt.timedelta(hours=window.due_before_hours) - dt.timedelta(days=overdue_days)
    newest = now if include_upcoming else now - dt.timedelta(hours=window.due_after_hours)
    return oldest, newest


def _due(
    clinic_ids: list[int], oldest: dt.datetime, newest: dt.datetime
) -> QuerySet[NeedledSession]:
    """Needled sessions in the follow-up window with no completed follow-up: a range of the
    partial index of open follow-ups, whatever the clinics' history."""
    return NeedledSession.objects.filter(
        clinic_id__in=clinic_ids,
        follow_up_made_at__isnull=True,
        started_at__gte=oldest,
        started_at__lte=newest,
    )


# Prepared once (core.prepared): the ORM wrote the page's SQL afresh on every visit of the home.
@prepared_read()
def _due_count(clinic_ids: list[int], oldest: dt.datetime, newest: dt.datetime) -> ValuesRead:
    return _due(clinic_ids, oldest, newest).values("pk")


@prepared_read(shape=("start", "stop"))
def _due_page(
    clinic_ids: list[int], oldest: dt.datetime, newest: dt.datetime, start: int, stop: int
) -> ValuesRead:
    # The page is picked from the narrow list alone, and only its rows are joined and counted:
    # a deep page (OFFSET 2,500) would otherwise join every row before it.
    due = _due(clinic_ids, oldest, newest)
    on_page = due.order_by(*OLDEST_FIRST).values("pk")[start:stop]
    rows = (
        NeedledSession.objects.filter(pk__in=on_page)
        .annotate(attempt_count=_attempts())
        .order_by(*OLDEST_FIRST)
    )
    return rows.values(*SHOWN_VALUES)


def _attempts() -> Coalesce:
    """The follow-up contacts made so far (unreachable ones: a completed one ends the list)."""
    counted = (
        FollowUp.objects.filter(session=OuterRef("session_id"))
        .order_by()
        .values("session")
        .annotate(attempts=Count("pk"))
        .values("attempts")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _page_number(page: str | int | None) -> int:
    """The page asked for, from 1 (a missing or unreadable number is the first)."""
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    return max(number, 1)


def followups_due_page_for_user(
    *,
    user: User,
    page: str | int | None = 1,
    per_page: int = FOLLOW_UPS_PER_PAGE,
    now: dt.datetime | None = None,
    include_upcoming: bool = False,
    overdue_days: int = DEFAULT_OVERDUE_DAYS,
) -> FollowUpPage:
    """One page of the needling sessions in the user's clinics with no completed follow-up,
    oldest first, and how many there are in all.

    ``due`` is 24-72 h after the session (adverse_events.yaml); ``overdue`` after that, listed
    for ``overdue_days`` more days; ``not_yet_due`` (under 24 h) only with ``include_upcoming``.
    A page past the last is empty (its total still true); ``per_page`` is kept within
    1..FOLLOW_UPS_PER_PAGE_MAX.
    """
    now = now or timezone.now()
    per_page = min(max(per_page, 1), FOLLOW_UPS_PER_PAGE_MAX)
    clinic_ids = clinic_ids_with_permission(user=user, permission=VIEW)
    if not clinic_ids:
        return FollowUpPage(items=[], total=0, number=1, per_page=per_page)
    oldest, newest = _due_window(now, include_upcoming, overdue_days)
    total = _due_count.count(clinic_ids=clinic_ids, oldest=oldest, newest=newest)
    number = _page_number(page)
    start = (number - 1) * per_page
    # A page past the last is not read (nor is its OFFSET, however large, written into SQL).
    rows = (
        _due_page.all(
            clinic_ids=clinic_ids, oldest=oldest, newest=newest, start=start, stop=start + per_page
        )
        if start < total
        else []
    )
    items = [_follow_up_due(_due_session(row), row["attempt_count"], now) for row in rows]
    audit_listing(actor=user, patients=[f.session.patient for f in items], what="follow_ups_due")
    return FollowUpPage(items=items, total=total, number=number, per_page=per_page)


def _due_session(row: dict[str, Any]) -> DueSession:
    return DueSession(
        public_id=row["session__public_id"],
        started_at=row["session__started_at"],
        patient=shown_patient(row, prefix="session__patient__"),
        clinic_name=row["session__clinic__name"],
        clinician_username=row["session__clinician__username"],
        conventions=LocalConventions(
            time_zone=row["session__clinic__time_zone"],
            date_style=row["session__clinic__date_style"],
            measurement_units=row["session__clinic__measurement_units"],
        ),
    )


def _follow_up_due(session: DueSession, attempts: int, now: dt.datetime) -> FollowUpDue:
    window = adverse_event_reference().follow_up
    return FollowUpDue(
        session=session,
        status=follow_up_status(session.started_at, now),
        due_from=session.started_at + dt.timedelta(hours=window.due_after_hours),
        due_by=session.started_at + dt.timedelta(hours=window.due_before_hours),
        attempts=attempts,
    )
