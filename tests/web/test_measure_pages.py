"""Entering baseline and follow-up measures on the web: forms from the library, scored by the
core through the instruments service, errors next to the field, the score with its unit shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from needlerx.audit.models import AuditEvent
from needlerx.clinical.scoring import INSTRUMENT_IDS
from needlerx.instruments.models import InstrumentResponse
from needlerx.patients.models import Episode, Patient


def _url(patient: Patient, episode: Episode, instrument: str | None = None) -> str:
    if instrument is None:
        return reverse("clinic:measures", args=[patient.public_id, episode.public_id])
    return reverse("clinic:measure_entry", args=[patient.public_id, episode.public_id, instrument])


@pytest.fixture
def chart(world, client):
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    return patient, episode


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
def test_every_instrument_of_the_library_has_an_entry_form(client, chart, instrument):
    patient, episode = chart
    response = client.get(_url(patient, episode, instrument))
    assert response.status_code == 200
    assert response.context["form"].fields


def test_ndi_sections_are_scored_and_the_percent_is_shown_with_its_unit(client, chart):
    patient, episode = chart
    data = {f"item_{i}": "2" for i in range(1, 11)}
    response = client.post(_url(patient, episode, "ndi"), data, follow=True)
    stored = InstrumentResponse.objects.get()
    assert (stored.score, stored.unit, stored.category) == (40.0, "%", "moderate")
    assert stored.responses == {str(i): 2 for i in range(1, 11)}
    html = response.content.decode()
    assert "NDI saved: 40 % (Moderate)" in html
    assert "Neck disability (raw) 20 points" in html
    assert AuditEvent.objects.filter(action="measure.record").count() == 1


def test_an_out_of_range_value_is_named_next_to_its_field_and_nothing_is_stored(client, chart):
    patient, episode = chart
    response = client.post(_url(patient, episode, "groc"), {"item_1": "9"})
    assert response.status_code == 400
    assert response.context["form"].errors["item_1"] == [
        "must be a whole number from -7 to 7 (got 9)"
    ]
    assert 'id="id_item_1_error"' in response.content.decode()
    assert not InstrumentResponse.objects.exists()


def test_too_few_sections_is_the_core_s_message_at_the_top_of_the_form(client, chart):
    patient, episode = chart
    response = client.post(_url(patient, episode, "ndi"), {"item_1": "3"})
    assert response.status_code == 400
    assert "needs at least 9 of 10" in response.content.decode()
    assert not InstrumentResponse.objects.exists()


def test_ppt_medication_and_rom_forms_build_the_response_convention(client, chart):
    patient, episode = chart
    client.post(
        _url(patient, episode, "ppt"),
        {"muscle": "upper_trapezius", "side": "left", "trial_1": "3.1", "trial_2": "3.3"},
    )
    client.post(
        _url(patient, episode, "medication"),
        {
            "analgesic_days_per_week": "5",
            "opioid_2_drug": "oxycodone",
            "opioid_2_dose": "10",
            "opioid_2_doses_per_day": "3",
        },
    )
    client.post(_url(patient, episode, "rom"), {"cervical_flexion": "45"})
    by_instrument = {r.instrument: r for r in InstrumentResponse.objects.all()}
    assert by_instrument["ppt"].series_key == "upper_trapezius/left"
    assert by_instrument["ppt"].score == pytest.approx(3.2)
    medication = by_instrument["medication"]
    assert medication.responses["opioids"] == [
        {"drug": "oxycodone", "dose": 10, "unit": "mg", "doses_per_day": 3}
    ]
    assert medication.result["subscales"]["mme_per_day"]["score"] == 45
    assert by_instrument["rom"].result["subscales"]["cervical_flexion"]["score"] == 45


def test_a_drug_without_a_cdc_factor_is_refused_next_to_its_row(client, chart):
    patient, episode = chart
    response = client.post(
        _url(patient, episode, "medication"),
        {
            "analgesic_days_per_week": "2",
            "opioid_3_drug": "fentanyl",
            "opioid_3_dose": "5",
            "opioid_3_doses_per_day": "1",
        },
    )
    assert response.status_code == 400
    assert "transdermal" in response.context["form"].errors["opioid_3_drug"][0]
    assert not InstrumentResponse.objects.exists()


def test_a_buprenorphine_patch_and_other_classes_are_recorded_with_the_flag(client, chart):
    patient, episode = chart
    response = client.post(
        _url(patient, episode, "medication"),
        {
            "analgesic_days_per_week": "4",
            "opioid_1_drug": "methadone",
            "opioid_1_dose": "10",
            "opioid_1_doses_per_day": "3",
            "opioid_2_drug": "buprenorphine",
            "opioid_2_dose": "10",
            "other_muscle_relaxant": "5",
            "other_gabapentinoid": "7",
        },
        follow=True,
    )
    stored = InstrumentResponse.objects.get()
    assert stored.responses["opioids"][1] == {"drug": "buprenorphine", "dose": 10, "unit": "mcg/h"}
    assert stored.responses["other_medications"] == {"muscle_relaxant": 5, "gabapentinoid": 7}
    assert stored.result["subscales"]["mme_per_day"]["score"] == 141
    assert stored.result["flags"] == [
        "opioids at or above 90 MME/day",
        "buprenorphine: not converted",
    ]
    html = response.content.decode()
    assert "buprenorphine: not converted" in html
    assert "Opioids at 90 MME/day or more" in html
    assert "Muscle relaxant days per week 5 days/week" in html


def test_a_bad_medication_class_is_named_next_to_its_field(client, chart):
    patient, episode = chart
    response = client.post(
        _url(patient, episode, "medication"),
        {"analgesic_days_per_week": "2", "other_nsaid": "9"},
    )
    assert response.status_code == 400
    assert "other_nsaid" in response.context["form"].errors


def test_rmdq_statements_are_ticked_and_unticked_counts_as_zero(client, chart):
    patient, episode = chart
    client.post(_url(patient, episode, "rmdq"), {"item_1": "on", "item_5": "on"})
    assert InstrumentResponse.objects.get().score == 2


def test_front_desk_cannot_record_and_another_clinic_gets_not_found(client, world, chart):
    patient, episode = chart
    client.force_login(world.frank)
    assert client.post(_url(patient, episode, "nprs"), {"item_1": "5"}).status_code == 403
    client.force_login(world.bob)
    assert client.get(_url(patient, episode)).status_code == 404
    assert client.post(_url(patient, episode, "nprs"), {"item_1": "5"}).status_code == 404
    assert not InstrumentResponse.objects.exists()


def test_the_measures_list_shows_what_was_recorded_newest_first(client, world, chart):
    from tests.web.measures import record_course

    patient, episode = chart
    record_course(world.alice, episode)
    response = client.get(_url(patient, episode))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 20
    assert rows[0]["record"].taken_at >= rows[-1]["record"].taken_at
    assert "kg/cm2" in response.content.decode()


def test_a_time_before_the_episode_opened_is_named_on_the_time_field(client, chart):
    patient, episode = chart
    response = client.post(
        _url(patient, episode, "nprs"), {"item_1": "5", "taken_at": "2001-01-01T09:00"}
    )
    assert response.status_code == 400
    assert "before the episode opened" in response.context["form"].errors["taken_at"][0]


def test_from_a_session_note_saving_leads_back_to_it(client, world, chart):
    from needlerx.treatments.services import treatment_session_start

    patient, episode = chart
    session = treatment_session_start(actor=world.alice, episode=episode)
    url = _url(patient, episode, "nprs") + f"?session={session.public_id}"
    response = client.post(url, {"item_1": "4"}, follow=True)
    note = reverse("clinic:session", args=[patient.public_id, session.public_id])
    assert f'href="{note}"' in response.content.decode()
    other = world.episode(patient, regions=["lumbar"])
    assert client.get(_url(patient, other) + f"?session={session.public_id}").status_code == 404


def test_psfs_baseline_asks_for_each_activity_name_and_its_rating(client, chart):
    patient, episode = chart
    data = {"activity_1": "Walking 30 minutes", "item_1": "3", "item_2": "5"}
    response = client.post(_url(patient, episode, "psfs"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["activity_2"] == [
        "Name the activity this rating is for."
    ]
    data["activity_2"] = "Lifting my child"
    client.post(_url(patient, episode, "psfs"), data)
    stored = InstrumentResponse.objects.get()
    assert stored.responses == {
        "1": 3,
        "2": 5,
        "activities": {"1": "Walking 30 minutes", "2": "Lifting my child"},
    }
    listed = client.get(_url(patient, episode)).content.decode()
    assert "Walking 30 minutes: 3" in listed


def test_psfs_follow_up_shows_the_baseline_activities_in_order_to_rate(client, chart):
    patient, episode = chart
    baseline = {"activity_1": "Walking", "item_1": "3", "activity_2": "Driving", "item_2": "5"}
    client.post(_url(patient, episode, "psfs"), baseline)
    form = client.get(_url(patient, episode, "psfs")).context["form"]
    assert list(form.fields) == ["item_1", "item_2", "taken_at"]  # no name can be typed
    assert [form.fields[n].label for n in ("item_1", "item_2")] == ["1. Walking", "2. Driving"]
    missing = client.post(_url(patient, episode, "psfs"), {"item_1": "6"})
    assert missing.status_code == 400
    assert "item_2" in missing.context["form"].errors
    client.post(_url(patient, episode, "psfs"), {"item_1": "6", "item_2": "7"})
    follow_up = InstrumentResponse.objects.order_by("taken_at", "id").last()
    assert follow_up is not None
    assert follow_up.responses["activities"] == {"1": "Walking", "2": "Driving"}
    assert follow_up.score == 6.5


def test_an_old_psfs_row_without_names_reads_activity_1(client, chart, world):
    patient, episode = chart
    client.post(_url(patient, episode, "psfs"), {"activity_1": "Walking", "item_1": "3"})
    InstrumentResponse.objects.update(responses={"1": 3})  # stored before names were recorded
    assert "Activity 1: 3" in client.get(_url(patient, episode)).content.decode()


def test_an_odi_stored_under_the_old_band_id_reads_neutrally(client, chart):
    patient, episode = chart
    client.post(_url(patient, episode, "odi"), {f"item_{i}": "4" for i in range(1, 11)})
    stored = InstrumentResponse.objects.get()
    assert stored.category == "very_severe"
    old_result = {**stored.result, "category": "crippled", "category_label": "Crippled"}
    InstrumentResponse.objects.update(category="crippled", result=old_result)
    html = client.get(_url(patient, episode)).content.decode()
    assert "80 % (Very severe disability)" in html
    assert "Crippled" not in html
    api = client.get(f"/api/v1/episodes/{episode.public_id}/measurements").json()
    assert (api[0]["category"], api[0]["result"]["category_label"]) == (
        "very_severe",
        "Very severe disability",
    )


def test_stiffness_is_entered_like_the_nprs(client, chart):
    patient, episode = chart
    assert "Stiffness" in client.get(_url(patient, episode)).content.decode()
    response = client.post(_url(patient, episode, "stiffness"), {"item_1": "7"}, follow=True)
    stored = InstrumentResponse.objects.get()
    assert (stored.instrument, stored.score, stored.unit) == ("stiffness", 7.0, "points")
    assert "Stiffness saved: 7 points" in response.content.decode()
