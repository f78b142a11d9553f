"""One input model per write: the API and ``needlerx treatment`` refuse the same bad value
naming the same field with the same message, and nothing is saved."""

from __future__ import annotations

import json
from typing import Any

import pytest

from needlerx.treatments.models import TreatmentSession
from tests.doors import api_refusal, assert_same_refusal, cli_refusal, json_file, run_cli
from tests.treatments.helpers import UPPER_TRAPEZIUS, checked_session, consent, fresh, needle

ENTRY = {
    **UPPER_TRAPEZIUS,
    "needle_gauge_mm": 0.25,
    "needle_length_mm": 30,
    "max_depth_mm": 15,
    "insertions": 3,
    "needles": 2,
}


def _as_alice(action: str, session: TreatmentSession) -> tuple[str, ...]:
    """``needlerx treatment ACTION --user alice --session ID``: the start of each CLI call here."""
    return ("treatment", action, "--user", "alice", "--session", str(session.public_id))


@pytest.fixture
def session(world) -> TreatmentSession:
    """A draft note cleared for needling the left upper trapezius, seen by alice."""
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    return checked_session(world.alice, episode)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"side": "up"}, "side"),
        ({"technique": "dowsing"}, "technique"),
        ({"muscle": "upper_trapezus"}, "muscle"),
        ({"insertions": 0}, "insertions"),
        ({"insertions": 3.5}, "insertions"),
        ({"needle_gauge_mm": "thin"}, "needle_gauge_mm"),
        ({"needles": -1}, "needles"),
        ({"duration_seconds": 7200}, "duration_seconds"),
        ({"colour": "red"}, "colour"),
        ({"max_depth_mm": 40}, "max_depth_mm"),  # deeper than the needle: the service's check
    ],
)
def test_a_bad_needling_entry_is_refused_alike_by_api_and_cli(
    client, world, session, monkeypatch, capsys, tmp_path, changes: dict[str, Any], field: str
):
    body = {**ENTRY, **changes}
    client.force_login(world.alice)
    api = api_refusal(client, "POST", f"/api/v1/sessions/{session.public_id}/needling", body)
    err = cli_refusal(
        monkeypatch, capsys, *_as_alice("needling", session), "--input", json_file(tmp_path, body)
    )
    assert_same_refusal(api, err, field)
    assert not fresh(session).needling_entries.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pain_now": 11}, "pain_now"),
        ({"pain_after": "low"}, "pain_after"),
        ({"soreness_since_last": -1}, "soreness_since_last"),
        ({"change_since_last": "bettr"}, "change_since_last"),
        ({"rom_motion": "sideways"}, "rom_motion"),
        ({"aftercare_given": ["soreness_expected", "rest_forever"]}, "aftercare_given[1]"),
        ({"signed_by": "alice"}, "signed_by"),
        (
            {"other_interventions": [{"intervention": "dry_needling"}]},
            "other_interventions[0].intervention",
        ),  # the service's check
    ],
)
def test_a_bad_session_note_field_is_refused_alike_by_api_and_cli(
    client, world, session, monkeypatch, capsys, tmp_path, changes: dict[str, Any], field: str
):
    body = {"expected_version": session.version, **changes}
    client.force_login(world.alice)
    api = api_refusal(client, "PATCH", f"/api/v1/sessions/{session.public_id}", body)
    err = cli_refusal(
        monkeypatch, capsys, *_as_alice("update", session), "--input", json_file(tmp_path, body)
    )
    assert_same_refusal(api, err, field)
    assert fresh(session).version == session.version


def test_a_session_note_without_its_version_is_refused_alike(
    client, world, session, monkeypatch, capsys
):
    body = {"pain_now": 3}
    client.force_login(world.alice)
    api = api_refusal(client, "PATCH", f"/api/v1/sessions/{session.public_id}", body)
    err = cli_refusal(
        monkeypatch, capsys, *_as_alice("update", session), "--input", "-", stdin=json.dumps(body)
    )
    assert_same_refusal(api, err, "expected_version")


@pytest.mark.parametrize(
    ("used", "removed", "field"),
    [(-1, 0, "needles_used"), (2, 501, "needles_removed"), (3, 3, "needles_used")],
)
def test_a_bad_needle_count_is_refused_alike_by_api_and_cli(
    client, world, session, monkeypatch, capsys, used: int, removed: int, field: str
):
    needle(world.alice, session)  # 2 needles: a count of 3 is the service's refusal
    body = {"needles_used": used, "needles_removed": removed}
    client.force_login(world.alice)
    api = api_refusal(client, "POST", f"/api/v1/sessions/{session.public_id}/needle-count", body)
    err = cli_refusal(
        monkeypatch,
        capsys,
        *_as_alice("needle-count", session),
        "--used",
        str(used),
        "--removed",
        str(removed),
    )
    assert_same_refusal(api, err, field)
    assert fresh(session).needles_used is None


def test_the_cli_updates_the_note_with_the_apis_json(world, session, monkeypatch, capsys):
    body = {
        "expected_version": session.version,
        "pain_now": 6,
        "change_since_last": "better",
        "subjective_notes": "  Neck stiff in the mornings. ",
    }
    status, out, err = run_cli(
        monkeypatch, capsys, *_as_alice("update", session), "--input", "-", stdin=json.dumps(body)
    )
    assert status == 0, err
    assert json.loads(out)["version"] == session.version + 1
    saved = fresh(session)
    assert (saved.pain_now, saved.change_since_last) == (6, "better")
    assert saved.subjective_notes == "Neck stiff in the mornings."
