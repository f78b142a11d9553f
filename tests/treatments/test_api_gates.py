"""The safety gates through the API door: consent, screen, credential, needle count, signed notes,
stale versions (409), and who may read or write."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from needlerx.patients.services import history_fact_record
from tests.treatments.helpers import UPPER_TRAPEZIUS, checked_session, consent, fresh

NEEDLING = {
    **UPPER_TRAPEZIUS,
    "needle_gauge_mm": 0.25,
    "needle_length_mm": 30,
    "max_depth_mm": 15,
    "insertions": 3,
    "needles": 2,
}


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    call = getattr(client, method)
    if method == "get":
        return call(f"/api/v1{url}")
    return call(f"/api/v1{url}", data=json.dumps(body or {}), content_type="application/json")


def test_needling_without_consent_is_refused_then_recorded_once_consented(client, world):
    episode = world.episode(world.patient())
    session = checked_session(world.alice, episode)
    client.force_login(world.alice)
    refused = send(client, "post", f"/sessions/{session.public_id}/needling", NEEDLING)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "consent_required"
    consented = send(
        client,
        "post",
        f"/episodes/{episode.public_id}/consents",
        {
            "template_id": "dry_needling_general",
            "signer_name": "Pat Example",
            "signature_kind": "typed",
            "signature_data": "Pat Example",
        },
    )
    assert consented.status_code == 201, consented.json()
    assert "pneumothorax" in json.dumps(consented.json()["text"]).lower()
    recorded = send(client, "post", f"/sessions/{session.public_id}/needling", NEEDLING)
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["needling_entries"][0]["muscle"] == "upper_trapezius"


def test_a_blocking_screen_refuses_needling_through_the_api(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    consent(world.alice, episode)
    history_fact_record(actor=world.alice, patient=patient, fact="needle_phobia", value=True)
    session = checked_session(world.alice, episode)
    assert session.safety_decision == "do_not_needle"
    client.force_login(world.alice)
    refused = send(client, "post", f"/sessions/{session.public_id}/needling", NEEDLING)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "screen_blocks_needling"


def test_a_clinician_without_a_credential_cannot_record_needling(client, world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.nora, episode)
    client.force_login(world.nora)
    refused = send(client, "post", f"/sessions/{session.public_id}/needling", NEEDLING)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "credential_required"


def test_a_stale_version_is_a_409_and_nothing_is_overwritten(client, world):
    session = checked_session(world.alice, world.episode(world.patient()))
    client.force_login(world.alice)
    url = f"/sessions/{session.public_id}"
    first = send(client, "patch", url, {"expected_version": session.version, "assessment": "A"})
    assert first.status_code == 200
    second = send(client, "patch", url, {"expected_version": session.version, "assessment": "B"})
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    assert fresh(session).assessment == "A"


def test_a_needle_count_mismatch_blocks_signing_until_resolved(client, world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    client.force_login(world.alice)
    url = f"/sessions/{session.public_id}"
    send(client, "post", f"{url}/needling", NEEDLING)
    body = send(client, "post", f"{url}/needle-count", {"needles_used": 2, "needles_removed": 1})
    body = send(
        client,
        "patch",
        url,
        {
            "expected_version": body.json()["version"],
            "assessment": "ok",
            "aftercare_given": body.json()["required_aftercare"],
        },
    ).json()
    refused = send(client, "post", f"{url}/sign", {"expected_version": body["version"]})
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "safety_alerts"
    alert_id = body["safety_alerts"][0]["id"]
    resolve = {"resolution": "found_and_disposed", "note": "Found on the couch; sharps bin."}
    body = send(client, "post", f"/safety-alerts/{alert_id}/resolve", resolve).json()
    signed = send(client, "post", f"{url}/sign", {"expected_version": body["version"]})
    assert signed.status_code == 200, signed.json()
    after = send(
        client,
        "patch",
        url,
        {"expected_version": signed.json()["version"], "assessment": "changed"},
    )
    assert after.json()["error"]["code"] == "note_signed"
    added = send(client, "post", f"{url}/addenda", {"text": "Patient phoned: fine."})
    assert added.status_code == 201
    assert added.json()["addenda"][0]["author"] == "alice"
    assert added.json()["assessment"] == "ok"


def test_front_desk_and_other_clinics_cannot_read_notes(client, world):
    session = checked_session(world.alice, world.episode(world.patient()))
    client.force_login(world.frank)
    assert send(client, "get", f"/sessions/{session.public_id}").status_code == 403
    client.force_login(world.bob)
    assert send(client, "get", f"/sessions/{session.public_id}").status_code == 404
    client.force_login(world.ada)
    assert send(client, "get", f"/sessions/{session.public_id}").status_code == 200
    written = send(
        client,
        "patch",
        f"/sessions/{session.public_id}",
        {"expected_version": session.version, "assessment": "admin edit"},
    )
    assert written.status_code == 403


def test_a_note_with_a_range_of_motion_stored_can_still_be_changed(client, world):
    """The stored ROM comes back from the database as a Decimal; it is still a number."""
    session = checked_session(world.alice, world.episode(world.patient()))
    client.force_login(world.alice)
    url = f"/sessions/{session.public_id}"
    rom = {"rom_motion": "cervical_rotation_left", "rom_before": 50.5}
    first = send(client, "patch", url, {"expected_version": session.version, **rom})
    assert first.status_code == 200, first.content
    version = first.json()["version"]
    second = send(client, "patch", url, {"expected_version": version, "assessment": "Better"})
    assert second.status_code == 200, second.content
    assert fresh(session).assessment == "Better"


def test_a_motion_sent_as_null_clears_it_and_never_half_saves(client, world):
    """``rom_motion: null`` clears the motion (it was stored as NULL in a column that allows
    none: a server error on PostgreSQL); with a measurement still recorded it is refused."""
    session = checked_session(world.alice, world.episode(world.patient()))
    client.force_login(world.alice)
    url = f"/sessions/{session.public_id}"
    cleared = send(client, "patch", url, {"expected_version": session.version, "rom_motion": None})
    assert cleared.status_code == 200, cleared.content
    assert fresh(session).rom_motion == ""
    version = cleared.json()["version"]
    rom = {"rom_motion": "cervical_rotation_left", "rom_before": 50.5}
    measured = send(client, "patch", url, {"expected_version": version, **rom})
    assert measured.status_code == 200, measured.content
    version = measured.json()["version"]
    refused = send(client, "patch", url, {"expected_version": version, "rom_motion": None})
    assert refused.status_code == 400
    assert "rom_motion" in refused.content.decode()
    assert fresh(session).rom_motion == "cervical_rotation_left"


def test_lists_sent_as_null_are_cleared(client, world):
    """``aftercare_given`` and ``other_interventions`` sent as null clear them, as an empty list
    does (null was refused as "unknown advice None" and "must be a list")."""
    session = checked_session(world.alice, world.episode(world.patient()))
    client.force_login(world.alice)
    url = f"/sessions/{session.public_id}"
    filled = {
        "expected_version": session.version,
        "aftercare_given": ["soreness_expected"],
        "other_interventions": [{"intervention": "manual_therapy", "minutes": 8}],
    }
    saved = send(client, "patch", url, filled)
    assert saved.status_code == 200, saved.content
    assert fresh(session).aftercare_given == ["soreness_expected"]
    nulls = {"aftercare_given": None, "other_interventions": None}
    cleared = send(client, "patch", url, {"expected_version": saved.json()["version"], **nulls})
    assert cleared.status_code == 200, cleared.content
    assert (fresh(session).aftercare_given, fresh(session).other_interventions) == ([], [])
