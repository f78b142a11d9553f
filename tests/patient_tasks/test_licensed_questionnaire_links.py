"""Licensed disability indexes at home: only once the clinic has loaded its own licensed text
(``needlerx licensed_text load``); the patient reads that text and the core scores the answers.
The fixture is placeholder text: NeedleRx ships no licensed wording."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from needlerx.audit.models import AuditEvent
from needlerx.instruments.models import EnteredVia, InstrumentResponse, LicensedItemText
from tests.doors import run_cli
from tests.patient_tasks.helpers import send_link

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "licensed_ndi_placeholder.yaml"


def _load(monkeypatch, capsys, *extra: str) -> tuple[int, str, str]:
    return run_cli(monkeypatch, capsys, "licensed_text", "load", str(FIXTURE), *extra)


def test_without_loaded_text_the_ndi_cannot_be_sent_and_the_page_says_why(client, world):
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    url = reverse("patient_tasks:list", args=[patient.public_id])
    page = client.get(url).content.decode()
    assert "Not offered: NDI, ODI" in page and "licensed" in page
    assert '<option value="ndi"' not in page
    refused = client.post(
        url, {"kind": "questionnaire", "instrument": "ndi", "episode": str(episode.public_id)}
    )
    assert refused.status_code == 400


def test_a_clinic_admin_loads_the_text_and_the_ndi_is_answered_and_scored_at_home(
    client, world, monkeypatch, capsys
):
    status, out, err = _load(monkeypatch, capsys, "--user", "ada")
    assert status == 0, err
    assert "Loaded the ndi text for Clinic A (10 items" in out
    event = AuditEvent.objects.get(action="licensed_text.load")
    assert event.detail["instrument"] == "ndi" and event.detail["items"] == 10
    assert "Placeholder question" not in str(event.detail)  # the text is not copied into audit

    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    page = client.get(reverse("patient_tasks:list", args=[patient.public_id])).content.decode()
    assert '<option value="ndi">NDI</option>' in page and "Not offered: ODI" in page
    token = send_link(
        client, patient, kind="questionnaire", instrument="ndi", episode=str(episode.public_id)
    )
    home = Client()
    form = home.get(f"/my/{token}/").content.decode()
    assert "Placeholder question 1 (pain)" in form and "Placeholder statement 1-3" in form
    answers = {f"item_{n}": "2" for n in range(1, 11)}
    assert home.post(f"/my/{token}/", {**answers, "item_1": "9"}).status_code == 400
    assert home.post(f"/my/{token}/", answers).status_code == 200
    stored = InstrumentResponse.objects.get()
    # ten sections at 2 of 5: raw 20 of 50, 40 percent (scored by the clinical core)
    assert (stored.instrument, stored.score, stored.unit) == ("ndi", 40, "%")
    assert stored.entered_via == EnteredVia.PATIENT_LINK
    progress = client.get(reverse("clinic:progress", args=[patient.public_id, episode.public_id]))
    assert b"(40 %)" in progress.content or b"(40%)" in progress.content


def test_loading_is_for_clinic_admins_and_the_clinic_of_the_text_only(
    client, world, monkeypatch, capsys
):
    status, _, err = _load(monkeypatch, capsys, "--user", "alice")
    assert status == 2 and "clinic" in err
    assert _load(monkeypatch, capsys, "--user", "ada")[0] == 0
    # Clinic B has not loaded it: bob cannot send the NDI
    patient_b = world.patient(clinic=world.clinic_b, email="b@example.com")
    episode_b = world.episode(patient_b)
    client.force_login(world.bob)
    url = reverse("patient_tasks:list", args=[patient_b.public_id])
    form = {"kind": "questionnaire", "instrument": "ndi", "episode": str(episode_b.public_id)}
    assert client.post(url, form).status_code == 400


def test_a_bad_file_is_refused_naming_the_field_and_nothing_is_saved(
    world, monkeypatch, capsys, tmp_path
):
    broken = tmp_path / "odi.yaml"
    broken.write_text('instrument: odi\nsource: "x"\nitems: {"1": "only one"}\n', encoding="utf-8")
    status, _, err = run_cli(
        monkeypatch, capsys, "licensed_text", "load", str(broken), "--user", "ada"
    )
    assert status == 2 and "items" in err and "missing" in err
    shipped = tmp_path / "nprs.yaml"
    shipped.write_text('instrument: nprs\nsource: "x"\nitems: {"1": "a"}\n', encoding="utf-8")
    status, _, err = run_cli(
        monkeypatch, capsys, "licensed_text", "load", str(shipped), "--user", "ada"
    )
    assert status == 2 and "instrument" in err
    assert not LicensedItemText.objects.exists()


def test_a_link_sent_before_the_text_was_removed_says_it_is_not_available(
    client, world, monkeypatch, capsys
):
    assert _load(monkeypatch, capsys, "--user", "ada")[0] == 0
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    token = send_link(
        client, patient, kind="questionnaire", instrument="ndi", episode=str(episode.public_id)
    )
    status, out, _ = run_cli(monkeypatch, capsys, "licensed_text", "remove", "ndi", "--user", "ada")
    assert status == 0 and "Removed the ndi text" in out
    page = Client().get(f"/my/{token}/")
    assert page.status_code == 410 and b"not available now" in page.content
