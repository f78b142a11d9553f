"""Signed means frozen: the note page renders from the sealed snapshot, the same for every viewer
and unchanged by later trigger points; the seal is verifiable and tampering is detected."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from needlerx.bodychart.services import trigger_point_record
from needlerx.treatments import selectors, services
from needlerx.treatments.models import TreatmentSession
from tests.treatments.helpers import checked_session, consent, fresh, needle


def _signed(world) -> TreatmentSession:
    episode = world.episode(world.patient(), regions=["cervical"])
    trigger_point_record(
        actor=world.alice, episode=episode, muscle="upper_trapezius", side="left", status="active"
    )
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
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


def _page(client: Client, user, session: TreatmentSession) -> str:
    client.force_login(user)
    url = reverse("clinic:session", args=[session.patient.public_id, session.public_id])
    response = client.get(url)
    assert response.status_code == 200
    main = response.content.decode().split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def _text(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page)


def _tamper(session: TreatmentSession, column: str, value: str) -> None:
    table = TreatmentSession._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, session.pk])  # noqa: S608


def test_a_later_trigger_point_does_not_change_a_signed_note_page(client, world):
    session = _signed(world)
    before = _page(client, world.alice, session)
    trigger_point_record(
        actor=world.alice,
        episode=session.episode,
        muscle="levator_scapulae",
        side="right",
        status="active",
    )
    assert _page(client, world.alice, session) == before
    assert _page(client, world.ada, session) == before  # the admin sees the same note


def test_the_signed_note_prints_words_and_the_signers_credential(client, world):
    session = _signed(world)
    page = _text(_page(client, world.alice, session))
    for code in (
        "soreness_expected",
        "pneumothorax_safety_net",
        "proceed_with_precautions",
        "upper_trapezius",
    ):
        assert code not in page
    assert "Upper trapezius" in page and "Dry-needling training" in page
    assert not re.search(r"\d{4}-\d\d-\d\dT?\d\d:\d\d", page.replace(" ", "_"))  # times spaced
    assert re.search(r"signed \d{4}-\d\d-\d\d \d\d:\d\d", page)
    sealed = fresh(session).sealed_snapshot or {}
    assert sealed["body_chart"]["trigger_points"][0]["muscle"] == "upper_trapezius"
    assert sealed["signer"]["credential"]["hours"] > 0


def test_the_signed_note_dates_the_training_in_the_clinic_s_style(client, world):
    world.clinic_a.date_style = "month_first"
    world.clinic_a.save()
    session = _signed(world)
    sealed = fresh(session).sealed_snapshot or {}
    completed = dt.date.fromisoformat(sealed["signer"]["credential"]["completed_on"])
    page = _text(_page(client, world.alice, session))
    assert f"completed {completed:%b} {completed.day}, {completed.year}" in page
    assert completed.isoformat() not in page


def test_the_seal_verifies_and_detects_tampering_with_the_snapshot(world):
    session = _signed(world)
    assert selectors.note_seal_verify(fresh(session))["ok"]
    snapshot = fresh(session).sealed_snapshot or {}
    snapshot["needle_count"]["removed"] = 1
    _tamper(session, "sealed_snapshot", json.dumps(snapshot))
    verdict = selectors.note_seal_verify(fresh(session))
    assert not verdict["ok"] and not verdict["hash_matches"]
    with pytest.raises(CommandError) as broken:
        call_command(
            "treatment",
            "verify-seal",
            "--user",
            "alice",
            "--session",
            str(session.public_id),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert broken.value.returncode == 1


def test_changed_rows_under_an_intact_snapshot_are_detected(client, world):
    session = _signed(world)
    _tamper(session, "assessment", "Rewritten later")
    verdict = selectors.note_seal_verify(fresh(session))
    assert verdict["hash_matches"] and not verdict["rows_match"] and not verdict["ok"]
    client.force_login(world.alice)
    answer = client.get(f"/api/v1/sessions/{session.public_id}/seal").json()
    assert answer["ok"] is False and answer["rows_match"] is False
