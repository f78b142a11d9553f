"""The appointment types and their default lengths, read from ``data/appointment_types.yaml``.

A data file rather than a table: the four types and their lengths are the clinic's defaults, read
by every booking, reviewed like code and changed without a migration. An appointment stores its
type's id and its own end time, so a later change of a length never moves a booked appointment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from needlerx.clinical.yaml_data import yaml_load
from needlerx.core.errors import ApplicationError

DATA_FILE = Path(__file__).parent / "data" / "appointment_types.yaml"
FIELDS = {"id", "label", "minutes"}


@dataclass(frozen=True)
class AppointmentType:
    id: str
    label: str
    minutes: int

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.minutes)


@cache
def appointment_types() -> tuple[AppointmentType, ...]:
    """Every type, in the order the booking form offers them; a malformed file fails loudly."""
    entries = yaml_load(DATA_FILE.read_text(encoding="utf-8"))["types"]
    types = []
    for entry in entries:
        if set(entry) != FIELDS:
            raise ValueError(f"{DATA_FILE.name}: each type has exactly {sorted(FIELDS)}: {entry}")
        minutes = entry["minutes"]
        if not isinstance(minutes, int) or not 5 <= minutes <= 480:
            raise ValueError(f"{DATA_FILE.name}: {entry['id']} minutes must be 5 to 480")
        types.append(AppointmentType(id=entry["id"], label=entry["label"], minutes=minutes))
    return tuple(types)


def appointment_type_ids() -> list[str]:
    return [kind.id for kind in appointment_types()]


def appointment_type_get(type_id: str, *, field: str = "appointment_type") -> AppointmentType:
    for kind in appointment_types():
        if kind.id == type_id:
            return kind
    allowed = ", ".join(appointment_type_ids())
    raise ApplicationError(f"must be one of {allowed} (got {type_id!r})", field=field)


def appointment_type_label(type_id: str) -> str:
    for kind in appointment_types():
        if kind.id == type_id:
            return kind.label
    return type_id.replace("_", " ").capitalize()
