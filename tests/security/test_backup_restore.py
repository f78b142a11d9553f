"""`needlerx backup` and `needlerx restore` round-trip on this run's database (SQLite or
PostgreSQL), through the real command line in subprocesses."""

from __future__ import annotations

import json
import os
import sqlite3
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


def _newest_event(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import django, json; django.setup(); "
        "from needlerx.audit.models import AuditEvent; "
        "e = AuditEvent.objects.order_by('-sequence').first(); "
        "print(json.dumps({'action': e.action, 'detail': e.detail, "
        "'sequence': e.sequence, 'hash': e.content_hash}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    event: dict[str, object] = json.loads(result.stdout)
    return event


@pytest.mark.django_db(transaction=True)
def test_a_restore_keeps_a_safety_backup_and_records_the_replaced_head(environment, tmp_path):
    env = environment
    assert needlerx(env, "demo", "--no-serve", "--patients", "2").returncode == 0
    backup = tmp_path / ("copy.sqlite3" if connection.vendor == "sqlite" else "copy.pgdump")
    assert needlerx(env, "backup", "--output", str(backup)).returncode == 0
    assert needlerx(env, "demo", "--no-serve", "--patients", "3", "--seed", "5").returncode == 0
    replaced = _newest_event(env)

    restored = needlerx(env, "restore", str(backup), "--yes")
    assert restored.returncode == 0, restored.stderr
    event = _newest_event(env)
    assert event["action"] == "backup.restore"
    detail = event["detail"]
    assert isinstance(detail, dict)
    assert detail["replaced_head"] == f"#{replaced['sequence']} {replaced['hash']}"
    safety = tmp_path / "backups" / str(detail["safety_backup"])
    assert safety.name.endswith("-before-restore" + backup.suffix)
    assert f"Safety backup of the replaced data: {safety}" in restored.stdout
    assert oct(safety.stat().st_mode & 0o777) == oct(0o600)
    assert patients(env) == 2

    undo = needlerx(env, "restore", str(safety), "--yes")  # the safety backup undoes it
    assert undo.returncode == 0, undo.stderr
    assert patients(env) == 5
    assert needlerx(env, "audit", "verify").returncode == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite files made by hand")
@pytest.mark.parametrize("kind", ["foreign SQLite", "newer schema", "older schema"])
def test_restore_refuses_a_file_that_is_not_a_backup_of_this_schema(environment, tmp_path, kind):
    env = environment
    assert needlerx(env, "demo", "--no-serve", "--patients", "2").returncode == 0
    candidate = tmp_path / "candidate.sqlite3"
    if kind == "foreign SQLite":
        with sqlite3.connect(candidate) as foreign:
            foreign.execute("CREATE TABLE notes(x)")
    else:
        assert needlerx(env, "backup", "--output", str(candidate)).returncode == 0
        with sqlite3.connect(candidate) as copy:
            if kind == "newer schema":
                copy.execute(
                    "INSERT INTO django_migrations (app, name, applied) "
                    "VALUES ('patients', '9999_from_the_future', '2030-01-01')"
                )
            else:
                copy.execute("DELETE FROM django_migrations WHERE app = 'patients'")
    backups_before = (
        sorted((tmp_path / "backups").glob("*")) if (tmp_path / "backups").exists() else []
    )
    before = _newest_event(env)

    refused = needlerx(env, "restore", str(candidate), "--yes")
    assert refused.returncode == 2, (refused.stdout, refused.stderr)
    expected = {
        "foreign SQLite": "is not a NeedleRx backup",
        "newer schema": "made by a newer NeedleRx",
        "older schema": "made by an older NeedleRx",
    }[kind]
    assert expected in refused.stderr
    assert "Traceback" not in refused.stderr
    assert patients(env) == 2
    assert _newest_event(env) == before  # nothing written, no safety backup taken
    assert sorted(tmp_path.glob("backups/*")) == backups_before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_not_a_database_backup_at_all(environment, tmp_path):
    env = environment
    assert needlerx(env, "demo", "--no-serve", "--patients", "2").returncode == 0
    candidate = tmp_path / "candidate.zip"
    candidate.write_bytes(b"PK\x03\x04 a zip file, say" * 100)
    before = _newest_event(env)
    refused = needlerx(env, "restore", str(candidate), "--yes")
    assert refused.returncode == 2, (refused.stdout, refused.stderr)
    assert "is not a NeedleRx backup" in refused.stderr
    assert patients(env) == 2
    assert _newest_event(env) == before
    assert list(tmp_path.glob("backups/*")) == []
