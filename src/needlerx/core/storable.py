"""What the database can store, checked before it is asked to: every door gets the same answer.

- Timestamps are stored in UTC, whatever offset they arrived with. The API accepts ISO datetimes
  with any offset Python allows (up to ±23:59), but PostgreSQL refuses offsets beyond ±15:59 with
  an error (a 500). Converting before saving loses nothing. Schemathesis found this.
- Text may hold neither NUL (PostgreSQL cannot store it; SQLite can, which would break a later
  move to PostgreSQL and leave it for ever in a signed note's addendum) nor a lone UTF-16
  surrogate (no encoding can store it). No person types either.
- Whole numbers fit their column on PostgreSQL, whichever database runs (SQLite would store a
  number PostgreSQL refuses), and nothing anywhere holds more than 64 bits.

The ``pre_save`` hook is the last guard (services that skip ``validate_model`` included); the
request middleware and the CLI's input parser run :func:`first_unstorable` on the input first,
so a 400 or exit status 2 names the field as it was sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from needlerx.core.errors import ApplicationError

# The widest whole number any column holds (PostgreSQL bigint), and so the widest input accepted.
LARGEST_WHOLE_NUMBER = 2**63 - 1
NO_NUL = "must not contain NUL characters"
NO_SURROGATE = "must be valid Unicode text (it contains a lone UTF-16 surrogate)"


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or ``None``."""
    if "\x00" in text:
        return NO_NUL
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return NO_SURROGATE
    return None


def whole_number_problem(number: int, low: int, high: int) -> str | None:
    """Why ``number`` does not fit ``low..high``, or ``None``."""
    if low <= number <= high:
        return None
    return f"must be a whole number from {low} to {high} (got {_short(number)})"


def first_unstorable(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first field (``facts.age``, ``plan[1].muscle``) of parsed JSON that no column could
    store, with the reason; ``None`` when every value can be stored."""
    if isinstance(value, str):
        problem = text_problem(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        problem = whole_number_problem(value, -LARGEST_WHOLE_NUMBER, LARGEST_WHOLE_NUMBER)
    elif isinstance(value, Mapping):
        return _first_unstorable_item(value, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = first_unstorable(item, f"{path}[{index}]")
            if found:
                return found
        return None
    else:
        return None
    return (path or "body", problem) if problem else None


def _first_unstorable_item(mapping: Mapping[Any, Any], path: str) -> tuple[str, str] | None:
    for key, item in mapping.items():
        name = f"{path}.{key}" if path else str(key)
        problem = text_problem(str(key))
        if problem:
            return (path or "body", f"has a field name that {problem}")
        found = first_unstorable(item, name)
        if found:
            return found
    return None


def refuse_unstorable(value: Any, *, field: str | None = None) -> None:
    """Raise an ApplicationError naming the first field of ``value`` no column could store."""
    found = first_unstorable(value, field or "")
    if found:
        raise ApplicationError(found[1], field=found[0])


def _short(number: int) -> str:
    digits = str(number)
    return digits if len(digits) <= 24 else f"a number of {len(digits)} digits"


def timestamps_in_utc(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """pre_save: convert aware datetimes of a NeedleRx model to UTC."""
    if not sender.__module__.startswith("needlerx."):
        return
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            value = getattr(instance, field.attname)
            if isinstance(value, dt.datetime) and value.utcoffset() not in (None, dt.timedelta(0)):
                setattr(instance, field.attname, value.astimezone(dt.UTC))


def only_storable_values(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """pre_save: refuse, naming the field, text or a number the column cannot hold."""
    if not sender.__module__.startswith("needlerx."):
        return
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(field, models.IntegerField) and isinstance(value, int):
            low, high = _column_range(field)
            problem = whole_number_problem(value, low, high)
            if problem:
                raise ApplicationError(problem, field=field.name)
        elif isinstance(value, (str, list, dict)):
            refuse_unstorable(value, field=field.name)


def _column_range(field: models.IntegerField[Any, Any]) -> tuple[int, int]:
    """The range of the column on PostgreSQL (the narrowest of the supported databases)."""
    low, high = BaseDatabaseOperations.integer_field_ranges.get(
        field.get_internal_type(), (-LARGEST_WHOLE_NUMBER, LARGEST_WHOLE_NUMBER)
    )
    return int(low), int(high)
