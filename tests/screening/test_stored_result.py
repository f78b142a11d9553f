"""A screen's result is stored once, keyed by the digest of what it says, however many runs said
it; each run reads it back unchanged, nothing can change or remove it, and the migration moves
every earlier run's result into the stored results (and back, reversed)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.db import connection

from needlerx.core.errors import ApplicationError
from needlerx.patients.services import history_fact_record
from needlerx.screening import services
from needlerx.screening.digest import result_digest
from needlerx.screening.models import ScreeningRun, StoredResult
from tests.personas import World
from tests.schema_travel import migrate_to

PLAN = [{"muscle": "gluteus_medius", "side": "left", "technique": "static"}]
BEFORE = [("screening", "0007_drop_indexes_another_index_serves")]


def _screened_twice_then_changed(world: World) -> list[ScreeningRun]:
    """Two screens of the same record (the same result), then one after the record changed."""
    patient = world.patient()
    episode = world.episode(patient)
    world.evaluate(patient)
    same = [services.screening_run(actor=world.alice, episode=episode, plan=PLAN) for _ in "ab"]
    history_fact_record(actor=world.alice, patient=patient, fact="cauda_equina_signs", value=True)
    changed = services.screening_run(actor=world.alice, episode=episode, plan=PLAN)
    return [*same, changed]


def test_runs_that_said_the_same_share_one_stored_result(world: World) -> None:
    first, second, changed = _screened_twice_then_changed(world)
    assert first.stored_result_id == second.stored_result_id != changed.stored_result_id
    assert StoredResult.objects.count() == 2
    again = {run.pk: run for run in ScreeningRun.objects.select_related("stored_result")}
    assert again[first.pk].result == again[second.pk].result
    assert again[first.pk].result["decision"] == "proceed"
    assert again[changed.pk].result["decision"] == "refer"
    assert again[changed.pk].decision == "refer"


def test_a_stored_result_is_keyed_by_the_sha256_of_its_canonical_json(world: World) -> None:
    _screened_twice_then_changed(world)
    for stored in StoredResult.objects.all():
        text = json.dumps(stored.body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert stored.digest == hashlib.sha256(text.encode()).hexdigest()
        assert stored.digest == result_digest(stored.body)


def test_a_stored_result_cannot_be_changed_or_removed(world: World) -> None:
    _screened_twice_then_changed(world)
    stored = StoredResult.objects.first()
    assert stored is not None
    said = stored.body
    stored.body = {**said, "decision": "do_not_needle"}
    with pytest.raises(ApplicationError):
        stored.save()
    with pytest.raises(ApplicationError):
        stored.delete()
    with pytest.raises(ApplicationError):
        StoredResult.objects.update(body={})
    with pytest.raises(ApplicationError):
        StoredResult.objects.all().delete()
    assert StoredResult.objects.get(pk=stored.pk).body == said
    assert StoredResult.objects.count() == 2


def _copies_in_the_runs() -> dict[int, Any]:
    """Each run's own copy of its result, as the schema before stored it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, result FROM screening_screeningrun")
        rows = cursor.fetchall()
    return {pk: json.loads(text) if isinstance(text, str) else text for pk, text in rows}


@pytest.mark.django_db(transaction=True)
def test_the_migration_stores_each_earlier_result_once_and_gives_it_back_reversed(
    world: World, at_the_latest_schema: Any
) -> None:
    runs = _screened_twice_then_changed(world)
    said = {run.pk: run.result for run in runs}
    migrate_to(BEFORE)  # reversed: each run has its own copy again
    assert _copies_in_the_runs() == said
    migrate_to()
    stored = {run.pk: run for run in ScreeningRun.objects.select_related("stored_result")}
    assert {pk: run.result for pk, run in stored.items()} == said
    assert StoredResult.objects.count() == 2
    assert len({run.stored_result_id for run in stored.values()}) == 2
