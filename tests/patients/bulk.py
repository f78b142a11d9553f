"""Many patients in one bulk insert, for tests that need a clinic's numbers in the thousands."""

from __future__ import annotations

import datetime as dt

from needlerx.accounts.models import Clinic
from needlerx.patients.models import Patient


def bulk_patients(clinic: Clinic, count: int, prefix: str) -> None:
    """``count`` patients of ``clinic``, MRNs ``<prefix>-0000`` on, family names Family0 on."""
    Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            medical_record_number=f"{prefix}-{number:04d}",
            given_name="Sam",
            family_name=f"Family{number}",
            date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=number),
        )
        for number in range(count)
    )
