"""`needlerx backup` and `needlerx restore` round-trip on this run's database (SQLite or
PostgreSQL), through the real command line in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

COUNT = (
    "import django; django.setup(); "
    "from needlerx.patients.models import Patient; print(Patient.objects.count())"
)


@pytest.fixture
def environment(tmp_path: Path, db: None) -> Iterator[dict[str, str]]:
    """A fresh, empty database of this run's kind, for the subprocesses."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEEDLERX_")}
    env["NEEDLERX_DATA_DIR"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "needlerx.settings"
    env.pop("DATABASE_URL", None)
    if connection.vendor != "postgresql":
        yield env
        return
    name = f"needlerx_backup_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    yield env
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def needlerx(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "needlerx.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def patients(env: dict[str, str]) -> int:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", COUNT], env=env, capture_output=True, text=True, check=True
    )
    return int(result.stdout.strip())


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_exactly_the_backed_up_records(environment, tmp_path):
    env = environment
    assert needlerx(env, "demo", "--no-serve", "--patients", "4").returncode == 0
    backup = tmp_path / ("copy.sqlite3" if connection.vendor == "sqlite" else "copy.pgdump")
    made = needlerx(env, "backup", "--output", str(backup))
    assert made.returncode == 0, made.stderr
    assert backup.stat().st_size > 0
    assert needlerx(env, "demo", "--no-serve", "--patients", "3", "--seed", "99").returncode == 0
    assert patients(env) == 7

    refused = needlerx(env, "restore", str(backup))
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert patients(env) == 7

    restored = needlerx(env, "restore", str(backup), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Audit trail intact" in restored.stdout
    assert patients(env) == 4
    verify = needlerx(env, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    if connection.vendor == "sqlite":
        damaged = tmp_path / "damaged.sqlite3"
        data = bytearray(backup.read_bytes())
        data[5000:9000] = b"\xff" * 4000
        damaged.write_bytes(bytes(data))
        refused = needlerx(env, "restore", str(damaged), "--yes")
        assert refused.returncode == 2, refused.stderr
        assert "integrity" in refused.stderr
        assert patients(env) == 4
