"""A demo load ends with the tables counted for the planner, and on PostgreSQL vacuumed: the count
of a clinic's patients then reads its index alone, not every patient's row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from needlerx.demo import generator
from needlerx.patients.models import Patient


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's visibility map")
def test_after_a_load_a_count_of_a_clinics_patients_reads_the_index_alone(
    transactional_db: None,
) -> None:
    staff = generator.create_demo_network()
    generator.load_patients(staff, 30, seed=3)
    clinic_id = staff[0].clinic.pk
    sql, params = Patient.objects.filter(clinic_id=clinic_id).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a table of 30 rows is read whole otherwise
        cursor.execute(
            f"EXPLAIN (ANALYZE, FORMAT JSON) SELECT COUNT(*) FROM ({sql}) counted",  # noqa: S608 - the ORM's SQL
            params,
        )
        plan = cursor.fetchone()[0]
        cursor.execute("RESET enable_seqscan")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    scans = list(_nodes(plan[0]["Plan"]))
    index_only = [node for node in scans if node["Node Type"] == "Index Only Scan"]
    assert index_only, scans
    assert all(node["Heap Fetches"] == 0 for node in index_only)
    assert sum(node["Actual Rows"] for node in index_only) > 0


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)
