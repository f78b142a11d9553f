"""What a query tells the database's planner that its statistics cannot.

SQLite's statistics (``ANALYZE``) hold how many rows share a value on average, not which values
are rare. Asked for a clinic's latest twenty screens that referred the patient, it expects about
half of the screens to match, so it walks the clinic's screens newest first until twenty turn up:
at 50,000 patients that was a month of 32,000 screens for 214 alerts (0.6 ms), where the alerts'
own index reads the 214 and sorts them (0.04 ms). ``Rarely`` wraps such a condition in SQLite's
``likelihood()``; PostgreSQL keeps the frequencies of common values and gets the condition as
it is.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, ExpressionWrapper, Func, Q
from django.db.models.sql.compiler import SQLCompiler


class Rarely(Func):
    """``condition``, which the planner should expect to hold for about ``probability`` of the
    rows it reads (a filter: ``queryset.filter(Rarely(Q(...)))``)."""

    output_field = BooleanField()

    def __init__(self, condition: Q, probability: float = 0.01) -> None:
        if not 0.0 < probability < 1.0:
            raise ValueError(f"probability must be between 0 and 1, not {probability!r}")
        self.probability = float(probability)
        super().__init__(ExpressionWrapper(condition, output_field=BooleanField()))

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor != "sqlite":
            return sql, params
        # SQLite takes the probability as a literal only (a number, formatted here).
        return f"likelihood({sql}, {self.probability!r})", params
