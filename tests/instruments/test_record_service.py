"""Recording a measure: scored by the core, stored with its unit, audited; nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.instruments.models import InstrumentResponse
from needlerx.instruments.services import instrument_response_record
from tests.instruments.helpers import NDI_HALF, days_ago, episode_weeks_ago, measure


@pytest.fixture
def episode(world):
    return episode_weeks_ago(world, world.patient())


def test_an_ndi_is_stored_as_percent_with_its_raw_score_and_version(world, episode):
    stored = measure(world.alice, episode, "ndi", NDI_HALF, days=3)
    stored.refresh_from_db()
    assert (stored.score, stored.unit) == (40.0, "%")
    assert stored.result["additional_scores"]["raw"]["score"] == 20.0
    assert stored.result["additional_scores"]["raw"]["unit"] == "points"
    version = "ndi-vernon-mior-1991.r1"
    assert stored.instrument_version == stored.result["instrument_version"] == version
    assert stored.responses == NDI_HALF
    assert stored.entered_by == world.alice
    assert stored.entered_via == "staff"
    assert stored.patient == episode.patient and stored.clinic == world.clinic_a
    event = AuditEvent.objects.filter(action="measure.record").get()
    assert event.object_public_id == str(stored.public_id)
    assert event.patient_public_id == str(episode.patient.public_id)
    assert event.detail["instrument"] == "ndi"


def test_a_ppt_site_is_the_series_key(world, episode):
    stored = measure(
        world.alice, episode, "ppt", {"muscle": "upper_trapezius", "side": "left", "kg_cm2": 2.5}
    )
    assert (stored.score, stored.unit, stored.series_key) == (2.5, "kg/cm2", "upper_trapezius/left")


def test_rom_has_no_primary_score_and_so_no_unit(world, episode):
    stored = measure(world.alice, episode, "rom", {"cervical_flexion": 40})
    assert (stored.score, stored.unit) == (None, "")
    assert stored.result["subscales"]["cervical_flexion"]["unit"] == "degrees"


@pytest.mark.parametrize(
    ("instrument", "responses", "field"),
    [
        ("nprs", {"1": 11}, "responses.1"),
        ("nprs", {"2": 3}, "responses.2"),
        ("nprs", {"1": "7"}, "responses.1"),
        ("ndi", {"1": 2, "2": 2}, "responses"),
        ("telepathy", {"1": 1}, "instrument"),
        ("ppt", {"muscle": "biceps_brachii", "side": "left", "kg_cm2": 2.0}, "responses.muscle"),
        ("ppt", {"muscle": "upper_trapezius", "side": "midline", "kg_cm2": 2.0}, "responses.side"),
        (
            "medication",
            {
                "analgesic_days_per_week": 2,
                "opioids": [{"drug": "fentanyl", "dose": 5, "unit": "mg", "doses_per_day": 1}],
            },
            "responses.opioids[0].drug",
        ),
    ],
)
def test_bad_answers_name_the_field_and_store_nothing(world, episode, instrument, responses, field):
    with pytest.raises(ApplicationError) as raised:
        measure(world.alice, episode, instrument, responses)
    assert raised.value.field == field
    assert not InstrumentResponse.objects.exists()
    assert not AuditEvent.objects.filter(action="measure.record").exists()


@pytest.mark.parametrize(
    "taken_at",
    [
        dt.datetime(2026, 1, 1, 9, 0),  # noqa: DTZ001 - naive on purpose
        "future",
        "before_the_episode",
    ],
)
def test_taken_at_must_be_aware_and_inside_the_episode(world, episode, taken_at):
    if taken_at == "future":
        taken_at = timezone.now() + dt.timedelta(days=1)
    elif taken_at == "before_the_episode":
        taken_at = days_ago(60)
    with pytest.raises(ApplicationError) as raised:
        instrument_response_record(
            actor=world.alice,
            episode=episode,
            instrument_id="nprs",
            responses={"1": 5},
            taken_at=taken_at,
        )
    assert raised.value.field == "taken_at"
    assert not InstrumentResponse.objects.exists()


@pytest.mark.parametrize("persona", ["frank", "ada", "bob"])
def test_only_a_clinician_of_the_clinic_records_measures(world, episode, persona):
    with pytest.raises(PermissionDenied):
        measure(getattr(world, persona), episode, "nprs", {"1": 5})
    assert not InstrumentResponse.objects.exists()


def test_the_database_refuses_a_score_without_its_unit(world, episode):
    stored = measure(world.alice, episode, "nprs", {"1": 5})
    with pytest.raises(IntegrityError), transaction.atomic():
        InstrumentResponse.objects.filter(pk=stored.pk).update(unit="")


def test_the_database_refuses_a_staff_entry_without_the_user(world, episode):
    stored = measure(world.alice, episode, "nprs", {"1": 5})
    with pytest.raises(IntegrityError), transaction.atomic():
        InstrumentResponse.objects.filter(pk=stored.pk).update(entered_by=None)
