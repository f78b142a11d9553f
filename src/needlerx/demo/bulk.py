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

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.fields import return_None  # type: ignore[attr-defined]
from django.utils import timezone

Prepare = Callable[[Any], Any]
Shifts = tuple[tuple[int, int], ...]
M = TypeVar("M", bound=models.Model)
IMMUTABLE_DEFAULTS = (bool, int, float, str, Decimal, bytes)  # enum choices are str or int
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
        # What ``json.dumps(value, cls=field.encoder)`` builds on every call, built once.
        self.encode = (field.encoder or json.JSONEncoder)().encode
        self.seen: dict[int, tuple[Any, str]] = {}

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, JsonText):
            return str(value)
        found = self.seen.get(id(value))
        if found is None or found[0] is not value:
            found = self.seen[id(value)] = (value, self.encode(value))
        return found[1]


def _remembered(prepare: Prepare) -> Prepare:
    """``prepare`` run once per distinct value (equal values prepare to equal parameters: an
    aware time is stored in UTC, a decimal is quantized to the column's places)."""
    seen: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        if value is None:
            return None
        found = seen.get(value)
        if found is None:
            found = seen[value] = prepare(value)
        return found

    return remembered


def _datetime_preparer() -> Prepare:
    """``adapt_datetimefield_value`` with its common case done directly: an aware time becomes
    the connection's zone (UTC) without its zone, as ``timezone.make_naive`` does, then text on
    SQLite; PostgreSQL takes the aware time as it is."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite":
        return adapt
    zone = connection.timezone

    def prepare(value: Any) -> Any:
        if type(value) is dt.datetime and value.tzinfo is not None:
            return str(value.astimezone(zone).replace(tzinfo=None))
        return adapt(value)

    return _remembered(prepare)


def _preparer(field: models.Field[Any, Any]) -> Prepare | None:
    """How one column's Python value becomes its database parameter (None: as it is)."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind in PLAIN_TYPES:
        return None
    if kind == "JSONField":
        return _JsonEncoder(field)  # type: ignore[arg-type]
    if kind == "DateTimeField":
        return _datetime_preparer()
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "UUIDField" and connection.features.has_native_uuid_field:
        return None
    if kind == "UUIDField":
        return lambda value: None if value is None else value.hex
    if kind == "DecimalField":
        digits, places = field.max_digits, field.decimal_places  # type: ignore[attr-defined]
        return _remembered(lambda value: ops.adapt_decimalfield_value(value, digits, places))
    return lambda value: field.get_db_prep_save(value, connection)


