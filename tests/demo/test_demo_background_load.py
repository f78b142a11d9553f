"""The demo load made in a second process (``needlerx demo`` above one batch) writes the very
records the load made in one process writes, its seals verify, and it leaves the database
connection as it found it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from needlerx.demo import generator
from needlerx.demo.bulk import made_in_background
from needlerx.instruments.models import InstrumentResponse
from needlerx.patients.models import Patient
from needlerx.treatments.models import NeedlingEntry, TreatmentSession
from needlerx.treatments.selectors import note_seal_verify


def _loaded(background: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(generator, "BATCH_SIZE", 3)  # 7 patients: three batches
    staff = generator.create_demo_network()
    assert generator.load_patients(staff, 7, seed=11, background=background) == 7
    sessions = TreatmentSession.objects.order_by("public_id")
    return {
        "patients": list(
            Patient.objects.order_by("public_id").values_list(
                "public_id", "medical_record_number", "family_name", "date_of_birth"
            )
        ),
        "seals": list(sessions.values_list("public_id", "signed_content_hash")),
        "entries": list(
            NeedlingEntry.objects.order_by("public_id").values_list(
                "public_id", "session__public_id", "muscle", "max_depth_mm", "paired_with__muscle"
            )
        ),
        "measures": list(
            InstrumentResponse.objects.order_by("public_id").values_list(
                "public_id", "episode__public_id", "instrument", "score", "responses"
            )
        ),
    }


def test_a_load_made_in_a_second_process_writes_what_one_process_writes(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    made_apart = _loaded(True, monkeypatch)
    signed = TreatmentSession.objects.exclude(signed_at=None).select_related(
        "episode", "patient", "clinician"
    )
    assert signed.exists()
    assert all(note_seal_verify(session)["ok"] for session in signed)
    call_command("flush", "--no-input")

    assert _loaded(False, monkeypatch) == made_apart
    assert made_apart["seals"] and made_apart["entries"] and made_apart["measures"]


def test_a_failure_making_a_batch_is_raised_where_the_batches_are_written(
    transactional_db: None,
) -> None:
    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("no such muscle")

    made = made_in_background(failing())
    assert next(made) == 1
    with pytest.raises(RuntimeError, match="ValueError: no such muscle"):
        next(made)


def test_a_batch_maker_that_dies_is_an_error_not_a_hang(transactional_db: None) -> None:
    def dying() -> Iterator[int]:
        yield 1
        os._exit(9)  # as when the system kills it for memory

    with pytest.raises(RuntimeError, match="exit code 9"):
        list(made_in_background(dying()))  # what it made last may die with it


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_a_load_leaves_the_sqlite_settings_as_it_found_them(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def settings() -> tuple[int, int]:
        with connection.cursor() as cursor:
            synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
            cache_size = cursor.execute("PRAGMA cache_size").fetchone()[0]
        return int(synchronous), int(cache_size)

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA cache_size=-3000")
    before = settings()
    _loaded(True, monkeypatch)
    assert settings() == before == (2, -3000)
