"""Each stored screen names its patient's clinic (what the clinic home reads a clinic's screens
by): a screen run by a clinician gets it, another clinic's home never shows it, and the migration
that added the column gives every earlier screen its patient's clinic."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from needlerx.patients import services as patients
from needlerx.screening.models import ScreeningRun
from needlerx.screening.services import screening_run
from tests.personas import World
from tests.schema_travel import migrate_to
from tests.treatments.helpers import UPPER_TRAPEZIUS, answer_required_questions

BEFORE = [("screening", "0005_screen_alerts_index")]


def _referred(world: World, clinic: Any, mrn: str) -> ScreeningRun:
    """A screen that refers the patient on (a red flag), in ``clinic``."""
    patient = world.patient(clinic=clinic, mrn=mrn, given_name=mrn)
    actor = world.alice if clinic == world.clinic_a else world.bob
    episode = world.episode(patient)
    answer_required_questions(actor, patient)
    patients.history_fact_record(
        actor=actor, patient=patient, fact="cauda_equina_signs", value=True
    )
    run = screening_run(actor=actor, episode=episode, plan=[UPPER_TRAPEZIUS])
    assert run.decision == "refer"
    return run


def test_a_screen_names_its_patients_clinic_and_only_that_clinics_home_shows_it(
    client: Client, world: World
) -> None:
    in_a = _referred(world, world.clinic_a, "Ann")
    in_b = _referred(world, world.clinic_b, "Ben")
    assert (in_a.clinic, in_b.clinic) == (world.clinic_a, world.clinic_b)
    client.force_login(world.bob)
    html = client.get(reverse("home")).content.decode()
    # by the patients' ids, which no other text on the page (a CSRF token, say) can contain
    assert str(in_b.patient.public_id) in html
    assert str(in_a.patient.public_id) not in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_earlier_screen_its_patients_clinic(
    world: World, at_the_latest_schema: Any
) -> None:
    runs = [_referred(world, world.clinic_a, "Ann"), _referred(world, world.clinic_b, "Ben")]
    migrate_to(BEFORE)  # the column is gone, with what it held
    migrate_to()
    stored = dict(ScreeningRun.objects.values_list("pk", "clinic_id"))
    assert stored == {run.pk: run.patient.clinic_id for run in runs}
    assert set(stored.values()) == {world.clinic_a.pk, world.clinic_b.pk}
