"""Bulk inserts for the demo load: COPY on PostgreSQL, elsewhere one parameterised INSERT run over
a table's rows (``executemany`` through the connection cursor), without the ORM's per-object,
per-field work.

The demo load is the only writer while it runs, so the primary keys are given here (after the
table's highest id) and the related objects can name them at once; PostgreSQL's id sequences are
moved past them after each table. Values are prepared as the model fields would prepare them
(``Field.get_db_prep_save``), with fast paths for the common column types; a JSON value shared by
many rows (a patient's screen facts on every session) is encoded once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

Prepare = Callable[[Any], Any]
PLAIN_TYPES = frozenset(
    {
        "BooleanField",
        "CharField",
        "TextField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "BigAutoField",
        "AutoField",
        "ForeignKey",
    }
)


class JsonText(str):
    """A JSON column's value already encoded (a sealed snapshot's canonical text)."""


class _JsonEncoder:
    """JSON text for a column; the same object (by identity) is encoded once per insert."""

    def __init__(self, field: models.JSONField) -> None:
        self.encoder = field.encoder
        self.seen: dict[int, tuple[Any, str]] = {}

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, JsonText):
            return str(value)
        found = self.seen.get(id(value))
        if found is None or found[0] is not value:
            found = self.seen[id(value)] = (value, json.dumps(value, cls=self.encoder))
        return found[1]


def _preparer(field: models.Field[Any, Any]) -> Prepare:
    """How one column's Python value becomes its database parameter."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind in PLAIN_TYPES:
        return lambda value: value
    if kind == "JSONField":
        return _JsonEncoder(field)  # type: ignore[arg-type]
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "UUIDField" and connection.features.has_native_uuid_field:
        return lambda value: value
    if kind == "UUIDField":
        return lambda value: None if value is None else value.hex
    if kind == "DecimalField":
        digits, places = field.max_digits, field.decimal_places  # type: ignore[attr-defined]
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    return lambda value: field.get_db_prep_save(value, connection)


def _link_related(objs: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]]) -> None:
    """Copy each related object's id into the foreign key column (as ``bulk_create`` does)."""
    for field in fields:
        if not field.many_to_one:
            continue
        attname = field.attname
        for obj in objs:
            if getattr(obj, attname) is None and field.is_cached(obj):  # type: ignore[attr-defined]
                related = field.get_cached_value(obj)  # type: ignore[attr-defined]
                if related is not None:
                    setattr(obj, attname, related.pk)


def _highest_id(model: type[models.Model]) -> int:
    column = connection.ops.quote_name(model._meta.pk.column if model._meta.pk else "id")
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({column}) FROM {table}")  # noqa: S608 - names from the model
        return int(cursor.fetchone()[0] or 0)


def _move_sequence(model: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def bulk_insert(objs: Sequence[models.Model]) -> None:
    """Insert new objects of one model (inside the caller's transaction), giving them ids.

    Like ``bulk_create``: no ``save()``, no signals; ``auto_now``/``auto_now_add`` columns take
    one time for the whole call."""
    if not objs:
        return
    model = type(objs[0])
    fields = list(model._meta.concrete_fields)
    _link_related(objs, fields)
    for number, obj in enumerate(objs, start=_highest_id(model) + 1):
        obj.pk = number
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    prepare = [(field.attname, _preparer(field)) for field in fields]
    _execute(model, [tuple(p(getattr(obj, name)) for name, p in prepare) for obj in objs])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def bulk_insert_values(model: type[models.Model], values: Sequence[dict[str, Any]]) -> None:
    """Insert rows given as ``{attname: value}`` without building model objects, for rows that
    nothing else in the load names; other columns take the field's default (``auto_now`` and
    ``auto_now_add`` columns one time for the whole call), ids follow the table's highest."""
    if not values:
        return
    fields = list(model._meta.concrete_fields)
    pk_name = model._meta.pk.attname if model._meta.pk else "id"
    now = timezone.now()
    fixed = {
        field.attname: now
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    rows = []
    for number, given in enumerate(values, start=_highest_id(model) + 1):
        row = {pk_name: number, **fixed, **given}
        for field in fields:
            if field.attname not in row:
                row[field.attname] = field.get_default()
        rows.append(row)
    prepare = [(field.attname, _preparer(field)) for field in fields]
    _execute(model, [tuple(p(row[name]) for name, p in prepare) for row in rows])


def _execute(model: type[models.Model], rows: list[tuple[Any, ...]]) -> None:
    """Every concrete column of the rows, then the id sequence moved past them."""
    columns = [field.column for field in model._meta.concrete_fields]
    insert_rows(model._meta.db_table, columns, rows)
    _move_sequence(model)


def insert_rows(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows of prepared values: COPY on PostgreSQL (one stream instead of a statement a row),
    elsewhere one parameterised INSERT run over the rows (``executemany``)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
            cursor.executemany(sql, rows)
