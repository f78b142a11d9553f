"""The demo's outcome trajectories: scored by the core, deterministic, and telling a true story
(some episodes improve, some do not)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from needlerx.demo import generator
from needlerx.demo.outcomes import course_for, measures_for
from needlerx.instruments.models import InstrumentResponse
from needlerx.instruments.progress import episode_outcome_summary
from needlerx.patients.models import Episode


def test_demo_patients_get_scored_trajectories_with_responders_and_non_responders(db):
    staff = generator.create_demo_network()
    generator.load_patients(staff, 30, seed=7)
    stored = InstrumentResponse.objects.all()
    assert set(stored.values_list("instrument", flat=True)) >= {
        "nprs",
        "ndi",
        "ppt",
        "rom",
        "spasm",
        "medication",
    }
    assert not stored.filter(score__isnull=False, unit="").exists()
    first = Episode.objects.order_by("id").first()
    assert first is not None
    nprs = stored.filter(episode=first, instrument="nprs")
    assert nprs.count() >= 2 and nprs.first() is not None
    statuses: Counter[str] = Counter()
    for row in staff:
        for episode in Episode.objects.filter(patient__clinic=row.clinic):
            found = episode_outcome_summary(user=row.clinician, episode_id=episode.public_id)
            statuses.update(benefit.status for benefit in found.summary.benefits)
    assert statuses["improved"] > 0 and statuses["not_improved"] > 0


def test_the_same_episode_gets_the_same_measures():
    episode = Episode(regions=["lumbar"], opened_on=timezone.localdate() - dt.timedelta(days=90))
    now = timezone.now()
    visits = [now - dt.timedelta(days=80 - 4 * n) for n in range(8)]
    first = measures_for(course_for(episode, list(visits), now, 12345), [], None)
    again = measures_for(course_for(episode, list(visits), now, 12345), [], None)
    other = measures_for(course_for(episode, list(visits), now, 54321), [], None)
    assert first == again != other
    instruments = {instrument for _, instrument, _ in first}
    assert instruments & {"odi", "rmdq"} and "ndi" not in instruments
    assert "groc" in instruments  # the course is complete: discharged with a GROC
