"""The patient list and the chart cost a fixed number of queries at 10x the demo data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from needlerx.bodychart.services import trigger_point_record
from needlerx.core.management.commands.demo import DEMO_PATIENTS
from needlerx.demo import generator
from needlerx.patients.models import Patient
from needlerx.patients.services import history_fact_record
from needlerx.screening.services import screening_run

LIST_MAX_QUERIES = 10
CHART_MAX_QUERIES = 24


@pytest.fixture
def ten_times_demo(db):
    staff = generator.create_demo_network()
    generator.load_patients(staff, 10 * DEMO_PATIENTS, seed=7)
    return staff[0]


def test_the_patient_list_query_count_does_not_grow_with_patients(
    client, ten_times_demo, django_assert_max_num_queries
):
    client.force_login(ten_times_demo.clinician)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get(reverse("patients:list"), {"page": 3})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 25
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        client.get(reverse("patients:list"), {"q": "Ba"})


def test_the_chart_query_count_does_not_grow_with_the_record(
    client, ten_times_demo, django_assert_max_num_queries
):
    clinician = ten_times_demo.clinician
    patient = Patient.objects.filter(clinic=ten_times_demo.clinic).order_by("id")[0]
    episode = patient.episodes.get()
    for muscle in ("upper_trapezius", "levator_scapulae", "rhomboid_major", "infraspinatus"):
        for side in ("left", "right"):
            trigger_point_record(
                actor=clinician, episode=episode, muscle=muscle, side=side, status="active"
            )
            screening_run(
                actor=clinician,
                episode=episode,
                plan=[{"muscle": muscle, "side": side, "technique": "static"}],
            )
    for fact in ("diabetes", "epilepsy", "metal_allergy", "vasovagal_history"):
        history_fact_record(actor=clinician, patient=patient, fact=fact, value=True)
    client.force_login(clinician)
    with django_assert_max_num_queries(CHART_MAX_QUERIES):
        response = client.get(reverse("patients:detail", args=[patient.public_id]))
    assert response.status_code == 200
    assert len(response.context["timeline"]) >= 10
