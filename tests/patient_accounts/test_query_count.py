"""The patient's page costs the same number of queries with N and with 2N of their things
(exercises, pain ratings, appointments, open check-ins) for one open episode."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.patient_tasks.services import patient_task_create
from needlerx.patients.models import Patient
from needlerx.scheduling.services import appointment_book
from tests.patient_accounts.helpers import patient_user
from tests.patient_tasks.helpers import home_care, needled_session
from tests.personas import World

EXERCISES = ("chin_tuck_supine", "upper_trapezius_stretch", "levator_scapulae_stretch")
# Measured: the session and user, the account and patient, the open tasks, the episodes, the
# plan and its exercises, the outcome summary's measures and treatment counts, the appointments,
# the authenticator and the view event (PostgreSQL takes the audit chain's lock: 1 more). The
# session is written only to renew the idle timeout, at most once a minute.
QUERIES = 18


def _things(world: World, patient: Patient, n: int) -> None:
    episode = patient.episodes.get()
    home_care(
        world,
        episode,
        exercises=EXERCISES[: n // 2 + 1],
        pains=tuple(8 - pain for pain in range(n)),
    )
    start = timezone.now().replace(hour=9 + n, minute=0, second=0, microsecond=0)
    for day in range(n):
        appointment_book(
            actor=world.frank,
            clinic=world.clinic_a,
            patient=patient,
            clinician=world.alice,
            appointment_type="follow_up",
            starts_at=start + dt.timedelta(days=day + 1),
        )
    for _ in range(n // 3):
        session = needled_session(world, patient)
        patient_task_create(
            actor=world.alice, patient=patient, kind="after_needling_check_in", session=session
        )


def _count(client: Client, django_assert_num_queries: Any, user: Any) -> None:
    client.force_login(user)
    url = reverse("patient_account:home")
    assert client.get(url).status_code == 200
    lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(QUERIES + lock):
        assert client.get(url).status_code == 200


def test_my_page_costs_the_same_queries_with_n_and_2n(
    client: Client, world: World, django_assert_num_queries: Any
) -> None:
    for n, email in ((3, "small@example.com"), (6, "large@example.com")):
        patient = world.patient(mrn=f"Q-{n}", email=email)
        world.episode(patient)
        _things(world, patient, n)
        _count(client, django_assert_num_queries, patient_user(client, world, patient))
