"""The clinic home and the follow-ups due read indexed, bounded ranges, never every session,
screen or alert of the clinic: each query of the home on those tables is explained by the
database itself (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with sequential scans priced out,
so a sequential scan in the plan means no index can answer the query)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needlerx.treatments.models import SafetyAlert, TreatmentSession
from needlerx.treatments.services import treatment_session_needle_count
from tests.web.clinics_at_two_sizes import build_clinic

PARTIAL_INDEXES = ("treatments_open_alert_idx", "needled_follow_up_open", "sessions_drafts_clinic")
TABLES = (
    "treatments_treatmentsession",
    "treatments_needledsession",
    "treatments_safetyalert",
    "screening_screeningrun",
)


def _index_name(model: Any, *fields: str) -> str:
    return str(next(i.name for i in model._meta.indexes if tuple(i.fields) == fields))


# What each query of the home reads, told by its SQL, and the index SQLite must use for it.
SQLITE_PLANS: dict[str, tuple[Callable[[str], bool], Callable[[], str]]] = {
    "today's sessions": (
        lambda sql: 'FROM "treatments_treatmentsession"' in sql and '"started_at" >=' in sql,
        lambda: _index_name(TreatmentSession, "clinic", "-started_at"),
    ),
    "drafts": (
        lambda sql: '"signed_at" IS NULL' in sql and "COUNT" not in sql,
        lambda: "sessions_drafts_clinic",
    ),
    "drafts counted": (
        lambda sql: '"signed_at" IS NULL' in sql and "COUNT" in sql,
        lambda: "sessions_drafts_clinic",
    ),
    "follow-ups counted": (
        # Either index is a range of the window: the open ones, or all with the date of the
        # follow-up made (which the count reads from the index alone).
        lambda sql: "treatments_needledsession" in sql and "COUNT(*)" in sql,
        lambda: "(?:needled_follow_up_open|needled_clinic_started)",
    ),
    "follow-ups page": (
        lambda sql: "treatments_needledsession" in sql and "COUNT(*)" not in sql,
        lambda: "needled_follow_up_open",
    ),
    "open alerts": (
        lambda sql: 'FROM "treatments_safetyalert"' in sql,
        lambda: "treatments_open_alert_idx",
    ),
    "today's screens": (
        lambda sql: "screening_screeningrun" in sql and '"run_at" <' in sql,
        lambda: "screens_clinic_recent",
    ),
    "screens that refer on or advise against needling": (
        # The alerts alone, not the clinic's month of screens newest first (32,000 screens for
        # 214 alerts at 50,000 patients): ``core.planner.Rarely``.
        lambda sql: "screening_screeningrun" in sql and '"decision" IN' in sql,
        lambda: "screen_alerts_clinic",
    ),
}


def _home_queries(client: Any) -> list[str]:
    clinic = build_clinic(3)
    session = clinic.session
    used = sum(entry.needles or 0 for entry in session.needling_entries.all())
    treatment_session_needle_count(
        actor=clinic.clinician, session=session, needles_used=used, needles_removed=used - 1
    )
    assert SafetyAlert.objects.filter(resolved_at__isnull=True).exists()
    client.force_login(clinic.clinician)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and any(table in q["sql"] for table in TABLES)
    ]


def _full_scans(plan: str) -> list[str]:
    """Lines of a SQLite plan that read a whole table or a whole index of one (a partial index
    holds only the rows asked for, so reading all of it is bounded)."""
    return [
        line
        for line in plan.splitlines()
        if line.startswith(tuple(f"SCAN {table}" for table in TABLES))
        and not line.endswith(PARTIAL_INDEXES)
    ]


def _sqlite_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(row[3] for row in cursor.fetchall())


def _postgresql_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        return plan


@pytest.mark.django_db
def test_every_home_query_on_sessions_screens_and_alerts_uses_an_index(client: Any) -> None:
    queries = _home_queries(client)
    assert queries
    if connection.vendor == "sqlite":
        for what, (is_it, index) in SQLITE_PLANS.items():
            matching = [sql for sql in queries if is_it(sql)]
            assert matching, f"no query for {what}"
            for sql in matching:
                plan = _sqlite_plan(sql)
                assert re.search(rf"INDEX {index()}\b", plan), f"{what}:\n{plan}\n{sql}"
                assert not _full_scans(plan), f"{what}:\n{plan}"
    else:
        for sql in queries:
            plan = _postgresql_plan(sql)
            assert "Seq Scan on treatments_" not in plan, f"{plan}\n{sql}"
            assert "Seq Scan on screening_" not in plan, f"{plan}\n{sql}"
            # Which index serves the drafts is not asserted here: on a table of a few rows
            # PostgreSQL prices the drafts' partial index and the clinic's start-time index the
            # same and picks either (the choice at 50,000 patients is in docs/performance.md).
