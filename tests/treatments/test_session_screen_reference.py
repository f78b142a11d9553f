"""A session's re-check references a stored screening run instead of copying the screen: a re-check
with the same screen as a stored run shares it, a stored run cannot be changed, and the migration
that turned the copies into references changes nothing a user sees (signed seals still verify)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from needlerx.screening.models import ScreeningRun, ScreeningRunKind, ScreeningRunStored
from needlerx.screening.services import screening_run
from needlerx.treatments import selectors, services
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.seal import SCREEN_VALUES
from tests.schema_travel import migrate_to
from tests.treatments.helpers import (
    UPPER_TRAPEZIUS,
    answer_required_questions,
    checked_session,
    consent,
    fresh,
    needle,
)

BEFORE = [("treatments", "0003_draft_open_alert_and_follow_up_indexes")]


def _signed(world: Any, session: TreatmentSession) -> TreatmentSession:
    needle(world.alice, session, needles=2)
    session = services.treatment_session_needle_count(
        actor=world.alice, session=fresh(session), needles_used=2, needles_removed=2
    )
    session = services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment="Responding",
        aftercare_given=["soreness_expected", "pneumothorax_safety_net", "contact_clinic"],
    )
    return services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )


def _screened_episode(world: Any, mrn: str) -> Any:
    episode = world.episode(world.patient(mrn=mrn), regions=["cervical"])
    consent(world.alice, episode)
    answer_required_questions(world.alice, episode.patient)  # before the screen: as it reads
    return episode


def _seen(client: Client, session: TreatmentSession) -> dict[str, Any]:
    """What a user sees of a note: its API answer, its seal check and its page's text."""
    note = client.get(f"/api/v1/sessions/{session.public_id}")
    seal = client.get(f"/api/v1/sessions/{session.public_id}/seal")
    url = reverse("clinic:session", args=[session.patient.public_id, session.public_id])
    page = client.get(url).content.decode().split("<main", 1)[-1].split("</main>", 1)[0]
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", page)  # htmx sends it as a header
    # A draft's adverse-event form starts at the current minute, which may turn during the
    # migrations between two readings.
    page = re.sub(r'value="\d{4}-\d\d-\d\dT\d\d:\d\d"', 'value="(now)"', page)
    assert note.status_code == seal.status_code == 200
    return {"note": note.json(), "seal": seal.json(), "page": page}


def test_a_re_check_with_the_screen_just_run_references_it(world):
    episode = _screened_episode(world, "A-0001")
    run = screening_run(actor=world.alice, episode=episode, plan=[UPPER_TRAPEZIUS])
    first = checked_session(world.alice, episode)
    assert first.safety_screen == run and run.kind == ScreeningRunKind.SCREEN
    assert ScreeningRun.objects.count() == 1


def test_re_check_runs_stay_out_of_the_screening_history(client, world):
    episode = _screened_episode(world, "A-0001")
    screen = screening_run(actor=world.alice, episode=episode, plan=[UPPER_TRAPEZIUS])
    other_plan = {"muscle": "levator_scapulae", "side": "left", "technique": "static"}
    session = checked_session(world.alice, episode, plan=[other_plan])
    assert session.safety_screen is not None and session.safety_screen != screen
    assert session.safety_screen.kind == ScreeningRunKind.SESSION_RECHECK
    client.force_login(world.alice)
    listed = client.get(f"/api/v1/patients/{episode.patient.public_id}/screenings").json()
    assert [item["id"] for item in listed["results"]] == [str(screen.public_id)]
    assert listed["count"] == 1