def _prepared_rows(
    fields: Sequence[models.Field[Any, Any]], values: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """Each row's columns (``{attname: value}``, such as an instance's ``__dict__``) prepared."""
    names = [field.attname for field in fields]
    read = itemgetter(*names)
    steps = [(n, p) for n, p in enumerate(_preparer(field) for field in fields) if p is not None]
    rows = []
    for given in values:
        row = list(read(given))
        for position, prepare in steps:
            row[position] = prepare(row[position])
        rows.append(tuple(row))
    return rows


class _Blueprint:
    """What ``new_instance`` needs of a model: its columns' defaults and its relations."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = list(model._meta.concrete_fields)
        self.relations = {field.name: field for field in fields if field.is_relation}
        self.attnames = frozenset(field.attname for field in fields)
        self.constant: dict[str, Any] = {}  # defaults that are one immutable value
        self.made: list[tuple[str, Callable[[], Any]]] = []  # made afresh (uuid4, dict, list)
        for field in fields:
            default = field._get_default  # type: ignore[attr-defined]
            if default is return_None:
                self.constant[field.attname] = None
            elif default is str:
                self.constant[field.attname] = ""
            elif field.has_default() and isinstance(field.default, IMMUTABLE_DEFAULTS):
                self.constant[field.attname] = field.default
            else:
                self.made.append((field.attname, default))


@cache
def _blueprint(model: type[models.Model]) -> _Blueprint:
    return _Blueprint(model)


def new_instance(model: type[M], **values: Any) -> M:
    """``model(**values)`` without the per-field work of ``Model.__init__``, for the bulk load:
    columns not given take their defaults, a related object is cached and its id copied (as
    the relation's descriptor does; an unsaved object's id is copied by ``bulk_insert``)."""
    blueprint = _blueprint(model)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    given = obj.__dict__
    given.update(blueprint.constant)
    for name, value in values.items():
        relation = blueprint.relations.get(name)
        if relation is not None:
            given[relation.attname] = None if value is None else value.pk
            state.fields_cache[name] = value
        elif name in blueprint.attnames:
            given[name] = value
        else:
            raise TypeError(f"{model.__name__} has no field {name}")
    for attname, default in blueprint.made:
        if attname not in given:
            given[attname] = default()
    return obj


def _link_related(objs: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]]) -> None:
    """Copy each related object's id into the foreign key column (as ``bulk_create`` does)."""
    for field in fields:
        if not (field.many_to_one or field.one_to_one):
            continue
        attname, name = field.attname, field.cache_name  # type: ignore[attr-defined]
        for obj in objs:
            given = obj.__dict__
            if given[attname] is None:
                related = obj._state.fields_cache.get(name)
                if related is not None:
                    given[attname] = related.pk


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


class Ids:
    """The next id of each table of the load, counted from the table's highest id when the load
    began (the load is the only writer), so rows can be given ids before any is inserted (and in
    another process, when ``prepare`` names every table first)."""

    def __init__(self, models_used: Sequence[type[models.Model]] = ()) -> None:
        self.highest = {model: _highest_id(model) for model in models_used}

    @classmethod
    def from_zero(cls, models_used: Sequence[type[models.Model]]) -> Ids:
        """Ids counted from 1 in each table, without a query (a batch prepared in a worker
        process; ``shift_ids`` moves them past the rows before it)."""
        ids = cls()
        ids.highest = dict.fromkeys(models_used, 0)
        return ids

    def take(self, model: type[models.Model], count: int) -> int:
        """The first of ``count`` new ids of ``model``'s table."""
        if model not in self.highest:
            self.highest[model] = _highest_id(model)
        first = self.highest[model] + 1
        self.highest[model] += count
        return first


@dataclass(frozen=True)
class Prepared:
    """Rows of one table ready for the database (the values prepared as the fields would)."""

    model: type[models.Model]
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    ids_given: bool = True  # then the id sequence is moved past them (PostgreSQL)
    keyed: bool = False  # keyed by their content: a row whose key is stored already is left out
    shifts: Shifts = ()  # (column position, offset): added to the column's ids when inserted


@cache
def _id_columns(
    model: type[models.Model], columns: tuple[str, ...], counted: frozenset[type[models.Model]]
) -> tuple[tuple[int, type[models.Model]], ...]:
    """(position, table) of each column holding an id of a ``counted`` table: the row's own id
    and its foreign keys to them."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    found: list[tuple[int, type[models.Model]]] = []
    for position, column in enumerate(columns):
        field = fields[column]
        target = model if field.primary_key else field.related_model
        holds_id = field.primary_key or field.many_to_one or field.one_to_one
        if holds_id and isinstance(target, type) and target in counted:
            found.append((position, target))
    return tuple(found)


def shift_ids(prepared: Prepared, offsets: dict[type[models.Model], int]) -> Prepared:
    """The rows with every id of a table in ``offsets`` (their own and their foreign keys)
    to be moved on by its offset as they are inserted: rows prepared with ``Ids.from_zero``
    placed after the rows before them (SQLite adds the offsets itself, in the INSERT)."""
    plan = _id_columns(prepared.model, prepared.columns, frozenset(offsets))
    shifts = tuple((position, offsets[target]) for position, target in plan if offsets[target])
    return replace(prepared, shifts=shifts) if shifts else prepared


def _shifted(rows: list[tuple[Any, ...]], shifts: Shifts) -> Iterator[tuple[Any, ...]]:
    for given in rows:
        row = list(given)
        for position, offset in shifts:
            if row[position] is not None:
                row[position] += offset
        yield tuple(row)


def _auto_now_fields(fields: Sequence[models.Field[Any, Any]]) -> list[str]:
    return [
        field.attname
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]


def prepare_objects(objs: Sequence[models.Model], ids: Ids) -> Prepared | None:
    """New objects of one model as rows, giving them ids (no query when ``ids`` knows the table).

    Like ``bulk_create``: no ``save()``, no signals; ``auto_now``/``auto_now_add`` columns take
    one time for the whole call, unless an object has its own (a demo record dated in the past)."""
    number_objects(objs, ids)
    return rows_of_numbered(objs)


def number_objects(objs: Sequence[models.Model], ids: Ids) -> None:
    """Give new objects their ids (and copy their related objects' ids), so others can name
    them before their own rows are made (``rows_of_numbered``)."""
    if not objs:
        return
    model = type(objs[0])
    _link_related(objs, list(model._meta.concrete_fields))
    for number, obj in enumerate(objs, start=ids.take(model, len(objs))):
        obj.pk = number


def rows_of_numbered(objs: Sequence[models.Model]) -> Prepared | None:
    """Objects already given ids (``number_objects``) as rows, with their values as they are."""
    if not objs:
        return None
    model = type(objs[0])
    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    for attname in _auto_now_fields(fields):
        for obj in objs:
            if getattr(obj, attname) is None:
                setattr(obj, attname, now)
    rows = _prepared_rows(fields, [obj.__dict__ for obj in objs])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return Prepared(model, tuple(field.column for field in fields), rows)


def prepare_keyed(objs: Sequence[models.Model]) -> Prepared | None:
    """New objects of a model keyed by their content (``StoredResult``), each once: a row whose
    key the table (or an earlier batch) holds already is left out as it is inserted."""
    if not objs:
        return None
    model = type(objs[0])
    fields = list(model._meta.concrete_fields)
    rows = _prepared_rows(fields, [obj.__dict__ for obj in objs])
    columns = tuple(field.column for field in fields)
    return Prepared(model, columns, rows, ids_given=False, keyed=True)


def prepare_values(
    model: type[models.Model], values: Sequence[dict[str, Any]], ids: Ids
) -> Prepared | None:
    """Rows given as ``{attname: value}`` without building model objects, for rows that nothing
    else in the load names; other columns take the field's default (``auto_now`` and
    ``auto_now_add`` columns one time for the whole call), ids follow the table's highest."""
    if not values:
        return None
    fields = list(model._meta.concrete_fields)
    pk_name = model._meta.pk.attname if model._meta.pk else "id"
    fixed = dict.fromkeys(_auto_now_fields(fields), timezone.now())
    rows = []
    for number, given in enumerate(values, start=ids.take(model, len(values))):
        row = {pk_name: number, **fixed, **given}
        for field in fields:
            if field.attname not in row:
                row[field.attname] = field.get_default()
        rows.append(row)
    return Prepared(model, tuple(field.column for field in fields), _prepared_rows(fields, rows))


def insert_prepared(prepared: Prepared | None) -> None:
    """Insert prepared rows (inside the caller's transaction), then move the id sequence past
    them."""
    if prepared is None:
        return
    if prepared.keyed:
        insert_new_keys(prepared.model._meta.db_table, prepared.columns, prepared.rows)
        return
    insert_rows(prepared.model._meta.db_table, prepared.columns, prepared.rows, prepared.shifts)
    if prepared.ids_given:
        _move_sequence(prepared.model)


def bulk_insert(objs: Sequence[models.Model]) -> None:
    """Insert new objects of one model (inside the caller's transaction), giving them ids after
    the table's highest."""
    insert_prepared(prepare_objects(objs, Ids()))


def bulk_insert_values(model: type[models.Model], values: Sequence[dict[str, Any]]) -> None:
    """Insert rows given as ``{attname: value}`` (``prepare_values``)."""
    insert_prepared(prepare_values(model, values, Ids()))


def insert_rows(
    table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], shifts: Shifts = ()
) -> None:
    """Rows of prepared values, with the ``shifts`` added to their columns: COPY on PostgreSQL
    (one stream instead of a statement a row), elsewhere one parameterised INSERT run over the
    rows (``executemany``) that adds them itself (``NULL`` stays ``NULL``)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in _shifted(rows, shifts) if shifts else rows:
                    copy.write_row(row)
        else:
            added = dict(shifts)
            marks = ", ".join(
                f"%s + {added[n]:d}" if n in added else "%s" for n in range(len(columns))
            )
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
            cursor.executemany(sql, rows)


def insert_new_keys(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows keyed by their content, leaving out those whose key is stored already (one INSERT
    run over the rows, the same on SQLite and PostgreSQL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608 - model names
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


BULK_CACHE_KIB = 65_536  # SQLite page cache while the demo load writes (the default is 2 MB)


@contextmanager
def sqlite_bulk_writes() -> Iterator[None]:
    """While the demo load writes (outside a transaction, on SQLite): no fsync at checkpoints
    (``synchronous=OFF``) and a larger page cache, both restored afterwards. Safe for a demo
    load: in WAL mode a crash of the process cannot damage the database with synchronous=OFF;
    only an operating-system crash or power cut during the load could lose or damage its last
    batches, which hold synthetic data that one command loads again."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size")
        cache_size = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute(f"PRAGMA cache_size={cache_size}")


def table_statistics_refresh(table: str = "") -> None:
    """Count what the load wrote (``ANALYZE``), so the query planner knows, for example, that
    a day of screens is a short range while "every screen" is most of the table. PostgreSQL's
    autovacuum would do it later; SQLite never does it by itself, and without statistics it
    can choose an index that reads every screen for today's list.

    On PostgreSQL (outside a transaction) ``VACUUM`` too, as autovacuum would soon after: it
    marks the new rows visible to all, so a count on an index reads the index alone. Until
    then the count of a clinic's patients read every one of their rows (1,834 pages, 1.2 ms at
    50,000 patients). It adds about 0.2 s to a 5,000-patient load.

    ``table``: that table alone (a model's ``db_table``); by default every table."""
    statement = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        statement = "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{statement} {connection.ops.quote_name(table)}" if table else statement)
