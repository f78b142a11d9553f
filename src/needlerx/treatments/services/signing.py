"""Signing a note (and what blocks it), resolving needle-count alerts, and addenda."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.local import clinic_conventions, clinic_today
from needlerx.accounts.models import User
from needlerx.accounts.selectors import credential_current, require_permission
from needlerx.bodychart.selectors import trigger_points_current
from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.core.local import format_day_of
from needlerx.patients.services import episode_discharge
from needlerx.treatments.models import (
    Addendum,
    NeedlingEntry,
    NoteType,
    SafetyAlert,
    SafetyAlertResolution,
    TreatmentSession,
)
from needlerx.treatments.seal import note_snapshot, seal_hash, snapshot_to_store
from needlerx.treatments.selectors.notes import content_of, legacy_content, note_content
from needlerx.treatments.selectors.session_records import session_other_drafts
from needlerx.treatments.services.common import DOCUMENT, audit, session_for_update, session_save
from needlerx.treatments.services.sessions import needle_count_problem


def note_content_hash(session: TreatmentSession) -> str:
    """The hash a note signed before sealing carries (over its content in the old format)."""
    content = legacy_content(note_content(session))
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _count_blockers(session: TreatmentSession, entries: list[Any]) -> list[tuple[str, str]]:
    """The needle count proves removal: present, after the last entry, the entries' sum."""
    if not entries:
        return []
    if session.needles_used is None or session.needles_removed is None:
        return [("needles_used", "record the needle count (needles used and removed)")]
    counted = set(session.needle_count_entries or [])
    if counted != {str(e.public_id) for e in entries}:
        return [
            (
                "needles_used",
                "the needle count was recorded before the needling changed: "
                "count the needles again",
            )
        ]
    if session.needles_used == 0 and any(e.insertions for e in entries):
        return [("needles_used", "a count of 0 needles cannot close a note with needling")]
    problem = needle_count_problem(entries, session.needles_used)
    return [problem] if problem else []


def _other_drafts_blocker(
    session: TreatmentSession, drafts: Sequence[TreatmentSession] | None
) -> list[tuple[str, str]]:
    """A discharge note closes its episode, so it is the episode's last note to be signed:
    while another of the episode's notes is a draft it would be left open on a discharged
    episode."""
    if session.note_type != NoteType.DISCHARGE:
        return []
    if drafts is None:
        drafts = session_other_drafts(session)
    conventions = clinic_conventions(session.clinic)
    named = [
        f"{format_day_of(draft.started_at, conventions)} by "
        f"{draft.clinician.get_full_name() or draft.clinician.get_username()}"
        for draft in drafts
    ]
    if not named:
        return []
    return [("episode", "sign the episode's other draft notes first: " + "; ".join(named))]


def sign_blockers(
    session: TreatmentSession,
    *,
    entries: Sequence[NeedlingEntry] | None = None,
    alerts: Iterable[SafetyAlert] | None = None,
    other_drafts: Sequence[TreatmentSession] | None = None,
) -> list[tuple[str, str]]:
    """Everything that stops this draft from being signed, as (field, message) pairs.

    ``entries``, ``alerts`` and ``other_drafts`` (``session_other_drafts``): the session's
    needling entries and safety alerts, and the episode's other drafts, when the caller has
    read them already (the note page); else they are read here."""
    blockers: list[tuple[str, str]] = []
    if not session.assessment.strip():
        blockers.append(("assessment", "write the assessment"))
    entries = list(session.needling_entries.all() if entries is None else entries)
    blockers += _count_blockers(session, entries)
    if alerts is None:
        alerts = session.safety_alerts.all()
    for alert in (alert for alert in alerts if alert.resolved_at is None):
        blockers.append(
            (
                "safety_alerts",
                f"resolve the {alert.get_kind_display().lower()} alert "
                f"({alert.detail.get('needles_used')} used, {alert.detail.get('needles_removed')} "
                "removed): found and disposed, or escalated",
            )
        )
    given = set(session.aftercare_given)
    needled = ((e.muscle, e.technique) for e in entries)
    for advice in required_aftercare(needled, session.safety_facts or {}):
        if advice.id not in given:
            blockers.append(("aftercare_given", f"record that you gave the advice: {advice.label}"))
    return blockers + _other_drafts_blocker(session, other_drafts)


