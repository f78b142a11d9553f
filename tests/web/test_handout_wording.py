"""The printed home-exercise handout is for the patient: no citations or research remarks."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.treatments.models import CarePlan
from tests.personas import World

RESEARCH_REMARKS = ("unconfirmed", "source read", "sign-off", "NeedleRx clinic content", "citation")


def test_the_handout_carries_no_research_remark(client: Client, world: World) -> None:
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    review = (timezone.localdate() + dt.timedelta(weeks=4)).isoformat()
    client.post(
        reverse("clinic:plan", args=[patient.public_id, episode.public_id]),
        {
            "frequency_per_week": "2",
            "duration_weeks": "6",
            "re_evaluation_on": review,
            "interventions": ["dry_needling", "therapeutic_exercise"],
        },
    )
    plan = CarePlan.objects.get()
    client.post(
        reverse("clinic:plan_action", args=[patient.public_id, plan.public_id, "exercise"]),
        {"exercise": "chin_tuck_supine"},
    )
    response = client.get(reverse("clinic:handout", args=[patient.public_id, plan.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chin tuck lying down" in html
    assert [remark for remark in RESEARCH_REMARKS if remark.lower() in html.lower()] == []
