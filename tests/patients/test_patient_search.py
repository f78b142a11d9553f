"""Patient search finds the right patients, and every way of searching is answered by an index.

The index tests read the database's own plan (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN)
for a clinic of a few thousand patients with fresh statistics: a search must reach the patients
through the search-key, MRN or date-of-birth indexes, never by reading the whole clinic.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from needlerx.accounts.models import Clinic
from needlerx.patients.models import Patient
from needlerx.patients.paging import patients_between
from needlerx.patients.search import search_key
from needlerx.patients.selectors import patient_list_for_user, patient_page_for_user
from needlerx.patients.services import patient_register
from tests.query_plans import query_plan

JOSE = {"given_name": "José", "family_name": "García", "date_of_birth": dt.date(1980, 5, 17)}
OBRIEN = {"given_name": "Siobhán", "family_name": "O'Brien", "date_of_birth": dt.date(1975, 2, 3)}


@pytest.fixture
def patients(world):
    jose = world.patient(mrn="AUS-000014", **JOSE)
    obrien = world.patient(mrn="AUS-000015", **OBRIEN)
    born = dt.date(1970, 1, 1)
    world.patient(mrn="AUS-000016", given_name="Quinn", family_name="Garner", date_of_birth=born)
    # Another clinic's patient with the same names, MRN and birthday: never found by alice.
    world.patient(clinic=world.clinic_b, mrn="AUS-000014", **JOSE)
    return {"jose": jose, "obrien": obrien}


def found(world, term: str) -> list[str]:
    return [patient.full_name for patient in patient_list_for_user(user=world.alice, search=term)]


@pytest.mark.parametrize(
    "term",
    [
        "garcí",  # family name prefix
        "GARCIA",  # any case, accents ignored
        "jos",  # given name prefix
        "jose garc",  # given then family
        "García, José",  # family then given, as a list shows it
        "garcia   j",
        "  aus-000014 ",  # MRN, however typed
        "aus\u2010000014",
        "1980-05-17",  # date of birth, ISO
        "05/17/1980",  # and as a US clinic writes it
        "5/17/1980",
    ],
)
def test_a_search_finds_jose_garcia(world, patients, term):
    assert found(world, term) == ["José García"]


@pytest.mark.parametrize("term", ["obrien", "O'Brien", "o\u2019bri", "siobhan o"])
def test_apostrophes_and_accents_do_not_matter(world, patients, term):
    assert found(world, term) == ["Siobhán O'Brien"]


def test_a_short_prefix_finds_every_patient_it_starts_and_lists_them_by_name(world, patients):
    assert found(world, "gar") == ["José García", "Quinn Garner"]


@pytest.mark.parametrize(
    "term",
    [
        "arcia",  # not the start of a name
        "jose garner",
        "AUS-00001",  # an MRN matches exactly, not by prefix
        "1980-17-05",  # not a date
        "2/30/1980",
        "17/05/1980",
        "%",
        "_",
    ],
)
def test_a_search_finds_nobody_for_terms_that_match_nothing(world, patients, term):
    assert found(world, term) == []


def test_another_clinics_patients_never_appear(world, patients):
    theirs = patient_list_for_user(user=world.bob, search="garcia")
    assert [patient.clinic for patient in theirs] == [world.clinic_b]
    mine = patient_list_for_user(user=world.alice, search="garcia")
    assert [patient.clinic for patient in mine] == [world.clinic_a]


def test_a_page_counts_every_match_not_just_those_shown(world):
    for number in range(7):
        world.patient(mrn=f"A-{number}", family_name=f"Garcia{number}")
    page = patient_page_for_user(user=world.alice, search="garcia", page=2, per_page=5)
    assert page.paginator.count == 7
    assert [patient.family_name for patient in page] == ["Garcia5", "Garcia6"]


def test_the_list_page_and_the_api_search_the_same_way(client: Client, world, patients):
    client.force_login(world.alice)
    response = client.get(reverse("patients:list"), {"q": "05/17/1980"})
    names = [patient.full_name for patient, _age, _url in response.context["rows"]]
    assert names == ["José García"]
    response = client.get("/api/v1/patients/", {"search": "garcia j", "page_size": "1"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [row["given_name"] for row in response.json()["results"]] == ["José"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("García", "garcia"),
        ("  Anne-Marie  ", "anne marie"),
        ("O\u2019Brien", "obrien"),
        ("ÇELİK", "celik"),
        ("Straße", "strasse"),
        ("%_*?[", ""),
    ],
)
def test_search_key_folds_case_accents_and_punctuation(text, key):
    assert search_key(text) == key


def test_the_search_keys_follow_the_names_however_a_patient_is_written(world):
    registered = patient_register(
        actor=world.alice,
        clinic=world.clinic_a,
        medical_record_number="A-9",
        given_name="Zoë",
        family_name="Núñez",
        date_of_birth=dt.date(1990, 1, 1),
    )
    assert (registered.search_family_given, registered.search_given_family) == (
        "nunez zoe",
        "zoe nunez",
    )
    registered.family_name = "Ortiz"
    registered.save(update_fields=["family_name"])
    registered.refresh_from_db()
    assert registered.search_family_given == "ortiz zoe"
    (bulk,) = Patient.objects.bulk_create(
        [
            Patient(
                clinic=world.clinic_a,
                medical_record_number="A-10",
                given_name="Émile",
                family_name="Zola",
                date_of_birth=dt.date(1990, 1, 1),
            )
        ]
    )
    assert Patient.objects.get(pk=bulk.pk).search_given_family == "emile zola"


def test_the_migration_fills_the_keys_of_patients_registered_before_it(world, patients):
    Patient.objects.update(search_family_given="", search_given_family="")
    migration = importlib.import_module("needlerx.patients.migrations.0003_patient_search_keys")
    migration.fill_search_keys(apps, None)
    assert found(world, "garcia jose") == ["José García"]


def test_the_migration_normalises_mrns_typed_before_normalisation_unless_taken(world, patients):
    Patient.objects.filter(medical_record_number="AUS-000015").update(
        medical_record_number="aus-000015 "
    )
    Patient.objects.filter(medical_record_number="AUS-000016").update(
        medical_record_number="aus-000014"
    )
    migration = importlib.import_module("needlerx.patients.migrations.0003_patient_search_keys")
    migration.normalise_stored_mrns(apps, None)
    mrns = Patient.objects.filter(clinic=world.clinic_a).values_list(
        "medical_record_number", flat=True
    )
    assert sorted(mrns) == ["AUS-000014", "AUS-000015", "aus-000014"]


# --- the plan: each search is answered by an index ---------------------------------------------

CLINIC_SIZE = 3000


@pytest.fixture(params=["with statistics", "without statistics"])
def large_clinic(request, world, patients):
    """A clinic of a few thousand patients, with and without the planner's statistics (a
    database that was never analysed must not fall back to reading the clinic either).

    PostgreSQL without statistics is the table as a restore leaves it: its size known from
    building its indexes, no statistics of its columns. (Its size is otherwise whatever earlier
    tests left behind: ANALYZE records it outside the transaction, a flush forgets it.)"""
    add_patients(world.clinic_a)
    with connection.cursor() as cursor:
        if request.param == "with statistics":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("REINDEX TABLE patients_patient")


def add_patients(clinic: Clinic) -> None:
    Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            medical_record_number=f"AUS-{number + 100_000}",
            given_name=f"Given{number % 97}",
            family_name=f"Family{number}",
            date_of_birth=dt.date(1940, 1, 1) + dt.timedelta(days=number * 7),
        )
        for number in range(CLINIC_SIZE)
    )


def the_clinic_is_read_whole(plan: str) -> bool:
    """A plan that reads the patient table, or all of a clinic, rather than seeking matches."""
    if connection.vendor == "postgresql":
        return "Seq Scan on patients_patient" in plan or "Index Cond: (clinic_id = " in plan
    return any(
        line.strip().startswith("SCAN patients_patient") or line.rstrip().endswith("(clinic_id=?)")
        for line in plan.splitlines()
    )


# The index each kind of search must seek through, as each database names it in its plan.
NAME_INDEXES = {
    "sqlite": ["patient_search_family_given", "patient_search_given_family"],
    "postgresql": ["patient_search_family_given", "patient_search_given_family"],
}
MRN_INDEX = {
    "sqlite": "(clinic_id=? AND medical_record_number=?)",  # the unique constraint's index
    "postgresql": "mrn_unique_in_clinic",
}
BIRTH_INDEX = {
    "sqlite": "(clinic_id=? AND date_of_birth=?)",
    "postgresql": "date_of_birth = '1980-05-17'::date",
}


@pytest.mark.parametrize("term", ["garcia", "jose g", "given1", "AUS-000014", "05/17/1980"])
def test_each_search_seeks_through_indexes_and_never_reads_the_clinic(world, large_clinic, term):
    patients = patient_list_for_user(user=world.alice, search=term)
    # The first page (a LIMIT tempts a planner to walk a name-ordered index through the whole
    # clinic), the page after it, and the count of the paginator.
    pages = (patients[:25], patients[25:50], patients.order_by())
    for plan in map(query_plan, pages):
        assert not the_clinic_is_read_whole(plan), plan
        assert MRN_INDEX[connection.vendor] in plan, plan
        if "/" in term:
            assert BIRTH_INDEX[connection.vendor] in plan, plan
        else:
            for index in NAME_INDEXES[connection.vendor]:
                assert index in plan, plan


@pytest.fixture
def vacuumed_clinic(transactional_db, world):
    """The large clinic committed and vacuumed: PostgreSQL reads an index alone only where the
    table's visibility map says the rows are visible to all, which it never is in a transaction;
    VACUUM FULL first compacts what earlier, rolled-back tests left in the table and indexes."""
    add_patients(world.clinic_a)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM FULL patients_patient")
            cursor.execute("VACUUM ANALYZE patients_patient")
        else:
            cursor.execute("ANALYZE")


def test_a_page_of_the_list_steps_over_earlier_patients_in_the_index_alone(world, vacuumed_clinic):
    """The last page costs what the first does: its ids come from the list-order index without
    reading the rows before it (SQLite: a covering index; PostgreSQL: an index-only scan), and
    only the rows shown are read, by id."""
    patients = patient_list_for_user(user=world.alice)
    plan = query_plan(patients_between(patients, CLINIC_SIZE - 25, CLINIC_SIZE))
    if connection.vendor == "postgresql":
        assert "Index Only Scan using patient_list_order" in plan, plan
        assert "Index Scan using patients_patient_pkey" in plan, plan
    else:
        assert "USING COVERING INDEX patient_list_order" in plan, plan
        assert "SEARCH patients_patient USING INTEGER PRIMARY KEY" in plan, plan


def test_the_list_pages_are_the_patients_in_order_with_the_true_total(world, large_clinic):
    everyone = list(patient_list_for_user(user=world.alice))
    last = (CLINIC_SIZE + 3 + 24) // 25
    page = patient_page_for_user(user=world.alice, page=last, per_page=25)
    assert page.paginator.count == len(everyone) == CLINIC_SIZE + 3
    assert list(page) == everyone[(page.number - 1) * 25 :]
    assert list(patient_page_for_user(user=world.alice, page=2, per_page=25)) == everyone[25:50]
