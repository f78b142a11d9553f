"""The patient header shows clinicians the safety alerts at a glance on every patient page, and
shows the front desk none of them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.patients import services as patients
from needlerx.patients.models import Patient
from needlerx.screening.services import screening_run
from needlerx.treatments import services as treatments
from tests.personas import World
from tests.treatments.helpers import (
    UPPER_TRAPEZIUS,
    answer_required_questions,
    checked_session,
    consent,
    fresh,
    needle,
)


def _alerts(html: str) -> str:
    if 'class="patient-alerts"' not in html:
        return ""
    return html.split('class="patient-alerts"', 1)[1].split("</ul>", 1)[0]


def _pages(patient: Patient, episode_id: object) -> list[str]:
    return [
        reverse("patients:detail", args=[patient.public_id]),
        reverse("patients:evaluation", args=[patient.public_id]),
        reverse("patients:edit", args=[patient.public_id]),
        reverse("clinic:screen", args=[patient.public_id, episode_id]),
        reverse("clinic:plan", args=[patient.public_id, episode_id]),
        reverse("clinic:measures", args=[patient.public_id, episode_id]),
        reverse("clinic:progress", args=[patient.public_id, episode_id]),
        reverse("bodychart:examine", args=[patient.public_id, episode_id]),
    ]


def _anticoagulated_pregnant_patient(world: World) -> Patient:
    patient = world.patient()
    world.evaluate(patient, pregnant=True, pregnancy_trimester=2)
    patients.medication_add(
        actor=world.alice,
        patient=patient,
        name="Apixaban",
        drug_class="anticoagulant",
        started_on=timezone.localdate() - dt.timedelta(days=30),
    )
    return patient


def test_every_patient_page_shows_the_clinician_the_safety_alerts(client: Client, world: World):
    patient = _anticoagulated_pregnant_patient(world)
    episode = world.episode(patient)
    consent(world.alice, episode)
    session = treatments.treatment_session_start(actor=world.alice, episode=episode)
    session_page = reverse("clinic:session", args=[patient.public_id, session.public_id])
    client.force_login(world.alice)
    for url in [*_pages(patient, episode.public_id), session_page]:
        response = client.get(url)
        assert response.status_code == 200, url
        alerts = _alerts(response.content.decode())
        assert "Anticoagulant" in alerts, url
        assert "Pregnant" in alerts, url
        assert "Implanted device" not in alerts, url


def test_the_medication_list_alone_raises_the_anticoagulant_alert(client: Client, world: World):
    """The history says No, apixaban is on the list: the header believes the riskier record."""
    patient = world.patient()
    world.evaluate(patient, anticoagulant_therapy=False)
    client.force_login(world.alice)
    url = reverse("patients:detail", args=[patient.public_id])
    assert _alerts(client.get(url).content.decode()) == ""
    patients.medication_add(
        actor=world.alice, patient=patient, name="Apixaban", drug_class="anticoagulant"
    )
    assert "Anticoagulant" in _alerts(client.get(url).content.decode())


def test_an_implanted_device_site_raises_the_device_alert(client: Client, world: World):
    patient = world.patient()
    world.evaluate(
        patient,
        implanted_electrical_device=True,
        implanted_device_sites=[{"area": "chest_wall", "side": "left"}],
    )
    client.force_login(world.alice)
    html = client.get(reverse("patients:detail", args=[patient.public_id])).content.decode()
    assert "Implanted device" in _alerts(html)


def test_a_red_flag_and_the_screen_that_referred_show_in_the_header(client: Client, world: World):
    patient = world.patient()
    episode = world.episode(patient)
    answer_required_questions(world.alice, patient)
    patients.history_fact_record(
        actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True
    )
    run = screening_run(actor=world.alice, episode=episode, plan=[UPPER_TRAPEZIUS])
    client.force_login(world.alice)
    url = reverse("clinic:screen_result", args=[patient.public_id, run.public_id])
    alerts = _alerts(client.get(url).content.decode())
    assert "Red flag" in alerts
    assert "Screen: Refer for medical assessment" in alerts


def test_the_header_dates_a_late_evening_screen_on_the_clinic_s_day(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
):
    """A screen at 9:30 PM in Denver is 03:30 or 04:30 the next day in UTC; the header shows
    the clinic's date, in the clinic's style."""
    world.clinic_a.time_zone, world.clinic_a.date_style = "America/Denver", "month_first"
    world.clinic_a.save()
    patient = world.patient()
    episode = world.episode(patient)
    answer_required_questions(world.alice, patient)
    patients.history_fact_record(
        actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True
    )
    denver = ZoneInfo("America/Denver")
    evening = dt.datetime.combine(
        timezone.now().astimezone(denver).date() - dt.timedelta(days=3), dt.time(21, 30), denver
    )
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: evening.astimezone(dt.UTC))
        screening_run(actor=world.alice, episode=episode, plan=[UPPER_TRAPEZIUS])
    client.force_login(world.alice)
    page = client.get(reverse("patients:detail", args=[patient.public_id])).content.decode()
    alerts = _alerts(page)
    shown = f"{evening:%b} {evening.day}, {evening.year}"
    assert f"Screen: Refer for medical assessment ({shown})" in alerts
    next_day = evening + dt.timedelta(days=1)
    assert f"{next_day:%b} {next_day.day}, {next_day.year}" not in alerts


def test_the_header_lists_the_newest_alerting_screen_then_open_needle_counts(
    client: Client, world: World
):
    patient = world.patient()
    episode = world.episode(patient)
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session, needles=2)
    treatments.treatment_session_needle_count(
        actor=world.alice, session=fresh(session), needles_used=2, needles_removed=1
    )
    patients.history_fact_record(
        actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True
    )
    for _ in range(2):  # two referring screens: the header names the newest once
        screening_run(actor=world.alice, episode=episode, plan=[UPPER_TRAPEZIUS])
    client.force_login(world.alice)
    alerts = _alerts(
        client.get(reverse("patients:detail", args=[patient.public_id])).content.decode()
    )
    assert alerts.count("Screen: Refer for medical assessment") == 1
    assert "Needle count mismatch" in alerts
    assert alerts.index("Screen: Refer") < alerts.index("Needle count mismatch")


def test_a_cleared_red_flag_leaves_the_header(client: Client, world: World):
    patient = world.patient()
    patients.history_fact_record(
        actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True
    )
    patients.history_fact_record(
        actor=world.alice, patient=patient, fact="cauda_equina_signs", value=False
    )
    client.force_login(world.alice)
    html = client.get(reverse("patients:detail", args=[patient.public_id])).content.decode()
    assert "Red flag" not in _alerts(html)


def test_the_front_desk_header_shows_no_clinical_alert(client: Client, world: World):
    patient = _anticoagulated_pregnant_patient(world)
    client.force_login(world.frank)
    for url in (
        reverse("patients:detail", args=[patient.public_id]),
        reverse("patients:edit", args=[patient.public_id]),
    ):
        html = client.get(url).content.decode()
        assert 'class="patient-alerts"' not in html, url
        assert "Anticoagulant" not in html and "Pregnant" not in html, url
