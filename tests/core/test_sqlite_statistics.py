"""A clinic on SQLite gets the query planner's statistics without anyone running ANALYZE: a
connection that read a table with no statistics leaves them behind when it closes (``PRAGMA
optimize``, in NeedleRx's SQLite backend). Run in a real process on a real database file, as a
page request would."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

READ_THE_PATIENTS = (
    "import django\n"
    "django.setup()\n"
    "from django.db import connection\n"
    "from needlerx.patients.models import Patient\n"
    "assert connection.vendor == 'sqlite'\n"
    "Patient.objects.filter(clinic_id=1).order_by('family_name').first()\n"
    "connection.close()\n"
)


# Two requests through Django's WSGI handler, as a server worker serves them: the second finds
# the connection the first opened (closing the response fires ``request_finished``).
TWO_REQUESTS = (
    "import io, django\n"
    "django.setup()\n"
    "from django.core.handlers.wsgi import WSGIHandler\n"
    "from django.db import connection\n"
    "app = WSGIHandler()\n"
    "def served():\n"
    "    environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/healthz', 'SERVER_NAME': 'localhost',\n"
    "               'SERVER_PORT': '80', 'HTTP_HOST': 'localhost', 'wsgi.input': io.BytesIO(),\n"
    "               'wsgi.url_scheme': 'http'}\n"
    "    statuses = []\n"
    "    response = app(environ, lambda status, headers: statuses.append(status))\n"
    "    b''.join(response)\n"
    "    response.close()\n"
    "    assert statuses == ['200 OK'], statuses\n"
    "    return connection.connection\n"
    "first = served()\n"
    "assert first is not None and served() is first, 'a new connection for each request'\n"
)


def _run(data_dir: Path, *argv: str) -> None:
    env = {
        **os.environ,
        "NEEDLERX_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "needlerx.settings",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *argv], capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _analyzed_tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        return {row[0] for row in connection.execute("SELECT tbl FROM sqlite_stat1")}


def test_a_connection_that_read_unanalyzed_patients_leaves_their_statistics(tmp_path: Path):
    _run(tmp_path, "-m", "needlerx.cli", "demo", "--no-serve", "--patients", "20")
    database = tmp_path / "needlerx.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM sqlite_stat1")  # as a clinic that never ran ANALYZE
    assert "patients_patient" not in _analyzed_tables(database)
    _run(tmp_path, "-c", READ_THE_PATIENTS)
    assert "patients_patient" in _analyzed_tables(database)


def test_a_server_worker_keeps_its_connection_between_requests(tmp_path: Path):
    _run(tmp_path, "-m", "needlerx.cli", "migrate", "--verbosity", "0")
    _run(tmp_path, "-c", TWO_REQUESTS)
