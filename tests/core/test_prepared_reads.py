"""A prepared read returns what its ORM query returns, for any values of its arguments, and
refuses what it cannot prepare faithfully (``core.prepared``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from needlerx.core.prepared import (
    MAX_STATEMENTS_PER_READ,
    ByPublicId,
    PreparedReadError,
    counts_together,
    prepared_read,
)
from needlerx.patients.models import Patient

FIELDS = ("public_id", "medical_record_number", "date_of_birth", "created_at", "height_cm")


def _patients(
    clinic_ids: list[int], born_after: dt.date, family: str, created_before: dt.datetime
) -> QuerySet[Any, Any]:
    chosen: QuerySet[Any, Any] = (
        Patient.objects.filter(
            clinic_id__in=clinic_ids,
            date_of_birth__gt=born_after,
            family_name=family,
            created_at__lt=created_before,
        )
        .order_by("medical_record_number")
        .values(*FIELDS)
    )
    return chosen


patients = prepared_read()(_patients)


@pytest.fixture
def four(world) -> list[Patient]:
    return [
        world.patient(mrn="A-1", family_name="Okafor", date_of_birth=dt.date(1950, 1, 1)),
        world.patient(mrn="A-2", family_name="Okafor", date_of_birth=dt.date(1990, 1, 1)),
        world.patient(mrn="A-3", family_name="Haddad", date_of_birth=dt.date(1990, 1, 1)),
        world.patient(world.clinic_b, mrn="B-1", family_name="Okafor", height_cm=181),
    ]


@pytest.mark.django_db
def test_rows_and_counts_are_the_orms_for_every_value_given(world, four) -> None:
    later = timezone.now() + dt.timedelta(minutes=1)
    both = [world.clinic_a.pk, world.clinic_b.pk]
    for clinic_ids, born_after, family in [
        ([world.clinic_a.pk], dt.date(1900, 1, 1), "Okafor"),
        ([world.clinic_a.pk], dt.date(1980, 1, 1), "Okafor"),  # same shape, other values
        (both, dt.date(1900, 1, 1), "Okafor"),  # a longer list: another statement
        ([world.clinic_b.pk], dt.date(1900, 1, 1), "Haddad"),
        ([world.clinic_a.pk, world.clinic_a.pk], dt.date(1900, 1, 1), "Haddad"),  # a repeat
    ]:
        values: dict[str, Any] = {
            "clinic_ids": clinic_ids,
            "born_after": born_after,
            "family": family,
            "created_before": later,
        }
        expected = list(_patients(**values))
        assert patients.all(**values) == expected
        assert patients.count(**values) == len(expected)
    assert [row["medical_record_number"] for row in patients.all(**{**values, "family": "Okafor"})]
    # the values come back as the ORM gives them: UUIDs, dates, aware times, decimals
    (row,) = patients.all(
        clinic_ids=[world.clinic_b.pk],
        born_after=dt.date(1900, 1, 1),
        family="Okafor",
        created_before=later,
    )
    assert row == {
        "public_id": four[3].public_id,
        "medical_record_number": "B-1",
        "date_of_birth": four[3].date_of_birth,
        "created_at": four[3].created_at,
        "height_cm": four[3].height_cm,
    }
    assert isinstance(row["public_id"], uuid.UUID) and timezone.is_aware(row["created_at"])


@pytest.mark.django_db
def test_each_call_asks_the_database_once_and_nothing_for_an_empty_list(world, four) -> None:
    values: dict[str, Any] = {"born_after": dt.date(1900, 1, 1), "family": "Okafor"}
    later = timezone.now() + dt.timedelta(minutes=1)
    with CaptureQueriesContext(connection) as queries:
        assert patients.all(clinic_ids=[], created_before=later, **values) == []
        assert patients.count(clinic_ids=[], created_before=later, **values) == 0
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        patients.all(clinic_ids=[world.clinic_a.pk], created_before=later, **values)
        patients.count(clinic_ids=[world.clinic_a.pk], created_before=later, **values)
    assert len(queries) == 2


@pytest.mark.django_db
def test_counts_together_are_each_the_orms_count_from_one_statement(world, four) -> None:
    later = timezone.now() + dt.timedelta(minutes=1)
    asked: list[dict[str, Any]] = [
        {"clinic_ids": [world.clinic_a.pk], "family": "Okafor"},
        {"clinic_ids": [], "family": "Okafor"},  # counts nothing, asks nothing
        {"clinic_ids": [world.clinic_a.pk, world.clinic_b.pk], "family": "Okafor"},
        {"clinic_ids": [world.clinic_a.pk], "family": "Haddad"},
    ]
    for values in asked:
        values.update(born_after=dt.date(1900, 1, 1), created_before=later)
    expected = [_patients(**values).count() for values in asked]
    assert expected == [2, 0, 3, 1]
    with CaptureQueriesContext(connection) as queries:
        assert counts_together(*(patients.counting(**values) for values in asked)) == expected
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert counts_together(patients.counting(**asked[1])) == [0]
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_sum_is_the_orms_sum_asked_with_counts_in_one_statement(world, four) -> None:
    @prepared_read()
    def ids(clinic_ids: list[int]) -> QuerySet[Any, Any]:
        return Patient.objects.filter(clinic_id__in=clinic_ids).values("pk")

    later = timezone.now() + dt.timedelta(minutes=1)
    okafor: dict[str, Any] = {
        "family": "Okafor",
        "born_after": dt.date(1900, 1, 1),
        "created_before": later,
    }
    both = [world.clinic_a.pk, world.clinic_b.pk]
    in_a = sum(Patient.objects.filter(clinic=world.clinic_a).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        summed = counts_together(
            ids.summing(clinic_ids=both),
            patients.counting(clinic_ids=both, **okafor),
            ids.summing(clinic_ids=[world.clinic_a.pk]),
            ids.summing(clinic_ids=[-1]),  # no rows: 0, not None
            ids.summing(clinic_ids=[]),  # sums nothing, asks nothing
        )
    assert summed == [sum(Patient.objects.values_list("pk", flat=True)), 3, in_a, 0, 0]
    assert len(queries) == 1

    @prepared_read()
    def two_columns(clinic_ids: list[int]) -> QuerySet[Any, Any]:
        return Patient.objects.filter(clinic_id__in=clinic_ids).values("pk", "height_cm")

    with pytest.raises(PreparedReadError, match="one column"):
        two_columns.summing(clinic_ids=both)


@pytest.mark.django_db
def test_a_build_that_reads_anything_but_its_arguments_fails_the_check(world, four) -> None:
    @prepared_read()
    def registered_lately(clinic_ids: list[int]) -> QuerySet[Any, Any]:
        return Patient.objects.filter(
            clinic_id__in=clinic_ids, created_at__gte=timezone.now() - dt.timedelta(days=1)
        ).values("pk")

    # prepared with the time of its first call, which the check's own build has moved past
    with pytest.raises(PreparedReadError, match="differs from the ORM's"):
        registered_lately.all(clinic_ids=[world.clinic_a.pk])


@pytest.mark.django_db
def test_an_argument_written_into_the_sql_must_be_named_as_shape(world, four) -> None:
    def first(clinic_ids: list[int], limit: int) -> QuerySet[Any, Any]:
        return Patient.objects.filter(clinic_id__in=clinic_ids).order_by("pk").values("pk")[:limit]

    with pytest.raises(PreparedReadError, match="'limit' is not a parameter"):
        prepared_read()(first).all(clinic_ids=[world.clinic_a.pk], limit=2)
    shaped = prepared_read(shape=("limit",))(first)
    for limit in (1, 2, 3):
        rows = shaped.all(clinic_ids=[world.clinic_a.pk], limit=limit)
        assert rows == list(first([world.clinic_a.pk], limit))
        assert len(rows) == limit
    # one statement per limit, the oldest dropped past a bound (a crawl through every page)
    for limit in range(1, MAX_STATEMENTS_PER_READ + 10):
        assert shaped.count(clinic_ids=[world.clinic_a.pk], limit=limit) == min(limit, 3)
    assert len(shaped._statements) == MAX_STATEMENTS_PER_READ


@pytest.mark.django_db
def test_a_read_of_more_than_one_statement_or_of_other_values_is_refused(world) -> None:
    @prepared_read()
    def with_episodes(clinic_id: int) -> QuerySet[Any, Any]:
        return Patient.objects.filter(clinic_id=clinic_id).prefetch_related("episodes")

    with pytest.raises(PreparedReadError, match="no prefetch_related"):
        with_episodes.all(clinic_id=world.clinic_a.pk)
    with pytest.raises(PreparedReadError, match="not dict"):
        patients.all(clinic_ids={"a": 1}, born_after=None, family=None, created_before=None)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_model_read_gives_the_orms_objects_with_what_it_joined(world, four) -> None:
    @prepared_read()
    def with_clinic(family: str) -> QuerySet[Any, Any]:
        return (
            Patient.objects.filter(family_name=family)
            .select_related("clinic")
            .only("public_id", "medical_record_number", "clinic__name")
            .order_by("medical_record_number")
        )

    for family in ("Okafor", "Haddad", "Nobody"):
        expected = list(with_clinic.build(family=family))
        with CaptureQueriesContext(connection) as queries:
            read = with_clinic.all(family=family)
            shown = [(p.public_id, p.medical_record_number, p.clinic.name) for p in read]
        assert read == expected and len(queries) == 1  # the clinics came with the patients
        assert shown == [(p.public_id, p.medical_record_number, p.clinic.name) for p in expected]
    assert with_clinic.count(family="Okafor") == 3


@pytest.mark.django_db
def test_a_record_by_its_public_id_or_none_for_a_malformed_or_unknown_id(world, four) -> None:
    by_id = ByPublicId(Patient.objects.select_related("clinic"))
    with CaptureQueriesContext(connection) as queries:
        found = by_id.get(str(four[3].public_id))
        assert found == four[3] and found is not None and found.clinic == world.clinic_b
    assert len(queries) == 1  # the clinic came with the patient
    assert by_id.get(uuid.uuid4()) is None
    assert by_id.get("not-a-uuid") is None
