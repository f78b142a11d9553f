from __future__ import annotations

import pytest
from django.urls import reverse

from needlerx.bodychart.figure import VIEWS, muscles_without_region, regions
from needlerx.bodychart.models import TriggerPoint
from needlerx.bodychart.services import trigger_point_record
from needlerx.clinical.reference import muscle_catalogue
from needlerx.core.errors import ApplicationError, PermissionDenied


def test_every_catalogue_muscle_has_a_region_on_a_figure_left_and_right():
    assert muscles_without_region() == []
    drawn = {(r.muscle, r.side) for view in VIEWS for r in regions(view)}
    for muscle in muscle_catalogue():
        assert {(muscle, "left"), (muscle, "right")} <= drawn


def test_the_right_side_is_the_mirror_of_the_left():
    left, right = [r for r in regions("posterior") if r.muscle == "upper_trapezius"]
    assert left.side == "left" and right.side == "right"
    first_left_x = float(left.geometry.split()[0].split(",")[0])
    first_right_x = float(right.geometry.split()[0].split(",")[0])
    assert first_left_x + first_right_x == 200


def test_recording_a_trigger_point_validates_muscle_and_side(world):
    episode = world.episode(world.patient())
    with pytest.raises(ApplicationError) as error:
        trigger_point_record(
            actor=world.alice, episode=episode, muscle="biceps", side="left", status="active"
        )
    assert error.value.field == "muscle"
    with pytest.raises(ApplicationError) as error:
        trigger_point_record(
            actor=world.alice,
            episode=episode,
            muscle="upper_trapezius",
            side="midline",
            status="active",
        )
    assert error.value.field == "side" and "left, right" in error.value.message
    with pytest.raises(PermissionDenied):
        trigger_point_record(
            actor=world.frank,
            episode=episode,
            muscle="upper_trapezius",
            side="left",
            status="active",
        )
    assert not TriggerPoint.objects.exists()


def test_a_clinician_records_a_trigger_point_from_the_chart(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    url = reverse("bodychart:examine", args=[patient.public_id, episode.public_id])
    client.force_login(world.alice)
    page = client.get(url, {"muscle": "levator_scapulae", "side": "right"})
    assert page.context["form"]["muscle"].value() == "levator_scapulae"
    response = client.post(
        url,
        {
            "muscle": "levator_scapulae",
            "side": "right",
            "status": "active",
            "taut_band": "on",
            "local_twitch_response": "on",
            "referred_pain": "on",
            "referred_pain_pattern": "angle of the neck",
        },
    )
    assert response.status_code == 302
    point = TriggerPoint.objects.get()
    assert (point.muscle, point.side, point.status, point.taut_band) == (
        "levator_scapulae",
        "right",
        "active",
        True,
    )
    html = client.get(url).content.decode()
    assert 'class="region has-tp tp-active"' in html


def test_a_referred_pain_pattern_without_referred_pain_is_refused_on_the_field(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    url = reverse("bodychart:examine", args=[patient.public_id, episode.public_id])
    client.force_login(world.alice)
    response = client.post(
        url,
        {
            "muscle": "levator_scapulae",
            "side": "right",
            "status": "latent",
            "referred_pain_pattern": "temple",
        },
    )
    assert response.status_code == 400
    assert response.context["form"]["referred_pain_pattern"].errors
    assert not TriggerPoint.objects.exists()


def test_another_clinic_cannot_open_the_body_chart(client, world):
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.bob)
    url = reverse("bodychart:examine", args=[patient.public_id, episode.public_id])
    assert client.get(url).status_code == 404
