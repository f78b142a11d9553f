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
    """Two tabs (or a laptop and a tablet) of the clinician writing the note.

    A colleague cannot save into the draft at all (tests/treatments/test_draft_take_over.py)."""
    session = checked_session(world.alice, world.episode(world.patient()))
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(world.alice)
    second_tab.force_login(world.alice)
    opened = session.version  # both open the draft at the same version
    assert patch(first_tab, session, opened, "Alice's assessment").status_code == 200
    refused = patch(second_tab, session, opened, "Alice's other assessment")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["field"] == "expected_version"
    assert "changed by someone else" in error["message"]
    assert TreatmentSession.objects.get(pk=session.pk).assessment == "Alice's assessment"