def note_seal_apply(
    session: TreatmentSession,
    *,
    entries: Sequence[NeedlingEntry],
    alerts: Sequence[SafetyAlert],
    trigger_points: Iterable[Any],
    signer: User,
    credential: Any,
) -> None:
    """Seal a note being signed (``signed_at`` set): its snapshot and the hash over it.

    Works on objects in hand without queries (the demo seals in bulk the same way:
    ``demo.treatments.seal_note``). The stored snapshot leaves out the screen values the
    referenced screening run holds; the hash covers them (see ``treatments.seal``).
    """
    snapshot = note_snapshot(
        session=session,
        content=content_of(session, entries, alerts),
        entries=entries,
        trigger_points=trigger_points,
        signer=signer,
        credential=credential,
    )
    session.signed_content_hash = seal_hash(snapshot)
    session.sealed_snapshot = snapshot_to_store(snapshot, session.safety_screen)


@transaction.atomic
def treatment_session_sign(
    *, actor: User, session: TreatmentSession, expected_version: int
) -> TreatmentSession:
    """Sign, seal and lock the note: the snapshot of what it shows is hashed into the seal.

    From now on corrections are addenda."""
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    if locked.clinician_id != actor.pk:
        raise PermissionDenied("Only the treating clinician who wrote this note can sign it.")
    blockers = sign_blockers(locked)
    if blockers:
        raise ApplicationError(
            "This note cannot be signed yet: " + "; ".join(m for _, m in blockers) + ".",
            field=blockers[0][0],
            code="cannot_sign",
        )
    locked.signed_at = timezone.now()
    locked.signed_by = actor
    note_seal_apply(
        locked,
        entries=list(locked.needling_entries.select_related("paired_with")),
        alerts=list(locked.safety_alerts.all()),
        trigger_points=trigger_points_current(episode=locked.episode).values(),
        signer=actor,
        credential=credential_current(user=actor, on=clinic_today(session.clinic)),
    )
    session_save(locked)
    audit(
        action="treatment_session.sign",
        actor=actor,
        role=role,
        session=locked,
        detail={"content_hash": locked.signed_content_hash},
    )
    if locked.note_type == NoteType.DISCHARGE:  # the discharge note closes the episode
        locked.episode = episode_discharge(
            actor=actor, episode=locked.episode, by_note=str(locked.public_id)
        )
    return locked


@transaction.atomic
def safety_alert_resolve(
    *, actor: User, alert: SafetyAlert, resolution: str, note: str
) -> SafetyAlert:
    """Resolve a needle-count alert: the needle was found and disposed of, or it was escalated."""
    locked_session, role = session_for_update(
        actor=actor, session=alert.session, expected_version=None
    )
    current = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if current.resolved_at is not None:
        raise ApplicationError("this alert is already resolved", field="alert")
    if resolution not in SafetyAlertResolution.values:
        allowed = ", ".join(SafetyAlertResolution.values)
        raise ApplicationError(
            f"unknown resolution {resolution!r}; allowed: {allowed}", field="resolution"
        )
    if not note.strip():
        raise ApplicationError(
            "say what was done (where the needle was found, or to whom it was escalated)",
            field="note",
        )
    current.resolution, current.resolution_note = resolution, note.strip()
    current.resolved_at, current.resolved_by = timezone.now(), actor
    current.save()
    session_save(locked_session, [])
    audit(
        action="safety_alert.resolve",
        actor=actor,
        role=role,
        session=locked_session,
        obj=current,
        detail={"resolution": resolution},
    )
    return current


@transaction.atomic
def treatment_session_addendum_add(
    *, actor: User, session: TreatmentSession, text: str
) -> Addendum:
    """Append a correction or addition to a signed note, with its author and time."""
    role = require_permission(user=actor, clinic=session.clinic, permission=DOCUMENT)
    current = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if current.signed_at is None:
        raise ApplicationError(
            "this note is still a draft: edit it instead of adding an addendum",
            field="session",
            code="not_signed",
        )
    if not text.strip():
        raise ApplicationError("write the addendum", field="text")
    if len(text) > 20_000:
        raise ApplicationError("must be at most 20,000 characters", field="text")
    addendum = Addendum.objects.create(session=current, author=actor, text=text.strip())
    audit(
        action="treatment_session.addendum", actor=actor, role=role, session=current, obj=addendum
    )
    return addendum
