"""The clinic home's tiles count everything they name, not only what the lists beside them show."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from needlerx.patients import services as patients
from needlerx.screening.services import screening_run
from needlerx.treatments import services as treatments
from needlerx.treatments.selectors import home as home_selector
from tests.personas import World
from tests.treatments.helpers import UPPER_TRAPEZIUS, answer_required_questions, consent


def _tile(html: str, what: str) -> str:
    before = html.split(f'<span class="what">{what}</span>')[0]
    return before.rsplit('<span class="count">', 1)[1].split("<")[0]


def test_the_alerts_tile_counts_every_screen_that_advised_against_needling(
    client: Client, world: World, monkeypatch
):
    monkeypatch.setattr(home_selector, "LIST_LIMIT", 1)
    client.force_login(world.alice)
    assert _tile(client.get(reverse("home")).content.decode(), "open safety alerts") == "0"
    for number in range(2):
        patient = world.patient(mrn=f"A-{number:04d}")
        episode = world.episode(patient)
        answer_required_questions(world.alice, patient)
        patients.history_fact_record(
            actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True
        )
        run = screening_run(actor=world.alice, episode=episode, plan=[UPPER_TRAPEZIUS])
        assert run.decision == "refer"
    response = client.get(reverse("home"))
    assert len(response.context["screen_alerts"]) == 1
    assert _tile(response.content.decode(), "open safety alerts") == "2"


def test_the_unsigned_notes_tile_counts_every_draft(client: Client, world: World, monkeypatch):
    monkeypatch.setattr(home_selector, "UNSIGNED_LIMIT", 1)
    for number in range(2):
        episode = world.episode(world.patient(mrn=f"A-{number:04d}"))
        consent(world.alice, episode)
        treatments.treatment_session_start(actor=world.alice, episode=episode)
    client.force_login(world.alice)
    response = client.get(reverse("home"))
    assert len(response.context["unsigned_notes"]) == 1
    assert _tile(response.content.decode(), "unsigned notes") == "2"
