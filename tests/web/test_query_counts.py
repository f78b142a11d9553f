"""The hot pages cost an exact number of queries, the same with N and with 2N of everything.

The two clinics (tests/web/clinics_at_two_sizes.py) are built once for this module, inside a
transaction rolled back at its end; each test runs in a savepoint inside it. Each page is read
once to warm the process-wide caches (content types, reference data), then counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from tests.web.clinics_at_two_sizes import N, SizedClinic, build_clinic

UPDATE = "if a query was removed or a new one is necessary, update this number"

# Queries per page, measured; the same at N and 2N.
QUERIES = {
    # Each page writes one audit event (a view, or a listing of the patients it shows): 2 queries.
    # Each signed-in request reads the user's memberships once (web.middleware.ClinicLocalTime,
    # for the clinic's time zone); the permission checks reuse them (home: 3 fewer).
    # Today's appointments: the appointments (1) and their patients' listing.
    # A patient page's header reads the safety alerts (treatments.selectors.header): 4 queries
    # (history facts, medications, the latest alerting screen, open needle-count alerts), and
    # the home and the header 1 more: serious home check-ins not yet reviewed (patient_tasks).
    # Home: the count of new consultation requests (1); its tiles' four counts are one query.
    # The chart, the evaluation and a draft note give the header the facts they read themselves
    # (2 fewer); a draft note reads its entries and alerts once for the page, its forms and what
    # blocks signing, and the clinician's credential once for its consent texts. A draft whose
    # muscles are checked names them instead of drawing the body chart (2 fewer: the episode's
    # trigger points, and the credential read again for the screen of every muscle). The plan
    # and the measures read their episode once (its plan, measures and programme from it).
    "home": 18,
    "follow-ups": 8,
    "patient list": 8,
    "patient search": 8,
    "patient search by date of birth": 8,
    "chart": 19,
    "evaluation": 13,
    "session note": 19,
    "session note, choosing muscles": 21,
    "progress": 15,
    "follow-up call": 15,
    "signed note": 15,
    "measures": 13,
    "body chart": 14,
    "screen": 15,
    "plan": 16,
    "handout": 14,
}
# The follow-ups API: the same count as the follow-ups page (a JSON answer, no template).
FOLLOW_UPS_API_QUERIES = 8


def chain_lock_queries() -> int:
    """PostgreSQL takes the audit chain's advisory lock before the page's audit event: 1 more."""
    return 1 if connection.vendor == "postgresql" else 0


# What grows with the clinic on each page, and how much of it the page shows at each size.
SHOWN: dict[str, Callable[[Any], int]] = {
    "home": lambda context: len(context["followups_due"]["rows"]),
    "follow-ups": lambda context: context["followups_due"]["total"],
    "patient list": lambda context: len(context["rows"]),
    "patient search": lambda context: len(context["rows"]),
    "patient search by date of birth": lambda context: len(context["rows"]),
    "chart": lambda context: sum(entry.kind == "screen" for entry in context["timeline"]),
    "evaluation": lambda context: len(context["medications"]),
    "session note": lambda context: len(context["entries"]),
    "session note, choosing muscles": lambda context: sum(
        state.chosen for state in context["chart"].states.values()
    ),
    "progress": lambda context: len(context["sections"][0]["charts"][0]["points"]),
    "follow-up call": lambda context: len(context["entries"]),
    "signed note": lambda context: len(context["note"]["needling_entries"]),
    "measures": lambda context: len(context["rows"]) // 2,
    "body chart": lambda context: len(context["points"]),
    # the trigger points recorded as active are the muscles the screen starts from
    "screen": lambda context: sum(state.chosen for state in context["chart"].states.values()),
    "plan": lambda context: min(len(context["goals"]), len(context["programme"])),
    "handout": lambda context: len(context["programme"]["exercises"]),
}


@pytest.fixture(scope="module")
def clinics(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[SizedClinic]]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield [build_clinic(N), build_clinic(2 * N)]
        transaction.set_rollback(True)


def count_page(client, django_assert_num_queries, clinic: SizedClinic, page: str) -> None:
    client.force_login(clinic.clinician)
    url = clinic.url(page)
    assert client.get(url).status_code == 200
    info = f"{page} with {clinic.size} of everything: {UPDATE}"
    with django_assert_num_queries(QUERIES[page] + chain_lock_queries(), info=info):
        response = client.get(url)
    assert response.status_code == 200
    assert SHOWN[page](response.context) == clinic.size


@pytest.mark.parametrize(
    "page",
    list(QUERIES),
    ids=lambda page: page.replace(" ", "_"),
)
def test_the_page_costs_the_same_exact_number_of_queries_with_n_and_2n(
    db, client, clinics, django_assert_num_queries, page
):
    for clinic in clinics:
        count_page(client, django_assert_num_queries, clinic, page)


def test_the_follow_ups_api_costs_the_same_exact_number_of_queries_with_n_and_2n(
    db, client, clinics, django_assert_num_queries
):
    for clinic in clinics:
        client.force_login(clinic.clinician)
        url = clinic.url("follow-ups API")
        assert client.get(url).status_code == 200
        info = f"follow-ups API with {clinic.size} of everything: {UPDATE}"
        with django_assert_num_queries(FOLLOW_UPS_API_QUERIES + chain_lock_queries(), info=info):
            response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == clinic.size
        assert len(body["results"]) == min(2, clinic.size - 2)


# Lists of the API that grow with a patient's record: the same number of queries however long
# the record is (screenings come a page at a time, with their true count).
API_LISTS: dict[str, tuple[int, Callable[[SizedClinic], str]]] = {
    "a patient's screenings": (
        9,
        lambda c: f"/api/v1/patients/{c.patient.public_id}/screenings?page_size=2",
    ),
    "an episode's measurements": (
        8,
        lambda c: f"/api/v1/episodes/{c.episode.public_id}/measurements",
    ),
}


def listed_count(body: Any) -> int:
    """How many records the answer says there are: a page's true count, or the list's length."""
    return int(body["count"]) if isinstance(body, dict) else len(body)


@pytest.mark.parametrize("name", list(API_LISTS), ids=lambda name: name.replace(" ", "_"))
def test_an_api_list_costs_the_same_exact_number_of_queries_with_n_and_2n(
    db, client, clinics, django_assert_num_queries, name
):
    expected, address = API_LISTS[name]
    listed = []
    for clinic in clinics:
        client.force_login(clinic.clinician)
        url = address(clinic)
        assert client.get(url).status_code == 200
        info = f"{name} with {clinic.size} of everything: {UPDATE}"
        with django_assert_num_queries(expected + chain_lock_queries(), info=info):
            response = client.get(url)
        assert response.status_code == 200
        listed.append(listed_count(response.json()))
    assert listed[0] < listed[1]  # the record grew; the queries did not
