"""The database, its backups and the keys are readable by the service account only (review L1).

A fresh data directory is set up by the real command line under a permissive umask (0022, the
usual default, and 0000): the data directory and the backup directory are 0700; the SQLite
database (with its -wal and -shm files), the secret key, the audit key and every backup are 0600.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from needlerx.private_files import create_private_file, private_directory, private_file

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def needlerx(data: Path, umask: int, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEEDLERX_")}
    env.pop("DATABASE_URL", None)
    env.update(NEEDLERX_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="needlerx.settings")
    return subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "needlerx.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: os.umask(umask),
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite files in the data directory")
@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_a_new_data_directory_and_its_files_are_for_the_service_account_only(tmp_path, umask):
    data = tmp_path / "data"
    migrated = needlerx(data, umask, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr
    backup = needlerx(data, umask, "backup")
    assert backup.returncode == 0, backup.stderr
    elsewhere = tmp_path / "offsite" / "copy.sqlite3"
    copied = needlerx(data, umask, "backup", "--output", str(elsewhere))
    assert copied.returncode == 0, copied.stderr

    backups = sorted((data / "backups").iterdir())
    assert len(backups) == 1
    directories = {data: 0o700, data / "backups": 0o700, elsewhere.parent: 0o700}
    files = [data / "secret_key", data / "audit_key", data / "needlerx.sqlite3", *backups]
    files += [
        data / f"needlerx.sqlite3{s}"
        for s in ("-wal", "-shm")
        if (data / f"needlerx.sqlite3{s}").exists()
    ]
    files.append(elsewhere)
    found = {str(p.relative_to(tmp_path)): oct(mode(p)) for p in [*directories, *files]}
    expected = {str(p.relative_to(tmp_path)): oct(m) for p, m in directories.items()}
    expected |= {str(p.relative_to(tmp_path)): oct(0o600) for p in files}
    assert found == expected
    every_file = [p for p in data.rglob("*") if p.is_file() and "static" not in p.parts]
    assert {oct(mode(p)) for p in every_file} == {oct(0o600)}, every_file  # -wal, -shm too


def test_a_backup_never_overwrites_a_file(tmp_path):
    from needlerx.core.errors import ApplicationError
    from needlerx.ops.backups import new_backup_file

    target = tmp_path / "copy.sqlite3"
    target.write_text("precious")
    with pytest.raises(ApplicationError) as caught:
        new_backup_file(target)
    assert caught.value.field == "output"
    assert target.read_text() == "precious"


def test_existing_files_and_directories_of_the_service_account_are_tightened(tmp_path):
    """An installation from before this change: a 0644 database in a 0755 data directory."""
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    database = data / "needlerx.sqlite3"
    database.write_text("")
    database.chmod(0o644)
    private_file(private_directory(data) / "needlerx.sqlite3")
    assert (oct(mode(data)), oct(mode(database))) == (oct(0o700), oct(0o600))


def test_a_private_file_is_created_with_its_mode_and_never_replaces_one(tmp_path):
    previous = os.umask(0)
    try:
        key = create_private_file(tmp_path / "audit_key", "k" * 40)
    finally:
        os.umask(previous)
    assert oct(mode(key)) == oct(0o600)
    with pytest.raises(FileExistsError):
        create_private_file(key, "another")
    assert key.read_text() == "k" * 40


def test_a_key_is_published_whole_and_never_replaces_one(tmp_path):
    from needlerx.private_files import publish_private_file

    key = publish_private_file(tmp_path / "secret_key", "first")
    with pytest.raises(FileExistsError):
        publish_private_file(key, "second")
    assert key.read_text() == "first"
    assert oct(mode(key)) == oct(0o600)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # no draft left