def test_a_stored_run_cannot_be_changed_or_removed(world):
    episode = _screened_episode(world, "A-0001")
    session = _signed(world, checked_session(world.alice, episode))
    run = fresh(session).safety_screen
    assert run is not None
    run.decision = "proceed"
    with pytest.raises(ScreeningRunStored):
        run.save()
    with pytest.raises(ScreeningRunStored):
        ScreeningRun.objects.filter(pk=run.pk).update(decision="proceed")
    with pytest.raises(ScreeningRunStored):
        run.delete()
    with pytest.raises(ScreeningRunStored):
        ScreeningRun.objects.filter(pk=run.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_copies_into_references_and_every_seal_still_verifies(
    client, world, at_the_latest_schema
):
    # Episode one: the evaluation's screen, then a signed note whose re-check read the same screen.
    one = _screened_episode(world, "A-0001")
    screen = screening_run(actor=world.alice, episode=one, plan=[UPPER_TRAPEZIUS])
    signed = _signed(world, checked_session(world.alice, one))
    # Episode two: no stored screen; two notes (one signed, one draft) with the same re-check.
    two = _screened_episode(world, "A-0002")
    second = _signed(world, checked_session(world.alice, two))
    draft = checked_session(world.alice, two)
    unchecked = services.treatment_session_start(actor=world.alice, episode=two)
    notes = [signed, second, draft, unchecked]
    client.force_login(world.alice)
    before = [_seen(client, note) for note in notes]
    assert all(seen["seal"]["ok"] for seen in before[:2])

    # Back to the copies, as every session row held them, with no run stored for a re-check.
    migrate_to(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM screening_screeningrun WHERE kind = 'session_recheck'")
        cursor.execute(
            "SELECT COUNT(*) FROM treatments_treatmentsession WHERE safety_result IS NOT NULL"
        )
        assert cursor.fetchone()[0] == 3
    migrate_to()

    assert [_seen(client, note) for note in notes] == before
    assert fresh(signed).safety_screen == screen  # linked to the stored screen it copied
    shared = fresh(second).safety_screen
    assert shared is not None and shared.kind == ScreeningRunKind.SESSION_RECHECK
    assert fresh(draft).safety_screen == shared  # the same copy: stored once
    assert shared.run_by == world.alice and shared.run_at == fresh(second).safety_checked_at
    assert fresh(unchecked).safety_screen is None
    assert ScreeningRun.objects.count() == 2
    for note in (signed, second):  # the stored seal leaves the run's screen out
        stored = fresh(note).sealed_snapshot or {}
        assert "result" not in stored["content"]["safety_check"]


def test_a_changed_run_under_a_signed_note_breaks_its_seal(client, world):
    episode = _screened_episode(world, "A-0001")
    session = _signed(world, checked_session(world.alice, episode))
    client.force_login(world.alice)
    assert client.get(f"/api/v1/sessions/{session.public_id}/seal").json()["ok"] is True
    run = fresh(session).safety_screen
    assert run is not None
    with connection.cursor() as cursor:  # past every guard, as a hand-edited database would be
        cursor.execute(
            "UPDATE screening_screeningrun SET facts = %s WHERE id = %s",
            ['{"pregnant": true}', run.pk],
        )
    answer = client.get(f"/api/v1/sessions/{session.public_id}/seal").json()
    assert answer["ok"] is False and answer["hash_matches"] is False


def test_a_signed_note_stores_what_its_screen_takes_from_the_run_once(client, world):
    """The muscles' findings and reference depths, and the guidance, are the run's result word
    for word: the stored note leaves them out, and the note shows and seals them all the same."""
    episode = _screened_episode(world, "A-0001")
    session = _signed(world, checked_session(world.alice, episode))
    run = fresh(session).safety_screen
    assert run is not None
    stored = fresh(session).sealed_snapshot or {}
    assert "guidance" not in stored["screen"]
    assert stored["screen"]["muscles"]
    for muscle in stored["screen"]["muscles"]:
        assert "findings" not in muscle and "reference_depth" not in muscle
    whole = selectors.sealed_snapshot_of(fresh(session))
    assert whole["screen"]["guidance"], "the upper trapezius over the lung has guidance"
    assert [m["reference_depth"] for m in whole["screen"]["muscles"]] == [
        m.get("reference_depth") for m in run.result["muscles"]
    ]
    client.force_login(world.alice)
    seen = _seen(client, session)
    assert seen["seal"]["ok"] is True
    assert whole["screen"]["guidance"][0]["title"] in seen["page"]


def test_a_note_stored_with_its_screen_copied_reads_and_verifies_the_same(client, world):
    """A note sealed before its screen's copies were left out (every copy in the stored
    snapshot) is shown and verified exactly as before."""
    episode = _screened_episode(world, "A-0001")
    session = _signed(world, checked_session(world.alice, episode))
    client.force_login(world.alice)
    before = _seen(client, session)
    copied = selectors.sealed_snapshot_of(fresh(session))
    copied["content"]["safety_check"] = {
        k: v for k, v in copied["content"]["safety_check"].items() if k not in SCREEN_VALUES
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE treatments_treatmentsession SET sealed_snapshot = %s WHERE id = %s",
            [json.dumps(copied), session.pk],
        )
    assert "guidance" in (fresh(session).sealed_snapshot or {})["screen"]
    assert _seen(client, session) == before


def test_a_changed_depth_in_the_run_under_a_signed_note_breaks_its_seal(client, world):
    episode = _screened_episode(world, "A-0001")
    session = _signed(world, checked_session(world.alice, episode))
    run = fresh(session).safety_screen
    assert run is not None
    result = run.result
    result["muscles"][0]["reference_depth"] = {"mm": 99.0}
    with connection.cursor() as cursor:  # past every guard, as a hand-edited database would be
        cursor.execute(
            "UPDATE screening_storedresult SET body = %s WHERE digest = %s",
            [json.dumps(result), run.stored_result_id],
        )
    client.force_login(world.alice)
    answer = client.get(f"/api/v1/sessions/{session.public_id}/seal").json()
    assert answer["ok"] is False and answer["hash_matches"] is False
