"""``Rarely`` tells SQLite's planner that a condition seldom holds (``likelihood()``), which its
statistics cannot show, and changes nothing else: the rows are those of the plain condition, and
PostgreSQL gets the plain condition."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from needlerx.core.planner import Rarely
from needlerx.patients.models import Patient


@pytest.mark.django_db
def test_the_rows_are_those_of_the_plain_condition(world) -> None:
    ann, bob = world.patient(mrn="A-1"), world.patient(mrn="B-2")
    hinted = Patient.objects.filter(Rarely(Q(medical_record_number__in=["A-1", "C-3"])))
    assert list(hinted) == [ann] and bob not in hinted
    assert list(Patient.objects.exclude(Rarely(Q(medical_record_number="A-1")))) == [bob]
    sql = str(hinted.query)
    if connection.vendor == "sqlite":
        assert "likelihood(" in sql and ", 0.01)" in sql
    else:
        assert "likelihood" not in sql


@pytest.mark.parametrize("probability", [0, 1, 1.5, -0.1])
def test_a_probability_outside_zero_and_one_is_refused(probability: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        Rarely(Q(medical_record_number="A-1"), probability)
