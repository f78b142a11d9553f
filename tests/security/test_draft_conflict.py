"""Two people editing the same draft note cannot silently overwrite each other."""

from __future__ import annotations

import json

from django.test import Client

from needlerx.treatments.models import TreatmentSession
from tests.treatments.helpers import checked_session


def patch(client: Client, session: TreatmentSession, version: int, assessment: str):
    return client.patch(
        f"/api/v1/sessions/{session.public_id}",
        json.dumps({"expected_version": version, "assessment": assessment}),
        content_type="application/json",
    )


def test_the_second_save_of_the_same_version_is_refused_with_a_clear_message(world):
    session = checked_session(world.alice, world.episode(world.patient()))
    alice, nora = Client(), Client()
    alice.force_login(world.alice)
    nora.force_login(world.nora)
    opened = session.version  # both open the draft at the same version
    assert patch(alice, session, opened, "Alice's assessment").status_code == 200
    refused = patch(nora, session, opened, "Nora's assessment")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["field"] == "expected_version"
    assert "changed by someone else" in error["message"]
    assert TreatmentSession.objects.get(pk=session.pk).assessment == "Alice's assessment"
