"""What single reads cost through Django's ORM, beside the bare page of the same run: the floor
under a page's ratio.

A page pays the bare page, then for each list it shows about one "list of 20 joined rows", for
each total about one "count on an index", plus its template. The clinic home shows seven lists
and six totals, a patient page ten to fifteen reads: with these costs measured in the same run,
one can tell how far a page's ratio can fall while it reads its rows through the ORM.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.subject import Subject

SHOWN_SESSION_FIELDS = ("public_id", "started_at", "patient__given_name", "patient__family_name")


@dataclass(frozen=True)
class ReadTiming:
    name: str
    median_ms: float
    ratio: float  # median over the bare signed-in page's median, in the same run


def _reads(subject: Subject) -> dict[str, Callable[[], Any]]:
    from needlerx.treatments.models import TreatmentSession

    sessions = TreatmentSession.objects.filter(clinic_id=subject.patient.clinic_id).order_by(
        "-started_at"
    )
    return {
        "a list of 20 rows joined to their patients (ORM objects)": lambda: list(
            sessions.select_related("patient").only(*SHOWN_SESSION_FIELDS)[:20]
        ),
        "the same list as plain values": lambda: list(sessions.values(*SHOWN_SESSION_FIELDS)[:20]),
        "a count on an index": lambda: sessions.filter(signed_at__isnull=True).count(),
        "one row by its key": lambda: (
            TreatmentSession.objects.filter(pk=subject.session.pk).only("public_id").first()
        ),
    }


def time_reads(subject: Subject, baseline_ms: float, repeat: int) -> list[ReadTiming]:
    """Each read timed ``repeat`` times in rounds, as a ratio to the bare page's median."""
    reads = _reads(subject)
    for read in reads.values():
        read()  # warm
    samples: dict[str, list[float]] = {name: [] for name in reads}
    for _ in range(repeat):
        for name, read in reads.items():
            started = time.perf_counter()
            read()
            samples[name].append(time.perf_counter() - started)
    timings = []
    for name, taken in samples.items():
        median_ms = statistics.median(taken) * 1000
        timings.append(ReadTiming(name, median_ms, median_ms / baseline_ms))
    return timings
