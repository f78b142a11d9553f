"""The demo load in batches: the same seed gives the same records, its seals verify, and the
SQLite settings it changes while writing are restored."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from needlerx.demo import generator
from needlerx.instruments.models import FirstAndLatestScore, InstrumentResponse
from needlerx.patients.models import HistoryFact, Patient
from needlerx.treatments.models import NeedledSession, NeedlingEntry, TreatmentSession
from needlerx.treatments.selectors import note_seal_verify


def _loaded(monkeypatch: pytest.MonkeyPatch, workers: int = 1) -> dict[str, Any]:
    monkeypatch.setattr(generator, "BATCH_SIZE", 3)  # 7 patients: three batches
    staff = generator.create_demo_network()
    assert generator.load_patients(staff, 7, seed=11, workers=workers) == 7
    sessions = TreatmentSession.objects.order_by("public_id")
    return {
        "patients": list(
            Patient.objects.order_by("public_id").values_list(
                "pk", "public_id", "medical_record_number", "family_name", "date_of_birth"
            )
        ),
        "seals": list(
            sessions.values_list(
                "pk", "episode_id", "safety_screen_id", "public_id", "signed_content_hash"
            )
        ),
        "entries": list(
            NeedlingEntry.objects.order_by("public_id").values_list(
                "pk",
                "session_id",
                "paired_with_id",
                "public_id",
                "session__public_id",
                "muscle",
                "max_depth_mm",
                "paired_with__muscle",
            )
        ),
        "facts": list(HistoryFact.objects.order_by("pk").values_list("pk", "patient_id", "fact")),
        "needled": list(
            NeedledSession.objects.order_by("pk").values_list("pk", "session_id", "started_at")
        ),
        "first_and_latest": sorted(
            FirstAndLatestScore.objects.values_list(
                "episode_id", "instrument", "first_score", "latest_score"
            ),
            key=str,
        ),
        # Measures answered at home go through the services, whose ids are random: compared by
        # what they hold.
        "measures": sorted(
            InstrumentResponse.objects.values_list(
                "episode_id", "episode__public_id", "instrument", "taken_at", "score"
            ),
            key=str,
        ),
    }


def test_the_same_seed_loads_the_same_records_and_the_seals_verify(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _loaded(monkeypatch)
    signed = TreatmentSession.objects.exclude(signed_at=None).select_related(
        "episode", "patient", "clinician"
    )
    assert signed.exists()
    assert all(note_seal_verify(session)["ok"] for session in signed)
    call_command("flush", "--no-input")

    assert _loaded(monkeypatch) == first
    assert first["seals"] and first["entries"] and first["measures"]


def test_batches_prepared_in_worker_processes_load_the_same_rows_with_the_same_ids(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_one_process = _loaded(monkeypatch, workers=1)
    call_command("flush", "--no-input")

    assert _loaded(monkeypatch, workers=2) == in_one_process
    signed = TreatmentSession.objects.exclude(signed_at=None).select_related(
        "episode", "patient", "clinician"
    )
    assert signed.exists()
    assert all(note_seal_verify(session)["ok"] for session in signed)


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
    _loaded(monkeypatch)
    assert settings() == before == (2, -3000)
