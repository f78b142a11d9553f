"""Every list endpoint of the API costs an exact number of queries, the same with N and with 2N.

The endpoints are read from the OpenAPI document (every GET answering a list or a page, as
``make bench`` finds them), so a list added later fails here until it is measured. The clinics
of tests/web/clinics_at_two_sizes.py are grown so that each list holds N or 2N records: the
first episode gets N more consents, draft sessions and adverse events, the clinic N more
clinicians (read by its admin), N consultation requests and 2N appointments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from bench.pages import answers_a_list
from django.db import transaction
from django.test import Client
from django.utils import timezone

from needlerx.accounts import services as accounts
from needlerx.accounts.models import User
from needlerx.treatments import services as treatments
from tests.consultations.helpers import request_form
from tests.personas import PASSWORD
from tests.treatments.helpers import consent
from tests.web.clinics_at_two_sizes import N, SizedClinic, build_clinic
from tests.web.test_appointment_book_query_counts import ADDRESSES as BOOK_ADDRESSES
from tests.web.test_appointment_book_query_counts import book_every_patient
from tests.web.test_query_counts import UPDATE, chain_lock_queries, listed_count

OPENAPI = "/api/v1/openapi.json"
# Reference data (the same in every clinic): their queries are counted, their length is not.
REFERENCE_LISTS = frozenset({"/api/v1/muscles", "/api/v1/consent-templates", "/api/v1/instruments"})


@dataclass(frozen=True)
class GrownClinic:
    sized: SizedClinic
    admin: User


def _points(body: Any) -> int:
    """Progress is a series per measure: what grows is the points in them."""
    return sum(len(series["points"]) for series in body)


@dataclass(frozen=True)
class Measured:
    queries: int
    address: Callable[[GrownClinic], str]
    reader: str = "clinician"  # or "admin": the staff lists are a clinic admin's
    listed: Callable[[Any], int] = listed_count
    # The list names patients (or people asking to become one), so it appends an audit event,
    # which takes the chain's lock on PostgreSQL; reference data and staff lists do not.
    audited: bool = True

    @property
    def expected(self) -> int:
        return self.queries + (chain_lock_queries() if self.audited else 0)


# Every signed-in API request reads its session, user and second factor, and the user's
# memberships (4); a list naming patients then records them as one listing (2 on SQLite).
LISTS: dict[str, Measured] = {
    "/api/v1/patients/": Measured(8, lambda c: "/api/v1/patients/"),
    "/api/v1/patients/{patient_id}/screenings": Measured(
        9, lambda c: f"/api/v1/patients/{c.sized.patient.public_id}/screenings"
    ),
    "/api/v1/muscles": Measured(4, lambda c: "/api/v1/muscles", audited=False),
    "/api/v1/consent-templates": Measured(4, lambda c: "/api/v1/consent-templates", audited=False),
    "/api/v1/episodes/{episode_id}/consents": Measured(
        8, lambda c: f"/api/v1/episodes/{c.sized.episode.public_id}/consents"
    ),
    "/api/v1/episodes/{episode_id}/sessions": Measured(
        9, lambda c: f"/api/v1/episodes/{c.sized.episode.public_id}/sessions"
    ),
    "/api/v1/episodes/{episode_id}/adverse-events": Measured(
        8, lambda c: f"/api/v1/episodes/{c.sized.episode.public_id}/adverse-events"
    ),
    "/api/v1/follow-ups/due": Measured(8, lambda c: "/api/v1/follow-ups/due"),
    "/api/v1/instruments": Measured(4, lambda c: "/api/v1/instruments", audited=False),
    "/api/v1/episodes/{episode_id}/measurements": Measured(
        8, lambda c: f"/api/v1/episodes/{c.sized.episode.public_id}/measurements"
    ),
    "/api/v1/episodes/{episode_id}/progress": Measured(
        8, lambda c: f"/api/v1/episodes/{c.sized.episode.public_id}/progress", listed=_points
    ),
    "/api/v1/clinicians": Measured(
        8, lambda c: "/api/v1/clinicians", reader="admin", audited=False
    ),
    "/api/v1/clinics/{clinic_id}/staff": Measured(
        8,
        lambda c: f"/api/v1/clinics/{c.sized.patient.clinic.public_id}/staff",
        reader="admin",
        audited=False,
    ),
    "/api/v1/appointments": Measured(9, lambda c: BOOK_ADDRESSES["API list"](c.sized)),
    "/api/v1/consultation-requests": Measured(
        9, lambda c: "/api/v1/consultation-requests", reader="admin"
    ),
}


def _grow(sized: SizedClinic, size: int) -> GrownClinic:
    clinic, clinician, episode = sized.patient.clinic, sized.clinician, sized.episode
    admin = accounts.user_create(
        username=f"admin{size}", password=PASSWORD, clinic=clinic, role="clinic_admin"
    )
    now = timezone.now()
    for number in range(size):
        accounts.user_create(
            username=f"colleague{size}-{number}",
            password=PASSWORD,
            clinic=clinic,
            role="clinician",
            first_name=f"Colleague {number}",
        )
        consent(clinician, episode)
        treatments.treatment_session_start(actor=clinician, episode=episode)
        treatments.adverse_event_record(
            actor=clinician,
            session=sized.session,
            event_type="pain_after",
            severity="mild",
            onset_at=now,
            action_taken="Advice given",
        )
        form = request_form(clinic, email=f"r{number}@example.com", family_name=f"Asker{number}")
        answer = Client(REMOTE_ADDR=f"10.0.{size}.{number}").post("/request-a-consultation/", form)
        assert answer.status_code == 302
    book_every_patient(sized)
    return GrownClinic(sized, admin)


@pytest.fixture(scope="module")
def clinics(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[GrownClinic]]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield [_grow(build_clinic(size), size) for size in (N, 2 * N)]
        transaction.set_rollback(True)


def test_every_list_of_the_api_is_measured(db: None, client: Client) -> None:
    document = client.get(OPENAPI).json()
    lists = {
        path
        for path, operations in document["paths"].items()
        if "get" in operations and answers_a_list(operations["get"], document)
    }
    assert lists == set(LISTS)


@pytest.mark.parametrize("path", list(LISTS))
def test_a_list_costs_the_same_exact_number_of_queries_with_n_and_2n(
    db: None, client: Client, clinics: list[GrownClinic], django_assert_num_queries: Any, path: str
) -> None:
    measured = LISTS[path]
    listed = []
    for clinic in clinics:
        reader = clinic.admin if measured.reader == "admin" else clinic.sized.clinician
        client.force_login(reader)
        url = measured.address(clinic)
        assert client.get(url).status_code == 200
        info = f"{path} with {clinic.sized.size} of everything: {UPDATE}"
        with django_assert_num_queries(measured.expected, info=info):
            response = client.get(url)
        assert response.status_code == 200
        listed.append(measured.listed(response.json()))
    if path not in REFERENCE_LISTS:
        assert listed[0] < listed[1], listed  # the records grew; the queries did not
