"""Store every timestamp in UTC, whatever offset it arrived with.

The API accepts ISO datetimes with any offset Python allows (up to ±23:59), but PostgreSQL
refuses offsets beyond ±15:59 with an error (a 500). Timestamps are stored as UTC anyway, so
converting before saving loses nothing. Schemathesis found this (tests/security).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models


def timestamps_in_utc(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """pre_save: convert aware datetimes of a NeedleRx model to UTC."""
    if not sender.__module__.startswith("needlerx."):
        return
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            value = getattr(instance, field.attname)
            if isinstance(value, dt.datetime) and value.utcoffset() not in (None, dt.timedelta(0)):
                setattr(instance, field.attname, value.astimezone(dt.UTC))
