"""The appointment book costs an exact number of queries, the same with N and 2N appointments.

The clinics of tests/web/clinics_at_two_sizes.py get one appointment per patient tomorrow and one
the day after (so the week holds 2N), booked through the service by the clinic's clinician.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from needlerx.accounts.local import clinic_today
from needlerx.patients.models import Patient
from needlerx.scheduling import services
from needlerx.scheduling.times import clinic_zone
from tests.web.clinics_at_two_sizes import N, SizedClinic, build_clinic
from tests.web.test_query_counts import UPDATE, chain_lock_queries

# Every signed-in request reads its session, user and second factor (3; the session is written
# again only to renew the idle timeout, at most once a minute);
# each page writes one audit event naming the patients it lists (2).
QUERIES = {
    # + the memberships with their clinics' time zones (web.middleware.ClinicLocalTime), the
    # user's clinic and role, its clinicians, the appointments
    "day": 9,
    "week": 9,
    # as the week: the clinic's today and its week's Monday come from the same membership
    "week of today": 9,
    # + the clinic and role, the clinics the user may see, the count, the page
    "API list": 9,
}


def _first_day(clinic: SizedClinic) -> dt.date:
    return clinic_today(clinic.patient.clinic) + dt.timedelta(days=1)


ADDRESSES: dict[str, Callable[[SizedClinic], str]] = {
    "day": lambda c: reverse("appointments:day") + f"?date={_first_day(c)}",
    "week": lambda c: reverse("appointments:week") + f"?date={_first_day(c)}",
    "week of today": lambda c: reverse("appointments:week"),
    "API list": lambda c: f"/api/v1/appointments?start_date={_first_day(c)}&days=2&page_size=500",
}
SHOWN: dict[str, Callable[[Any, int], bool]] = {
    "day": lambda response, size: len(response.context["rows"]) == size,
    "week": lambda response, size: sum(len(d["rows"]) for d in response.context["days"]) >= size,
    "week of today": lambda response, size: True,
    "API list": lambda response, size: response.json()["count"] == 2 * size,
}


def book_every_patient(clinic: SizedClinic) -> None:
    zone, first = clinic_zone(clinic.patient.clinic), _first_day(clinic)
    patients = Patient.objects.filter(clinic=clinic.patient.clinic).order_by("id")
    for number, patient in enumerate(patients):
        for day in (first, first + dt.timedelta(days=1)):
            services.appointment_book(
                actor=clinic.clinician,
                clinic=patient.clinic,
                patient=patient,
                clinician=clinic.clinician,
                appointment_type="follow_up",
                starts_at=dt.datetime.combine(day, dt.time(8 + number), tzinfo=zone),
            )


@pytest.fixture(scope="module")
def booked(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[SizedClinic]]:
    with django_db_blocker.unblock(), transaction.atomic():
        clinics = [build_clinic(N), build_clinic(2 * N)]
        for clinic in clinics:
            book_every_patient(clinic)
        yield clinics
        transaction.set_rollback(True)


@pytest.mark.parametrize("page", list(QUERIES), ids=lambda page: page.replace(" ", "_"))
def test_the_book_costs_the_same_exact_number_of_queries_with_n_and_2n(
    db, client, booked, django_assert_num_queries, page
):
    for clinic in booked:
        client.force_login(clinic.clinician)
        url = ADDRESSES[page](clinic)
        assert client.get(url).status_code == 200
        info = f"{page} with {clinic.size} appointments a day: {UPDATE}"
        with django_assert_num_queries(QUERIES[page] + chain_lock_queries(), info=info):
            response = client.get(url)
        assert response.status_code == 200
        assert SHOWN[page](response, clinic.size)


def test_the_home_with_appointments_costs_what_it_does_without(
    db, client, booked, django_assert_num_queries
):
    from tests.web.test_query_counts import QUERIES as PAGE_QUERIES

    for clinic in booked:
        client.force_login(clinic.clinician)
        assert client.get(reverse("home")).status_code == 200
        with django_assert_num_queries(PAGE_QUERIES["home"] + chain_lock_queries()):
            client.get(reverse("home"))
