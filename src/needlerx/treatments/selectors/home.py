"""What the clinic home shows a signed-in person, in the clinics where they may see it.

Every patient on the page is recorded for the audit trail as one listing.

Each list is read through an indexed, bounded range (today's sessions and screens by their start
time, drafts by ``signed_at IS NULL``, open alerts by a partial index, follow-ups by their window),
never by a scan of all of a clinic's sessions or screens, so the home costs the same with a year of
records as with a week.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.audit.reads import audit_listing
from needlerx.core.planner import Rarely
from needlerx.core.prepared import ValuesRead, counts_together, prepared_read
from needlerx.patients.models import Patient
from needlerx.patients.selectors import patients_in_clinics_counting
from needlerx.patients.shown import ShownPatient, shown_patient
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.models import SafetyAlert, SafetyAlertKind, TreatmentSession
from needlerx.treatments.selectors.followups import (
    VIEW,
    FollowUpPage,
    followups_due_page_for_user,
)

M = TypeVar("M", bound=models.Model)

ALERT_DECISIONS = ("refer", "do_not_needle")
ALERT_WINDOW_DAYS = 30
# Newest first, in an order no index gives (``run_at`` is never null, so NULLS LAST changes
# nothing): the database then reads the clinic's few alerts through their own index and sorts
# them, instead of walking the clinic's recent screens in time order until twenty alerts turn up.
NEWEST_FIRST_BY_SORT = (F("run_at").desc(nulls_last=True), F("id").desc(nulls_last=True))
LATEST_FIRST = ("-run_at", "-id")
LIST_LIMIT = 20
UNSIGNED_LIMIT = 20
# What the home shows of today's sessions and unsigned notes (not the note's content).
SHOWN_SESSION_FIELDS = (
    "public_id",
    "started_at",
    "signed_at",
    "patient__public_id",
    "patient__given_name",
    "patient__family_name",
)
SHOWN_SCREEN_FIELDS = (
    "public_id",
    "decision",
    "run_at",
    "patient__public_id",
    "patient__given_name",
    "patient__family_name",
)
# The home lists the oldest follow-ups due, with the true total and a link to the rest (the
# follow-ups page lists FOLLOW_UPS_PER_PAGE at a time).
HOME_FOLLOW_UPS = 10
NO_FOLLOW_UPS = FollowUpPage(items=[], total=0, number=1, per_page=HOME_FOLLOW_UPS)


# The home's lists are read as plain values (patients.shown): building model objects
# for them cost the home more than their SQL.
@dataclass(frozen=True)
class ShownSession:
    public_id: uuid.UUID
    started_at: dt.datetime
    signed_at: dt.datetime | None
    patient: ShownPatient

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


@dataclass(frozen=True)
class ShownScreen:
    public_id: uuid.UUID
    decision: str
    run_at: dt.datetime
    patient: ShownPatient


@dataclass(frozen=True)
class ShownNeedleCountAlert:
    kind: str
    detail: dict[str, Any]
    session: ShownSession

    @property
    def kind_label(self) -> str:
        return SafetyAlertKind(self.kind).label


@dataclass(frozen=True)
class ClinicHome:
    clinical: bool
    patient_count: int
    screen_alerts: list[ShownScreen]
    screen_alert_count: int
    screened_today: list[ShownPatient]
    # Today's screened patients, latest screen first, and whether there were more screens today
    # than the list shows (read as one row more).
    more_screened_today: bool
    # Today's first LIST_LIMIT sessions by start time, and how many there are in all.
    todays_sessions: list[ShownSession]
    todays_session_count: int
    unsigned_notes: list[ShownSession]
    unsigned_count: int
    followups_due: FollowUpPage
    safety_alerts: list[ShownNeedleCountAlert]
    alert_window_days: int = ALERT_WINDOW_DAYS
    # Whether the user may see treatment records anywhere (sessions, notes, follow-ups, needle
    # counts): a role that may not is shown no such counter at all, rather than a false 0.
    treatments: bool = False

    def patients(self) -> list[ShownPatient | Patient]:
        return [
            *(run.patient for run in self.screen_alerts),
            *self.screened_today,
            *(session.patient for session in self.todays_sessions + self.unsigned_notes),
            *(alert.session.patient for alert in self.safety_alerts),
        ]


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the clinic's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _screens_between(start: dt.datetime, end: dt.datetime | None = None) -> QuerySet[ScreeningRun]:
    runs = ScreeningRun.objects.screens().filter(run_at__gte=start)
    return runs.filter(run_at__lt=end) if end is not None else runs


def alert_window_start(today: dt.date) -> dt.datetime:
    """When the window of open screen alerts of ``today`` starts, in the current time zone."""
    return _start_of(today) - dt.timedelta(days=ALERT_WINDOW_DAYS)


def screen_alerts_since(since: dt.datetime) -> QuerySet[ScreeningRun]:
    """Screens since ``since`` that referred or advised against needling. From
    ``alert_window_start``, and with ``open_needle_count_alerts``, they are what the clinic home
    and the patient header call "open safety alerts" (one definition for both)."""
    # Alerts are a few screens in a hundred, which SQLite's statistics cannot tell (core.planner).
    return _screens_between(since).filter(Rarely(Q(decision__in=ALERT_DECISIONS)))


def open_needle_count_alerts() -> QuerySet[SafetyAlert]:
    """Needle-count alerts nobody has resolved yet (the other half of "open safety alerts")."""
    return SafetyAlert.objects.filter(resolved_at__isnull=True)


# The clinic of an alert is checked row by row (EXISTS on the primary key), so the database reads
# the few open alerts through their own index rather than every session of the clinic through the
# clinic index (SQLite has no statistics to tell).
def _of_sessions_in(clinic_ids: list[int]) -> Exists:
    return Exists(
        TreatmentSession.objects.filter(pk=OuterRef("session_id"), clinic_id__in=clinic_ids)
    )


def _first(
    rows: QuerySet[M], order: Sequence[str | OrderBy], limit: int, fields: Sequence[str]
) -> ValuesRead:
    """The ``fields`` of the first ``limit`` of ``rows`` in ``order``, picked from their own table
    (and index) before anything is joined to them: joined first, PostgreSQL read every patient
    of the network to join them to the few rows shown."""
    chosen = rows.order_by(*order).values("pk")[:limit]
    firsts = rows.model._default_manager.filter(pk__in=chosen).order_by(*order)
    return firsts.values(*fields)


def _shown(rows: list[dict[str, Any]]) -> list[ShownSession]:
    return [_shown_session(row) for row in rows]


def _shown_session(row: dict[str, Any], prefix: str = "") -> ShownSession:
    return ShownSession(
        row[f"{prefix}public_id"],
        row[f"{prefix}started_at"],
        row[f"{prefix}signed_at"],
        shown_patient(row, f"{prefix}patient__"),
    )


def _shown_screens(rows: list[dict[str, Any]]) -> list[ShownScreen]:
    return [
        ShownScreen(row["public_id"], row["decision"], row["run_at"], shown_patient(row))
        for row in rows
    ]


# The home's reads, each prepared once (core.prepared): the ORM wrote their SQL afresh on each
# visit, which cost the home more than the database took to answer them.
def _sessions_in(clinic_ids: list[int]) -> QuerySet[TreatmentSession]:
    return TreatmentSession.objects.filter(clinic_id__in=clinic_ids)


def _sessions_started(
    clinic_ids: list[int], start: dt.datetime, end: dt.datetime
) -> QuerySet[TreatmentSession]:
    return _sessions_in(clinic_ids).filter(started_at__gte=start, started_at__lt=end)


def _drafts(clinic_ids: list[int]) -> QuerySet[TreatmentSession]:
    return _sessions_in(clinic_ids).filter(signed_at__isnull=True)


@prepared_read(shape=("limit",))
def _todays_sessions(
    clinic_ids: list[int], start: dt.datetime, end: dt.datetime, limit: int
) -> ValuesRead:
    todays = _sessions_started(clinic_ids, start, end)
    return _first(todays, ("started_at",), limit, SHOWN_SESSION_FIELDS)


@prepared_read()
def _todays_session_count(
    clinic_ids: list[int], start: dt.datetime, end: dt.datetime
) -> ValuesRead:
    return _sessions_started(clinic_ids, start, end).values("pk")


@prepared_read(shape=("limit",))
def _unsigned_notes(clinic_ids: list[int], limit: int) -> ValuesRead:
    drafts = _drafts(clinic_ids)
    return _first(drafts, ("started_at",), limit, SHOWN_SESSION_FIELDS)


@prepared_read()
def _unsigned_count(clinic_ids: list[int]) -> ValuesRead:
    return _drafts(clinic_ids).values("pk")


def _alerts_in(clinic_ids: list[int], since: dt.datetime) -> QuerySet[ScreeningRun]:
    return screen_alerts_since(since).filter(clinic_id__in=clinic_ids)


@prepared_read(shape=("limit",))
def _screen_alerts(clinic_ids: list[int], since: dt.datetime, limit: int) -> ValuesRead:
    alerts = _alerts_in(clinic_ids, since)
    return _first(alerts, NEWEST_FIRST_BY_SORT, limit, SHOWN_SCREEN_FIELDS)


@prepared_read()
def _screen_alert_count(clinic_ids: list[int], since: dt.datetime) -> ValuesRead:
    return _alerts_in(clinic_ids, since).values("pk")


@prepared_read(shape=("limit",))
def _latest_screens(
    clinic_ids: list[int], start: dt.datetime, end: dt.datetime, limit: int
) -> ValuesRead:
    screens = _screens_between(start, end).filter(clinic_id__in=clinic_ids)
    return _first(screens, LATEST_FIRST, limit, SHOWN_SCREEN_FIELDS)


@prepared_read()
def _needle_count_alerts(clinic_ids: list[int]) -> ValuesRead:
    alerts = open_needle_count_alerts().filter(_of_sessions_in(clinic_ids))
    shown: ValuesRead = alerts.values(
        "kind", "detail", *(f"session__{name}" for name in SHOWN_SESSION_FIELDS)
    )
    return shown


def clinic_home_for_user(*, user: User, today: dt.date | None = None) -> ClinicHome:
    """Screens that advised against needling lately, today's screens and sessions, unsigned
    notes, follow-ups due (the first page, with the true total) and open needle-count alerts."""
    today = today or timezone.localdate()
    clinical_ids = clinic_ids_with_permission(user=user, permission="patient.view_clinical")
    visible_ids = clinic_ids_with_permission(user=user, permission="patient.view_demographics")
    treatment_ids = clinic_ids_with_permission(user=user, permission=VIEW)
    midnight, next_midnight = _start_of(today), _start_of(today + dt.timedelta(days=1))
    since = alert_window_start(today)
    latest_screens = _shown_screens(
        _latest_screens.all(
            clinic_ids=clinical_ids, start=midnight, end=next_midnight, limit=LIST_LIMIT + 1
        )
    )
    # The patients of today's latest screens, each once (a patient screened twice is listed at
    # the latest): ordered by name they would have to be read all before the first was shown.
    screened_today = list(dict.fromkeys(run.patient for run in latest_screens))
    # The tiles' four counts in one statement (one round trip on PostgreSQL); the number of
    # patients is kept by the database as they are stored, and read from its rows.
    patient_count, screen_alert_count, todays_session_count, unsigned_count = counts_together(
        patients_in_clinics_counting(visible_ids),
        _screen_alert_count.counting(clinic_ids=clinical_ids, since=since),
        _todays_session_count.counting(clinic_ids=treatment_ids, start=midnight, end=next_midnight),
        _unsigned_count.counting(clinic_ids=treatment_ids),
    )
    home = ClinicHome(
        clinical=bool(clinical_ids),
        patient_count=patient_count,
        screen_alerts=_shown_screens(
            _screen_alerts.all(clinic_ids=clinical_ids, since=since, limit=LIST_LIMIT)
        ),
        screen_alert_count=screen_alert_count,
        screened_today=screened_today[:LIST_LIMIT],
        more_screened_today=len(latest_screens) > LIST_LIMIT,
        todays_sessions=_shown(
            _todays_sessions.all(
                clinic_ids=treatment_ids, start=midnight, end=next_midnight, limit=LIST_LIMIT
            )
        ),
        todays_session_count=todays_session_count,
        unsigned_notes=_shown(_unsigned_notes.all(clinic_ids=treatment_ids, limit=UNSIGNED_LIMIT)),
        unsigned_count=unsigned_count,
        followups_due=(
            followups_due_page_for_user(user=user, per_page=HOME_FOLLOW_UPS)
            if treatment_ids
            else NO_FOLLOW_UPS
        ),
        safety_alerts=[
            ShownNeedleCountAlert(row["kind"], row["detail"], _shown_session(row, "session__"))
            for row in _needle_count_alerts.all(clinic_ids=treatment_ids)
        ],
        treatments=bool(treatment_ids),
    )
    audit_listing(actor=user, patients=home.patients(), what="clinic_home")
    return home
