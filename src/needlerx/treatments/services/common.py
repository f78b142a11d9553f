"""Helpers shared by the treatment services: permission, locking for update, optimistic version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from needlerx.accounts.local import clinic_conventions
from needlerx.accounts.models import Clinic, User
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.treatment_reference import record_dates_reference
from needlerx.core import local
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.treatments.models import SignedNoteLocked, TreatmentSession

DOCUMENT = "treatment.document"


def conflict(kind: str, expected: int, current: int) -> ApplicationError:
    return ApplicationError(
        f"This {kind} was changed by someone else since you opened it (you have version "
        f"{expected}, the saved one is version {current}). Reload it, then make your change "
        "again.",
        field="expected_version",
        code="conflict",
    )


def clinician_words(user: User) -> str:
    return user.get_full_name() or user.get_username()


def require_note_writer(*, actor: User, session: TreatmentSession) -> None:
    """Only the clinician writing a draft changes it; a colleague takes it over first (audited)."""
    if session.clinician_id != actor.pk:
        raise PermissionDenied(
            f"This draft note is being written by {clinician_words(session.clinician)}; only "
            "they can change it. To continue it yourself, take it over first (the take-over is "
            "recorded in the audit trail)."
        )


def now_allowing_clock_skew() -> dt.datetime:
    """The latest moment a record may be dated: now, plus record_dates.yaml's clock skew."""
    return timezone.now() + record_dates_reference().clock_skew_allowed


def start_of_day(day: dt.date, clinic: Clinic) -> dt.datetime:
    """Midnight at the start of ``day`` in ``clinic``'s time zone (whatever zone the caller has
    active: a command line's is the server's)."""
    return local.day_start(day, local.zone_named(clinic.time_zone))


def require_dated_between(
    field: str,
    moment: dt.datetime,
    *,
    clinic: Clinic,
    earliest: tuple[dt.datetime, str],
    latest: tuple[dt.datetime, str],
) -> None:
    """``moment`` inside ``earliest`` .. ``latest`` (each with what it is, for the message);
    otherwise a refusal naming the field and the allowed range, in ``clinic``'s time."""
    if timezone.is_naive(moment):
        raise ApplicationError("must include a time zone (for example +00:00)", field=field)
    (low, low_is), (high, high_is) = earliest, latest
    if not low <= moment <= high:
        conventions = clinic_conventions(clinic)
        low_text, high_text, got = (_shown(each, conventions) for each in (low, high, moment))
        if high < low:  # for example, the clinic's zone moved west after its episode opened
            raise ApplicationError(
                f"cannot be recorded yet: {low_is} ({low_text}) comes after {high_is} "
                f"({high_text}) in the clinic's time; got {got}",
                field=field,
            )
        raise ApplicationError(
            f"must be from {low_text} ({low_is}) to {high_text} ({high_is}); got {got}",
            field=field,
        )


def _shown(moment: dt.datetime, conventions: local.LocalConventions) -> str:
    """The moment in the clinic's time; as given when it cannot be (0001-01-01 at +01:00 is
    before the first representable UTC moment)."""
    try:
        return local.format_datetime(moment, conventions)
    except OverflowError:
        return moment.isoformat()


def session_for_update(
    *, actor: User, session: TreatmentSession, expected_version: int | None
) -> tuple[TreatmentSession, str]:
    """Lock the session row, check permission, that it is a draft written by the actor and that
    the version matches."""
    role = require_permission(user=actor, clinic=session.clinic, permission=DOCUMENT)
    locked = (
        TreatmentSession.objects.select_for_update().select_related("clinician").get(pk=session.pk)
    )
    if locked.signed_at is not None:
        raise SignedNoteLocked()
    require_note_writer(actor=actor, session=locked)
    if expected_version is not None and locked.version != expected_version:
        raise conflict("note", expected_version, locked.version)
    return locked, role


def session_save(locked: TreatmentSession, fields: list[str] | None = None) -> None:
    """Save a draft, bumping its version (the row is already locked)."""
    locked.version += 1
    locked.save(update_fields=None if fields is None else [*fields, "version", "updated_at"])


def require_open_episode(episode: Episode) -> None:
    if episode.status != EpisodeStatus.OPEN:
        raise ApplicationError(
            f"episode was discharged on {episode.discharged_on}; open a new episode first",
            field="episode",
        )


def audit(
    *,
    action: str,
    actor: User,
    role: str,
    session: TreatmentSession,
    obj: Any = None,
    detail: dict[str, Any] | None = None,
) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=role,
        clinic=session.clinic,
        obj=obj if obj is not None else session,
        patient=session.patient,
        detail=detail,
    )
