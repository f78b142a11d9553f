"""Carry the last signed visit forward: its plan and needled muscles arrive pre-filled in the new
draft, and the clinician confirms or changes them. Nothing is recorded as needled until confirmed,
and every entry passes the same gates as one typed by hand (``needling_entry_add``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.core.errors import ApplicationError
from needlerx.patients.models import Episode
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.services.common import audit, session_for_update, session_save
from needlerx.treatments.services.needling import needling_entry_add
from needlerx.treatments.words import muscle_words, side_words, technique_words

CARRIED_NUMBERS = (
    "needle_gauge_mm",
    "needle_length_mm",
    "max_depth_mm",
    "insertions",
    "needles",
    "local_twitch_responses",
    "duration_seconds",
)


def last_signed_visit(episode: Episode) -> TreatmentSession | None:
    """The episode's most recently signed note that recorded needling, if any."""
    return (
        TreatmentSession.objects.filter(
            episode=episode, signed_at__isnull=False, needling_entries__isnull=False
        )
        .order_by("-signed_at", "-id")
        .distinct()
        .first()
    )


def _entry_carried(entry: Any) -> dict[str, Any]:
    numbers = {
        name: float(value) if name.endswith("_mm") else value
        for name in CARRIED_NUMBERS
        if (value := getattr(entry, name)) is not None
    }
    return {
        "muscle": entry.muscle,
        "side": entry.side,
        "technique": entry.technique,
        **numbers,
        # Electrical parameters and electrode pairs are not carried: they are entered afresh.
    }


def carried_forward_of(previous: TreatmentSession) -> dict[str, Any]:
    """What a new draft takes over from ``previous``: its plan text and needled muscles."""
    entries = [
        _entry_carried(e)
        for e in previous.needling_entries.order_by("id")
        if e.technique != "electrical"
    ]
    return {
        "from_session": str(previous.public_id),
        "from_started_at": previous.started_at.isoformat(),
        "plan_notes": previous.plan_notes,
        "entries": entries,
    }


def entry_words(entry: dict[str, Any]) -> str:
    return (
        f"{muscle_words(entry['muscle'])} ({side_words(entry['side'])}), "
        f"{technique_words(entry['technique']).lower()}"
    )


def _changed(carried: list[dict[str, Any]], confirmed: list[dict[str, Any]]) -> bool:
    def key(entry: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            [entry["muscle"], entry["side"], entry["technique"]]
            + [float(entry.get(n) or 0) for n in CARRIED_NUMBERS]
        )

    return sorted(map(key, carried)) != sorted(map(key, confirmed))


@transaction.atomic
def carried_forward_confirm(
    *,
    actor: User,
    session: TreatmentSession,
    entries: list[dict[str, Any]],
    expected_version: int | None = None,
) -> TreatmentSession:
    """Record the carried-forward muscles the clinician confirmed (as shown or changed) as
    needling entries, all or none, and note on the draft that they were carried and confirmed.
    An empty ``entries`` records that the clinician left every carried muscle out today.

    Each entry goes through ``needling_entry_add``: credential, consent, a current safety re-check
    that allows it, rationales, guidance, plausible numbers and the depth warning all apply.
    """
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    carried = locked.carried_forward or {}
    if not carried.get("entries"):
        raise ApplicationError("nothing was carried forward into this note", field="entries")
    if locked.carried_forward_confirmed:
        raise ApplicationError(
            "the carried-forward muscles are already confirmed; add or remove entries instead",
            field="entries",
        )
    for index, entry in enumerate(entries):
        try:
            needling_entry_add(actor=actor, session=locked, **entry)
        except ApplicationError as error:
            if type(error) is not ApplicationError:
                raise
            where = entry_words(entry)
            raise ApplicationError(
                f"{where}: {error.message}",
                field=f"entries.{index}.{error.field or 'entry'}",
                code=error.code,
            ) from error
    locked = TreatmentSession.objects.get(pk=locked.pk)
    locked.carried_forward_confirmed = {
        "from_session": carried["from_session"],
        "from_started_at": carried["from_started_at"],
        "at": timezone.now().isoformat(),
        "by": actor.get_username(),
        "entries": [entry_words(e) for e in entries],
        "changed": _changed(carried["entries"], entries),
    }
    session_save(locked, ["carried_forward_confirmed"])
    audit(
        action="treatment_session.carried_forward_confirm",
        actor=actor,
        role=role,
        session=locked,
        detail={
            "from_session": carried["from_session"],
            "entries": len(entries),
            "changed": locked.carried_forward_confirmed["changed"],
        },
    )
    return locked
