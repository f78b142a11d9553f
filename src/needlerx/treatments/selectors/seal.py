"""Verify the seal of a signed note: recompute the hash of its stored snapshot, and check that
the note's rows still say what was sealed."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from needlerx.accounts.models import User
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.seal import canonical, seal_hash, snapshot_as_sealed
from needlerx.treatments.selectors.access import treatment_session_get_for_user
from needlerx.treatments.selectors.notes import legacy_content, note_content


def _legacy_hash(session: TreatmentSession) -> str:
    content = legacy_content(note_content(session))
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def sealed_snapshot_of(session: TreatmentSession) -> dict[str, Any]:
    """The whole snapshot a signed note's seal covers (``{}`` for a note without one), with the
    screen values put back from the screening run it references."""
    if session.sealed_snapshot is None:
        return {}
    return snapshot_as_sealed(session.sealed_snapshot, session.safety_screen)


def note_seal_verify(session: TreatmentSession) -> dict[str, Any]:
    """{ok, sealed, hash_matches, rows_match, stored_hash, computed_hash, message}."""
    stored = session.signed_content_hash
    if session.signed_at is None:
        draft = "This note is a draft: there is no seal yet."
        return {
            "ok": False,
            "sealed": False,
            "hash_matches": False,
            "rows_match": None,
            "stored_hash": None,
            "computed_hash": None,
            "message": draft,
        }
    if session.sealed_snapshot is None:
        computed = _legacy_hash(session)
        ok = computed == stored
        message = "Signed before snapshots were sealed; the content hash " + (
            "matches the note." if ok else "does NOT match the note."
        )
        return {
            "ok": ok,
            "sealed": False,
            "hash_matches": ok,
            "rows_match": ok,
            "stored_hash": stored,
            "computed_hash": computed,
            "message": message,
        }
    sealed = sealed_snapshot_of(session)
    computed = seal_hash(sealed)
    hash_matches = computed == stored
    rows_match = sealed.get("content") is None or canonical(
        json.loads(canonical(note_content(session)))
    ) == canonical(sealed["content"])
    ok = hash_matches and rows_match
    if ok:
        message = "The seal is intact: the snapshot and the note match the hash taken at signing."
    elif not hash_matches:
        message = "The sealed snapshot was altered after signing: its hash does not match."
    else:
        message = "The note's stored rows differ from what was sealed at signing."
    return {
        "ok": ok,
        "sealed": True,
        "hash_matches": hash_matches,
        "rows_match": rows_match,
        "stored_hash": stored,
        "computed_hash": computed,
        "message": message,
    }


def note_seal_verify_for_user(*, user: User, session_id: uuid.UUID | str) -> dict[str, Any]:
    session = treatment_session_get_for_user(user=user, public_id=session_id)
    return {"session_id": str(session.public_id), **note_seal_verify(session)}
