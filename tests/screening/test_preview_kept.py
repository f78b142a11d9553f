"""The screen of the whole catalogue (what a draft note's body chart and the screen page draw) is
worked out once for a record and reused while the record is the same; any change of the record
is screened afresh, so what is drawn is never out of date. (Two patients with the same facts
share a screen: it reads no name, only the facts.)"""

from __future__ import annotations

from needlerx.patients import services as patients
from needlerx.screening import selectors
from needlerx.screening.selectors import screening_preview
from tests.personas import World
from tests.treatments.helpers import answer_required_questions


def _screened() -> int:
    return selectors._whole_catalogue_screen.cache_info().misses


def test_the_same_record_is_screened_once_and_a_changed_record_again(world: World) -> None:
    patient = world.patient(clinic=world.clinic_a, mrn="KEPT-1")
    episode = world.episode(patient)
    answer_required_questions(world.alice, patient)

    first = screening_preview(user=world.alice, episode=episode, technique="static")
    screened = _screened()  # this record's screen is kept now (an earlier test may have made it)
    again = screening_preview(user=world.alice, episode=episode, technique="static")
    assert _screened() == screened
    assert again.result == first.result and again.digest == first.digest
    assert not first.blocks_every_muscle

    patients.history_fact_record(
        actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True
    )
    changed = screening_preview(user=world.alice, episode=episode, technique="static")
    assert changed.digest != first.digest
    assert changed.result["decision"] == "refer" and first.result["decision"] != "refer"
    electrical = screening_preview(user=world.alice, episode=episode, technique="electrical")
    assert electrical.digest == changed.digest and electrical.result != changed.result


def test_each_preview_gets_its_own_copy_of_the_result(world: World) -> None:
    patient = world.patient(clinic=world.clinic_a, mrn="KEPT-2")
    episode = world.episode(patient)
    answer_required_questions(world.alice, patient)
    first = screening_preview(user=world.alice, episode=episode, technique="static")
    first.result["muscles"].clear()  # a page that changed what it was given
    again = screening_preview(user=world.alice, episode=episode, technique="static")
    assert again.result["muscles"]
