"""The demo discharges the episodes whose course ended (a discharge visit past), as a clinic
does: the dashboard then counts completed episodes, and no discharged episode has a draft note
or an appointment to come."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from needlerx.core.local import zone_named
from needlerx.demo import generator
from needlerx.instruments.models import InstrumentResponse
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.scheduling.models import Appointment
from needlerx.treatments.models import CarePlan, TreatmentSession


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


def test_a_plan_of_care_is_dated_within_its_episode(db):
    """A demo plan was written at the evaluation and last changed at the course's last visit
    (when its re-evaluation date was set), not on the day the demo was loaded."""
    staff = generator.create_demo_network()
    generator.load_patients(staff, 30, seed=4)
    loaded = timezone.now()
    last_visits = dict(
        TreatmentSession.objects.values("episode")
        .annotate(last=Max("started_at"))
        .values_list("episode", "last")
    )
    plans = CarePlan.objects.select_related("episode__patient__clinic")
    assert plans.exists()
    for plan in plans:
        episode = plan.episode
        zone = zone_named(episode.patient.clinic.time_zone)
        assert plan.created_at.astimezone(zone).date() == episode.opened_on
        assert plan.created_at <= plan.updated_at <= loaded
        if episode.pk in last_visits:  # set at the last visit (or now, when one is under way)
            assert plan.updated_at >= last_visits[episode.pk]
        if episode.discharged_on is not None:
            assert plan.updated_at.astimezone(zone).date() < episode.discharged_on
