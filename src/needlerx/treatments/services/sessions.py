"""A session note while it is a draft: start, SOAP fields and the needle count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import require_permission
from needlerx.clinical.scoring.library import get_instrument
from needlerx.clinical.treatment_rules import check_limit, validate_aftercare_ids
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.patients.models import Episode
from needlerx.treatments.models import (
    EVALUATION_FIELDS,
    ChangeSinceLast,
    Intervention,
    NeedlingEntry,
    NoteType,
    SafetyAlert,
    SafetyAlertKind,
    SignedNoteLocked,
    TreatmentSession,
)
from needlerx.treatments.services.carry import carried_forward_of, last_signed_visit
from needlerx.treatments.services.common import (
    DOCUMENT,
    audit,
    clinician_words,
    conflict,
    now_allowing_clock_skew,
    require_dated_between,
    require_open_episode,
    session_for_update,
    session_save,
    start_of_day,
)
from needlerx.treatments.words import muscle_words

TEXT_FIELDS = (
    *EVALUATION_FIELDS,
    "last_session_follow_up",
    "subjective_notes",
    "objective_notes",
    "assessment",
    "plan_notes",
)
PAIN_FIELDS = ("pain_now", "soreness_since_last", "pain_before", "pain_after")
OTHER_FIELDS = (
    "change_since_last",
    "rom_motion",
    "rom_before",
    "rom_after",
    "other_interventions",
    "aftercare_given",
)
UPDATABLE = TEXT_FIELDS + PAIN_FIELDS + OTHER_FIELDS
TEXT_MAX = 20_000


@transaction.atomic
def treatment_session_start(
    *,
    actor: User,
    episode: Episode,
    started_at: dt.datetime | None = None,
    note_type: str = NoteType.TREATMENT,
    carry_forward: bool = False,
) -> TreatmentSession:
    """Open a draft note for a session with the patient (the actor is the treating clinician).

    ``carry_forward``: the episode's last signed note with needling lends its plan text (filled
    in, editable) and its needled muscles (offered for the clinician to confirm or change; see
    ``carried_forward_confirm``)."""
    if note_type not in NoteType.values:
        allowed = ", ".join(NoteType.values)
        raise ApplicationError(
            f"unknown note type {note_type!r}; allowed: {allowed}", field="note_type"
        )
    patient = episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission=DOCUMENT)
    require_open_episode(episode)
    moment = started_at or timezone.now()
    require_dated_between(
        "started_at",
        moment,
        clinic=patient.clinic,
        earliest=(start_of_day(episode.opened_on, patient.clinic), "the day the episode opened"),
        latest=(now_allowing_clock_skew(), "now"),
    )
    previous = last_signed_visit(episode) if carry_forward else None
    carried = carried_forward_of(previous) if previous else None
    session = TreatmentSession.objects.create(
        episode=episode,
        patient=patient,
        clinic=patient.clinic,
        clinician=actor,
        started_at=moment,
        note_type=note_type,
        carried_forward=carried,
        plan_notes=carried["plan_notes"] if carried else "",
    )
    detail: dict[str, Any] = {}
    if note_type != NoteType.TREATMENT:
        detail["note_type"] = note_type
    if carried:
        detail["carried_from"] = carried["from_session"]
    audit(
        action="treatment_session.start",
        actor=actor,
        role=role,
        session=session,
        detail=detail or None,
    )
    return session


@transaction.atomic
def treatment_session_take_over(
    *, actor: User, session: TreatmentSession, expected_version: int | None = None
) -> TreatmentSession:
    """Make the actor the clinician writing a colleague's draft: an explicit, audited act.

    The note's version moves on, so a form the previous writer still has open is refused as a
    conflict instead of saving over the new writer's work.
    """
    role = require_permission(user=actor, clinic=session.clinic, permission=DOCUMENT)
    locked = (
        TreatmentSession.objects.select_for_update().select_related("clinician").get(pk=session.pk)
    )
    if locked.signed_at is not None:
        raise SignedNoteLocked()
    if locked.clinician_id == actor.pk:
        raise ApplicationError("You are already the clinician writing this note.", code="invalid")
    if expected_version is not None and locked.version != expected_version:
        raise conflict("note", expected_version, locked.version)
    previous = locked.clinician
    locked.clinician = actor
    session_save(locked, ["clinician"])
    audit(
        action="treatment_session.take_over",
        actor=actor,
        role=role,
        session=locked,
        detail={
            "from_clinician": previous.get_username(),
            "from_clinician_name": clinician_words(previous),
        },
    )
    return locked


def _clean(name: str, value: Any) -> Any:
    if name in TEXT_FIELDS:
        text = str(value or "").strip()
        if len(text) > TEXT_MAX:
            raise ApplicationError(f"must be at most {TEXT_MAX:,} characters", field=name)
        return text
    if name in PAIN_FIELDS:
        return None if value is None else int(check_limit("pain_nprs", value, name, whole=True))
    if name == "change_since_last":
        if value not in ("", *ChangeSinceLast.values):
            allowed = ", ".join(ChangeSinceLast.values)
            raise ApplicationError(f"unknown value {value!r}; allowed: {allowed}", field=name)
        return value
    if name == "rom_motion":  # null clears the motion, as the form's empty choice does
        return "" if value is None else value
    if name == "aftercare_given":  # null clears the list, as an empty one does
        listed = [] if value is None else value
        return validate_aftercare_ids(listed if isinstance(listed, list) else [listed])
    if name == "other_interventions":
        return _other_interventions([] if value is None else value)
    return value


def _other_interventions(value: Any) -> list[dict[str, Any]]:
    allowed = [i for i in Intervention.values if i != Intervention.DRY_NEEDLING]
    if not isinstance(value, list):
        raise ApplicationError(
            "must be a list of {intervention, minutes, notes}", field="other_interventions"
        )
    cleaned = []
    for index, item in enumerate(value):
        where = f"other_interventions[{index}]"
        if not isinstance(item, dict) or item.get("intervention") not in allowed:
            raise ApplicationError(
                f"intervention must be one of {', '.join(allowed)} (dry needling is recorded "
                "as needling entries)",
                field=f"{where}.intervention",
            )
        minutes = item.get("minutes")
        if minutes is not None and (not isinstance(minutes, int) or not 0 < minutes <= 240):
            raise ApplicationError("must be a whole number from 1 to 240", field=f"{where}.minutes")
        cleaned.append(
            {
                "intervention": item["intervention"],
                "minutes": minutes,
                "notes": str(item.get("notes", "")).strip()[:500],
            }
        )
    return cleaned


def _check_rom(values: dict[str, Any]) -> None:
    motions = {m.id: m for m in get_instrument("rom").subscales}
    motion = values["rom_motion"]
    if motion and motion not in motions:
        raise ApplicationError(
            f"unknown motion {motion!r}; allowed: {', '.join(motions)}", field="rom_motion"
        )
    for name in ("rom_before", "rom_after"):
        value = values[name]
        if value is None:
            continue
        if not motion:
            raise ApplicationError("choose the motion measured first", field="rom_motion")
        low, high = motions[motion].range or (float("-inf"), float("inf"))
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float | Decimal)
            or not low <= value <= high
        ):
            unit = motions[motion].unit
            raise ApplicationError(
                f"must be a number from {low:g} to {high:g} {unit} (got {value!r})", field=name
            )


@transaction.atomic
def treatment_session_update(
    *, actor: User, session: TreatmentSession, expected_version: int, **fields: Any
) -> TreatmentSession:
    """Change SOAP fields of a draft; refused if someone saved since ``expected_version``."""
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise ApplicationError(
            f"unknown or read-only field; allowed: {', '.join(UPDATABLE)}", field=sorted(unknown)[0]
        )
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    with clinical_errors_as_application_errors():
        cleaned = {name: _clean(name, value) for name, value in fields.items()}
    rom = {
        name: cleaned.get(name, getattr(locked, name))
        for name in ("rom_motion", "rom_before", "rom_after")
    }
    _check_rom(rom)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    session_save(locked)
    audit(
        action="treatment_session.update",
        actor=actor,
        role=role,
        session=locked,
        detail={"fields": sorted(cleaned)},
    )
    return locked


def needle_count_problem(entries: list[NeedlingEntry], used: int) -> tuple[str, str] | None:
    """Why ``used`` cannot be the needle count of these entries, as (field, message), or None."""
    unknown = [e for e in entries if e.needles is None]
    if unknown:
        names = ", ".join(f"{muscle_words(e.muscle)} ({e.side})" for e in unknown)
        return (
            "needles",
            f"the needles used are not recorded for {names}; remove the entry "
            "and record it again with its needles",
        )
    total = sum(e.needles or 0 for e in entries)
    if used != total:
        detail = ", ".join(f"{muscle_words(e.muscle)} ({e.side}) {e.needles}" for e in entries)
        return (
            "needles_used",
            f"must equal the needles recorded on the entries: {total}"
            + (f" ({detail})" if detail else ""),
        )
    return None


@transaction.atomic
def treatment_session_needle_count(
    *,
    actor: User,
    session: TreatmentSession,
    needles_used: int,
    needles_removed: int,
    expected_version: int | None = None,
) -> TreatmentSession:
    """Record needles used and removed. ``needles_used`` must be the sum of the needles on the
    note's entries; a removed count that differs raises a safety alert that blocks signing."""
    with clinical_errors_as_application_errors():
        used = int(check_limit("needles_counted", needles_used, "needles_used", whole=True))
        removed = int(
            check_limit("needles_counted", needles_removed, "needles_removed", whole=True)
        )
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    entries = list(locked.needling_entries.all())
    problem = needle_count_problem(entries, used)
    if problem:
        raise ApplicationError(problem[1], field=problem[0], code="needle_count_invalid")
    locked.needles_used, locked.needles_removed = used, removed
    locked.needle_count_entries = [str(e.public_id) for e in entries]
    session_save(locked, ["needles_used", "needles_removed", "needle_count_entries"])
    audit(
        action="treatment_session.needle_count",
        actor=actor,
        role=role,
        session=locked,
        detail={"used": used, "removed": removed},
    )
    if used != removed:
        alert = SafetyAlert.objects.create(
            session=locked,
            kind=SafetyAlertKind.NEEDLE_COUNT_MISMATCH,
            detail={"needles_used": used, "needles_removed": removed},
            raised_at=timezone.now(),
            raised_by=actor,
        )
        audit(
            action="safety_alert.raise",
            actor=actor,
            role=role,
            session=locked,
            obj=alert,
            detail={"kind": alert.kind, "used": used, "removed": removed},
        )
    return locked
