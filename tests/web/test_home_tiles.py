"""The clinic home's tiles count everything they name, not only what the lists beside them show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.patients import services as patients
from needlerx.screening.services import screening_run
from needlerx.treatments import services as treatments
from needlerx.treatments.selectors import home as home_selector
from tests.personas import World
from tests.treatments.helpers import (
    UPPER_TRAPEZIUS,
    answer_required_questions,
    checked_session,
    consent,
    move_start,
    needle,
)


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
    assert "Showing the latest 1 of 2 screens" in response.content.decode()
    assert "More patients were screened today than shown here" in response.content.decode()


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
    assert "Showing the oldest 1 of 2 unsigned notes." in response.content.decode()


def test_the_sessions_today_tile_counts_every_session_the_list_shows_the_first(
    client: Client, world: World, monkeypatch
):
    monkeypatch.setattr(home_selector, "LIST_LIMIT", 1)
    for number in range(2):
        episode = world.episode(world.patient(mrn=f"A-{number:04d}", given_name=f"Pat{number}"))
        consent(world.alice, episode)
        treatments.treatment_session_start(actor=world.alice, episode=episode)
    client.force_login(world.alice)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert len(response.context["todays_sessions"]) == 1
    assert _tile(html, "sessions today") == "2"
    assert "Showing the first 1 of 2 sessions today." in html


def test_todays_screened_patients_are_listed_latest_screen_first_each_once(
    client: Client, world: World
):
    episodes = {}
    for name in ("Ann", "Ben"):
        patient = world.patient(mrn=f"A-{name}", given_name=name, family_name="Screened")
        episodes[name] = world.episode(patient)
        answer_required_questions(world.alice, patient)
    for name in ("Ben", "Ann", "Ben"):
        screening_run(actor=world.alice, episode=episodes[name], plan=[UPPER_TRAPEZIUS])
    client.force_login(world.alice)
    listed = client.get(reverse("home")).context["screened_today"]
    assert [row["patient"].given_name for row in listed] == ["Ben", "Ann"]  # not by name


def test_lists_that_show_everything_say_nothing_more(client: Client, world: World):
    episode = world.episode(world.patient(mrn="A-0001"))
    consent(world.alice, episode)
    treatments.treatment_session_start(actor=world.alice, episode=episode)
    client.force_login(world.alice)
    html = client.get(reverse("home")).content.decode()
    assert _tile(html, "unsigned notes") == "1"
    assert "Showing the" not in html and "More patients were screened" not in html


def _tiles(html: str) -> dict[str, str]:
    tiles = {}
    for chunk in html.split('<span class="what">')[1:]:
        what = chunk.split("<", 1)[0]
        tiles[what] = _tile(html, what)
    return tiles


def _a_clinic_day(world: World) -> None:
    """Clinic A: two needled sessions 30 hours ago, unsigned and due a follow-up, and a screen
    that referred a third patient; clinic B has nothing."""
    for number in range(2):
        episode = world.episode(world.patient(mrn=f"A-{number:04d}"))
        consent(world.alice, episode)
        session = checked_session(world.alice, episode)
        needle(world.alice, session)
        started = timezone.now() - dt.timedelta(hours=30)
        move_start(session, started)
    patient = world.patient(mrn="A-0009")
    episode = world.episode(patient)
    answer_required_questions(world.alice, patient)
    patients.history_fact_record(
        actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True
    )
    screening_run(actor=world.alice, episode=episode, plan=[UPPER_TRAPEZIUS])


@pytest.mark.parametrize("who", ["alice", "nora", "ada"])
def test_every_clinical_role_sees_the_true_counts(client: Client, world: World, who: str):
    _a_clinic_day(world)
    client.force_login(getattr(world, who))
    tiles = _tiles(client.get(reverse("home")).content.decode())
    assert tiles == {
        "appointments today": "0",
        "sessions today": "0",
        "unsigned notes": "2",
        "follow-ups due": "2",
        "open safety alerts": "1",
        "patients": "3",
        "new consultation requests": "0",
    }


def test_the_front_desk_sees_no_clinical_counter_rather_than_a_false_zero(
    client: Client, world: World
):
    _a_clinic_day(world)
    client.force_login(world.frank)
    html = client.get(reverse("home")).content.decode()
    assert _tiles(html) == {
        "appointments today": "0",
        "patients": "3",
        "new consultation requests": "0",
    }
    for hidden in (
        "Open safety alerts",
        "Unsigned notes",
        "Follow-ups due",
        "All notes are signed",
    ):
        assert hidden not in html


def test_another_clinics_clinician_counts_nothing_of_this_clinic(client: Client, world: World):
    _a_clinic_day(world)
    client.force_login(world.bob)
    tiles = _tiles(client.get(reverse("home")).content.decode())
    assert set(tiles.values()) == {"0"}
