"""The clinic dashboard and the outcomes API cost the same number of queries with N and with 2N
of everything (tests/web/clinics_at_two_sizes.py, plus an adverse event after each patient's
needled session), so the figures come from grouped SQL, never a query per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.services import adverse_event_record
from tests.web.clinics_at_two_sizes import N, SizedClinic, build_clinic

UPDATE = "if a query was removed or a new one is necessary, update this number"
# Every signed-in request: the session, the user, the second factor, the memberships (4; the
# session is written again only to renew the idle timeout, at most once a minute). The figures:
# the clinic (1), its clinicians (1), the benefits (1, both over the stored first and latest
# scores: pain by NPRS, else VAS; function by NDI for the neck, ODI, else RMDQ for the back),
# episodes (1), sessions (1), adverse events by type (1), questionnaires (1). The clinic-level
# view event (4, with its savepoint).
API_QUERIES = 15
# The page adds the register's page (1; its count is the adverse events counted by type) and
# its listing event naming the patients (2).
DASHBOARD_QUERIES = 18


def chain_locks(events: int) -> int:
    """PostgreSQL takes the audit chain's advisory lock before each audit event."""
    return events if connection.vendor == "postgresql" else 0


def _with_adverse_events(clinic: SizedClinic) -> SizedClinic:
    sessions = TreatmentSession.objects.filter(
        clinic=clinic.patient.clinic, needling_entries__isnull=False
    ).distinct()
    # one event after each patient's earlier needled note (not the first patient's two today)
    for session in sessions.exclude(pk__in=[clinic.session.pk, clinic.signed.pk]):
        adverse_event_record(
            actor=clinic.clinician,
            session=session,
            event_type="bruising",
            severity="mild",
            onset_at=session.started_at + dt.timedelta(hours=1),
            action_taken="Ice",
        )
    return clinic


@pytest.fixture(scope="module")
def clinics(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[SizedClinic]]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield [_with_adverse_events(build_clinic(N)), _with_adverse_events(build_clinic(2 * N))]
        transaction.set_rollback(True)


@pytest.mark.parametrize("index", [0, 1])
def test_the_dashboard_costs_the_same_at_both_sizes(
    db: None, client, django_assert_num_queries, clinics: list[SizedClinic], index: int
) -> None:
    clinic = clinics[index]
    client.force_login(clinic.clinician)
    assert client.get("/clinic/outcomes/").status_code == 200
    info = f"dashboard with {clinic.size} of everything: {UPDATE}"
    with django_assert_num_queries(DASHBOARD_QUERIES + chain_locks(2), info=info):
        response = client.get("/clinic/outcomes/")
    assert response.status_code == 200
    assert len(response.context["register_rows"]) == clinic.size
    # each patient's earlier needled note, and the first patient's draft and signed note today
    assert response.context["outcomes"].safety.sessions == clinic.size + 2


@pytest.mark.parametrize("index", [0, 1])
def test_the_outcomes_api_costs_the_same_at_both_sizes(
    db: None, client, django_assert_num_queries, clinics: list[SizedClinic], index: int
) -> None:
    clinic = clinics[index]
    client.force_login(clinic.clinician)
    url = f"/api/v1/clinics/{clinic.patient.clinic.public_id}/outcomes"
    assert client.get(url).status_code == 200
    info = f"outcomes API with {clinic.size} of everything: {UPDATE}"
    with django_assert_num_queries(API_QUERIES + chain_locks(1), info=info):
        response = client.get(url)
    assert response.json()["adverse_events"]["mild"] == clinic.size
