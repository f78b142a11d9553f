"""The needle count proves removal: needles per entry, the count is their sum, removed equals
used, and a count taken before later needling is void. Tried through the service, API and CLI."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from needlerx.core.errors import ApplicationError
from needlerx.treatments import services
from needlerx.treatments.models import TreatmentSession
from tests.treatments.helpers import checked_session, consent, fresh, needle

AFTERCARE = ["soreness_expected", "pneumothorax_safety_net", "contact_clinic"]


def _needled(world) -> TreatmentSession:
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session, needles=3)
    session = fresh(session)
    return services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment="ok",
        aftercare_given=AFTERCARE,
    )


def _sign(world, session: TreatmentSession) -> TreatmentSession:
    session = fresh(session)
    return services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )


def test_a_zero_count_on_a_note_with_needling_is_refused_and_cannot_sign(world):
    session = _needled(world)
    with pytest.raises(ApplicationError) as refused:
        services.treatment_session_needle_count(
            actor=world.alice, session=session, needles_used=0, needles_removed=0
        )
    assert refused.value.field == "needles_used"
    assert "must equal the needles recorded on the entries: 3" in refused.value.message
    with pytest.raises(ApplicationError) as unsigned:
        _sign(world, session)
    assert unsigned.value.field == "needles_used"
    assert fresh(session).signed_at is None


def test_each_entry_records_its_needles(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    for bad, field_message in ((0, "at least 1"), (9, "more than the insertions")):
        with pytest.raises(ApplicationError) as refused:
            needle(world.alice, session, needles=bad)
        assert refused.value.field == "needles"
        assert field_message in refused.value.message
    assert not session.needling_entries.exists()


def test_a_count_taken_before_later_needling_is_void_until_redone(world):
    session = _needled(world)
    services.treatment_session_needle_count(
        actor=world.alice, session=session, needles_used=3, needles_removed=3
    )
    needle(world.alice, fresh(session), needles=1)
    with pytest.raises(ApplicationError, match="count the needles again"):
        _sign(world, session)
    with pytest.raises(ApplicationError):  # the old total no longer adds up
        services.treatment_session_needle_count(
            actor=world.alice, session=fresh(session), needles_used=3, needles_removed=3
        )
    services.treatment_session_needle_count(
        actor=world.alice, session=fresh(session), needles_used=4, needles_removed=4
    )
    assert _sign(world, session).is_signed


def test_the_api_refuses_a_zero_count_naming_the_field(client: Client, world):
    session = _needled(world)
    client.force_login(world.alice)
    url = f"/api/v1/sessions/{session.public_id}"
    body = {"needles_used": 0, "needles_removed": 0}
    refused = client.post(f"{url}/needle-count", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "needles_used"
    shown = client.get(url).json()
    assert shown["needling_entries"][0]["needles"] == 3
    assert shown["sign_blockers"][0]["field"] == "needles_used"
    signed = client.post(
        f"{url}/sign",
        json.dumps({"expected_version": shown["version"]}),
        content_type="application/json",
    )
    assert signed.status_code == 400


def test_the_cli_refuses_a_zero_count_naming_the_field(world):
    session = _needled(world)
    with pytest.raises(CommandError) as refused:
        call_command(
            "treatment",
            "needle-count",
            "--user",
            "alice",
            "--session",
            str(session.public_id),
            "--used",
            "0",
            "--removed",
            "0",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert refused.value.returncode == 2
    assert "needles_used" in str(refused.value)
    assert fresh(session).needles_used is None
