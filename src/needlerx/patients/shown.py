"""What lists of records (sessions, screens, follow-ups, appointments) show of a patient, read
as plain values: building model objects for a page of rows cost a list more than its SQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from needlerx.patients.models import full_name_of


@dataclass(frozen=True)
class ShownPatient:
    """A patient in a list: a link to the record, by name (and MRN where the list shows it)."""

    public_id: uuid.UUID
    given_name: str
    family_name: str
    medical_record_number: str = ""

    @property
    def full_name(self) -> str:
        return full_name_of(self.given_name, self.family_name)


def shown_patient(row: dict[str, Any], prefix: str = "patient__") -> ShownPatient:
    """The patient of a ``values()`` row whose patient columns are named ``<prefix><field>``."""
    return ShownPatient(
        row[f"{prefix}public_id"],
        row[f"{prefix}given_name"],
        row[f"{prefix}family_name"],
        row.get(f"{prefix}medical_record_number", ""),
    )
