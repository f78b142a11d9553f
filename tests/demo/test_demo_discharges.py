"""The demo discharges the episodes whose course ended (a discharge visit past), as a clinic
does: the dashboard then counts completed episodes, and no discharged episode has a draft note
or an appointment to come."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from needlerx.demo import generator
from needlerx.instruments.models import InstrumentResponse
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.scheduling.models import Appointment
from needlerx.treatments.models import TreatmentSession


def test_an_ended_course_is_a_discharged_episode_and_nothing_is_left_open_on_it(db):
    staff = generator.create_demo_network()
    generator.load_patients(staff, 40, seed=9)
    discharged = Episode.objects.filter(status=EpisodeStatus.DISCHARGED)
    assert discharged.exists() and Episode.objects.filter(status=EpisodeStatus.OPEN).exists()
    # The global rating of change is asked at discharge, and only there.
    rated = set(
        InstrumentResponse.objects.filter(instrument="groc").values_list("episode_id", flat=True)
    )
    assert rated == set(discharged.values_list("pk", flat=True))
    last_visits = dict(
        TreatmentSession.objects.values("episode")
        .annotate(last=Max("started_at"))
        .values_list("episode", "last")
    )
    for episode in discharged.select_related("patient__clinic"):
        assert episode.discharged_on is not None
        if episode.pk in last_visits:
            assert episode.discharged_on > timezone.localtime(last_visits[episode.pk]).date()
    drafts = TreatmentSession.objects.filter(signed_at__isnull=True, episode__in=discharged)
    assert not drafts.exists()
    only_discharged = {e.patient_id for e in discharged} - set(
        Episode.objects.filter(status=EpisodeStatus.OPEN).values_list("patient_id", flat=True)
    )
    assert not Appointment.objects.filter(
        patient_id__in=only_discharged, starts_at__gt=timezone.now()
    ).exists()
