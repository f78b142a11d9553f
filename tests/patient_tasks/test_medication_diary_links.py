"""The medication diary at home: the clinic's "Medication use" measure, in the patient's words,
scored by the core (days per week, classes, opioid MME) and shown in the progress chart."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from needlerx.instruments.models import EnteredVia, InstrumentResponse
from needlerx.patients.models import Episode, Patient
from tests.patient_tasks.helpers import send_link
from tests.personas import World

pytestmark = pytest.mark.django_db

DIARY = {
    "analgesic_days_per_week": "5",
    "days_nsaid": "4",
    "days_paracetamol": "",
    "days_muscle_relaxant": "2",
    "opioid_1": "oxycodone",
    "opioid_1_dose": "5",
    "opioid_1_per_day": "2",
}


def _diary_link(client: Client, world: World) -> tuple[str, Patient, Episode]:
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    form = {"kind": "questionnaire", "instrument": "medication", "episode": str(episode.public_id)}
    return send_link(client, patient, **form), patient, episode


def test_a_medication_diary_at_home_feeds_the_medication_measure_and_the_chart(client, world):
    token, patient, episode = _diary_link(client, world)
    home = Client()
    page = home.get(f"/my/{token}/").content.decode()
    assert "On how many of the last 7 days did you take any medicine for your pain?" in page
    assert "Acetaminophen (Tylenol)" in page and "Oxycodone (OxyContin" in page
    assert home.post(f"/my/{token}/", DIARY).status_code == 200
    stored = InstrumentResponse.objects.get()
    assert (stored.instrument, stored.score, stored.entered_via) == (
        "medication",
        5,
        EnteredVia.PATIENT_LINK,
    )
    # oxycodone 5 mg twice a day x 1.5 (CDC 2022) = 15 MME a day
    assert stored.result["subscales"]["mme_per_day"]["score"] == 15
    assert stored.responses["other_medications"] == {"nsaid": 4, "muscle_relaxant": 2}
    progress = client.get(reverse("clinic:progress", args=[patient.public_id, episode.public_id]))
    assert b"(5 days/week)" in progress.content and b"(15 MME/day)" in progress.content


def test_the_diary_refuses_answers_that_do_not_add_up_and_stores_nothing(client, world):
    token, _, _ = _diary_link(client, world)
    home = Client()
    more_days = home.post(f"/my/{token}/", {**DIARY, "days_nsaid": "6"})
    assert more_days.status_code == 400
    assert b"more than the 5 days you took any pain medicine" in more_days.content
    no_strength = home.post(f"/my/{token}/", {**DIARY, "opioid_1_dose": ""})
    assert (
        no_strength.status_code == 400
        and b"Give the strength from the label" in no_strength.content
    )
    # a patch is a rate per hour: times a day is refused by the core, next to the field
    patch = {**DIARY, "opioid_1": "fentanyl_transdermal", "opioid_1_dose": "25"}
    refused = home.post(f"/my/{token}/", patch)
    assert refused.status_code == 400 and b"leave doses_per_day out" in refused.content
    assert not InstrumentResponse.objects.exists()
    patch["opioid_1_per_day"] = ""
    assert home.post(f"/my/{token}/", patch).status_code == 200
    assert InstrumentResponse.objects.get().result["subscales"]["mme_per_day"]["score"] == 60


def test_a_diary_without_medicine_is_a_week_of_none(client, world):
    token, _, _ = _diary_link(client, world)
    assert Client().post(f"/my/{token}/", {"analgesic_days_per_week": "0"}).status_code == 200
    stored = InstrumentResponse.objects.get()
    assert stored.score == 0 and stored.responses["opioids"] == []
