"""The database's own plan for a read, for the tests that hold a read to an index.

SQLite: ``EXPLAIN QUERY PLAN``. PostgreSQL: ``EXPLAIN`` with sequential scans priced out, since a
test's few thousand rows are cheaper to read whole than through any index; the question is which
index the planner would use, as it does on a clinic network's tables.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def statement_plan(sql: str, params: Any = ()) -> str:
    """The plan of one statement, a line per step."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            try:
                cursor.execute(f"EXPLAIN {sql}", params)
                rows = cursor.fetchall()
            finally:
                cursor.execute("RESET enable_seqscan")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            rows = cursor.fetchall()
    return "\n".join(str(row[-1]) for row in rows)


def query_plan(rows: QuerySet[Any, Any] | Any) -> str:
    """The plan of the statement a queryset (or a page of one) would run."""
    sql, params = rows.query.sql_with_params()
    return statement_plan(sql, params)
