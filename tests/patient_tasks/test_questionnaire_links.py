"""A questionnaire answered at home is scored by the core and shows in the progress chart."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from needlerx.instruments.models import EnteredVia, InstrumentResponse
from tests.patient_tasks.helpers import send_link

pytestmark = pytest.mark.django_db


def test_an_nprs_answered_at_home_appears_in_the_progress_chart(client, world):
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    token = send_link(
        client, patient, kind="questionnaire", instrument="nprs", episode=str(episode.public_id)
    )
    home = Client()
    assert b"Numeric Pain Rating Scale" in home.get(f"/my/{token}/").content
    assert home.post(f"/my/{token}/", {"item_1": "11"}).status_code == 400
    assert home.post(f"/my/{token}/", {"item_1": "6"}).status_code == 200
    stored = InstrumentResponse.objects.get()
    assert (stored.instrument, stored.score, stored.entered_via) == (
        "nprs",
        6,
        EnteredVia.PATIENT_LINK,
    )
    assert stored.entered_by is None
    progress = client.get(reverse("clinic:progress", args=[patient.public_id, episode.public_id]))
    assert b"Numeric Pain Rating Scale" in progress.content or b"NPRS" in progress.content
    assert home.post(f"/my/{token}/", {"item_1": "2"}).status_code == 409
    assert InstrumentResponse.objects.count() == 1


def test_only_questionnaires_without_licensed_text_are_sent(client, world):
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    url = reverse("patient_tasks:list", args=[patient.public_id])
    form = {"kind": "questionnaire", "instrument": "ndi", "episode": str(episode.public_id)}
    assert client.post(url, form).status_code == 400
