"""Backups and restores of the whole database: SQLite's online backup API, or PostgreSQL's
pg_dump/pg_restore (custom format). Used by ``needlerx backup`` and ``needlerx restore``.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from needlerx.core.errors import ApplicationError
from needlerx.private_files import create_private_file, private_directory


def database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def vendor() -> str:
    return str(connections["default"].vendor)


def default_backup_directory() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def default_backup_path(stamp: str) -> Path:
    suffix = "sqlite3" if vendor() == "sqlite" else "pgdump"
    return default_backup_directory() / f"needlerx-{stamp}.{suffix}"


def new_backup_file(target: Path) -> Path:
    """An empty file for a backup, readable by the service account only (0600) from the start;
    the data directory's backup folder is 0700, and so is any folder created for ``--output``.
    A file that exists already is refused, never overwritten."""
    if target.parent == default_backup_directory() or not target.parent.exists():
        private_directory(target.parent)
    try:
        return create_private_file(target)
    except FileExistsError:
        raise ApplicationError(
            f"{target} already exists; choose another file", field="output"
        ) from None


def _integrity(path: Path) -> str:
    try:
        with sqlite3.connect(path) as check:
            return str(check.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as error:
        return str(error)


def sqlite_backup(target: Path) -> None:
    """Copy the live database page by page while others keep writing (online backup API)."""
    source = sqlite3.connect(database()["NAME"], timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    if _integrity(target) != "ok":
        raise ApplicationError("the backup failed its integrity check", field="output")


# Tables every NeedleRx database has: a file without them is not a NeedleRx backup.
NEEDLERX_TABLES = frozenset(
    {"django_migrations", "audit_auditevent", "accounts_clinic", "patients_patient"}
)
Migration = tuple[str, str]


def live_migrations() -> set[Migration]:
    """The migrations applied to the live database (its schema)."""
    return set(MigrationRecorder(connections["default"]).applied_migrations())


def _sqlite_backup_migrations(backup: Path) -> set[Migration]:
    not_ours = "is not a NeedleRx backup"
    try:
        with sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True) as source:
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
            missing = NEEDLERX_TABLES - tables
            if missing:
                raise ApplicationError(f"{not_ours} (no table {sorted(missing)[0]})", field="file")
            rows = source.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as error:
        raise ApplicationError(f"{not_ours} ({error})", field="file") from None
    return {(str(app), str(name)) for app, name in rows}


def _postgres_backup_migrations(backup: Path) -> set[Migration]:
    """The rows of django_migrations in a pg_dump custom-format file (read with pg_restore)."""
    tool = postgres_tool("pg_restore")
    result = subprocess.run(  # noqa: S603 - fixed tool, the file named by the operator
        [tool, "--data-only", "--table=django_migrations", "--file=-", str(backup)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("COPY ")), None)
    if result.returncode != 0 or start is None or "django_migrations" not in lines[start]:
        raise ApplicationError("is not a NeedleRx backup (no django_migrations)", field="file")
    rows = [line.split("\t") for line in lines[start + 1 :] if line != "\\."]
    return {(row[1], row[2]) for row in rows if len(row) >= 3}


def require_compatible_backup(backup: Path) -> None:
    """Refuse anything but a NeedleRx backup whose schema (applied migrations) is the live
    database's: a foreign file, or one made by an older or newer NeedleRx."""
    if vendor() == "sqlite":
        integrity = _integrity(backup)
        if integrity == "file is not a database":
            raise ApplicationError(f"is not a NeedleRx backup ({integrity})", field="file")
        if integrity != "ok":
            raise ApplicationError("is damaged: it fails SQLite's integrity check", field="file")
        recorded = _sqlite_backup_migrations(backup)
    else:
        recorded = _postgres_backup_migrations(backup)
    live = live_migrations()
    newer, older = sorted(recorded - live), sorted(live - recorded)
    if newer or older:
        which = "a newer" if newer else "an older"
        example = "/".join((newer or older)[0])
        raise ApplicationError(
            f"was made by {which} NeedleRx (schema differs: {len(newer) + len(older)} "
            f"migrations, e.g. {example}); restore it with the NeedleRx version that made it",
            field="file",
        )


def sqlite_restore(backup: Path) -> None:
    """Replace the live database's contents with the backup's, in one step."""
    if _integrity(backup) != "ok":
        raise ApplicationError("is damaged: it fails SQLite's integrity check", field="file")
    connections.close_all()
    source = sqlite3.connect(backup)
    live = sqlite3.connect(database()["NAME"], timeout=30)
    try:
        source.backup(live)
    finally:
        live.close()
        source.close()


def postgres_tool(name: str) -> str:
    """pg_dump / pg_restore: NEEDLERX_PG_BIN_DIR, the PATH, or Debian's versioned directories."""
    configured = os.environ.get("NEEDLERX_PG_BIN_DIR")
    candidates = [str(Path(configured) / name)] if configured else []
    found = shutil.which(name)
    candidates += [found] if found else []
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    for candidate in candidates:
        if Path(candidate).exists():
            return candidate
    raise ApplicationError(f"{name} is not installed; set NEEDLERX_PG_BIN_DIR", field=None)


def _postgres_connection() -> tuple[list[str], dict[str, str]]:
    db = database()
    args = ["--dbname", str(db["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ApplicationError(f"{what} failed: {result.stderr.strip()[-500:]}")


def postgres_backup(target: Path) -> None:
    args, env = _postgres_connection()
    _run(
        [postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", *args],
        env,
        "pg_dump",
    )


def postgres_restore(backup: Path) -> None:
    args, env = _postgres_connection()
    connections.close_all()
    _run(
        [
            postgres_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(backup),
        ],
        env,
        "pg_restore",
    )
