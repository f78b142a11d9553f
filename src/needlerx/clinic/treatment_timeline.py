"""Timeline entries from the treatment record (consents, sessions, adverse events, measures).

Filled in as the treatments and instruments apps land; until then it adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from needlerx.patients.models import Patient

if TYPE_CHECKING:
    from needlerx.clinic.timeline import TimelineEntry


def entries(patient: Patient) -> Iterable[TimelineEntry]:
    return ()
