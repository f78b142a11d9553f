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


def test_a_psfs_at_home_names_the_patients_own_activities_then_re_rates_them(client, world):
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    form = {"kind": "questionnaire", "instrument": "psfs", "episode": str(episode.public_id)}
    home = Client()
    baseline = send_link(client, patient, **form)
    unnamed = home.post(f"/my/{baseline}/", {"name_1": "Turning my head to drive", "item_2": "4"})
    assert unnamed.status_code == 400
    assert not InstrumentResponse.objects.exists()
    answers = {"name_1": "Turning my head to drive", "item_1": "3", "name_2": "Lifting my child"}
    answers["item_2"] = "5"
    assert home.post(f"/my/{baseline}/", answers).status_code == 200
    first = InstrumentResponse.objects.get()
    assert first.responses["activities"] == {
        "1": "Turning my head to drive",
        "2": "Lifting my child",
    }
    assert (first.score, first.entered_via) == (4, EnteredVia.PATIENT_LINK)
    follow_up = send_link(client, patient, **form)
    page = home.get(f"/my/{follow_up}/").content.decode()
    assert "Turning my head to drive: how well can you do this today?" in page
    assert "name_1" not in page  # the names are the baseline's; the patient only re-rates
    assert home.post(f"/my/{follow_up}/", {"item_1": "7", "item_2": "9"}).status_code == 200
    latest = InstrumentResponse.objects.latest("taken_at")
    assert latest.score == 8 and latest.responses["activities"] == first.responses["activities"]


def test_a_spasm_diary_at_home_counts_last_weeks_spasms(client, world):
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    form = {"kind": "questionnaire", "instrument": "spasm", "episode": str(episode.public_id)}
    token = send_link(client, patient, **form)
    home = Client()
    assert b"muscle spasms did you have in the last 7 days" in home.get(f"/my/{token}/").content
    refused = home.post(f"/my/{token}/", {"episodes_per_week": "0", "intensity": "5"})
    assert (
        refused.status_code == 400 and b"must be 0 when there were no episodes" in refused.content
    )
    assert (
        home.post(f"/my/{token}/", {"episodes_per_week": "4", "intensity": "6"}).status_code == 200
    )
    stored = InstrumentResponse.objects.get()
    assert (stored.instrument, stored.score, stored.entered_via) == ("spasm", 4, "patient_link")
    assert stored.result["subscales"]["intensity"]["score"] == 6
