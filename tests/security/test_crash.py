"""Kill the server with SIGKILL in the middle of writes: SQLite stays intact, nothing half-written.

A real gunicorn serves a file database; three clients register patients through the API as fast
as they can; the whole server process group is killed at once. Afterwards the database passes
``PRAGMA integrity_check``, every acknowledged patient is there, every patient has its audit event
(and every event its patient: write and audit commit together), and the audit chain verifies.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PASSWORD = "crash-test-password-1"
SETUP = f"""
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from needlerx.accounts import services as a
c = a.clinic_create(network_name="Crash", name="Crash Clinic", country="US", region="CO")
a.user_create(username="writer", password="{PASSWORD}", clinic=c, role="clinician")
print(c.public_id)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Writer:
    """A signed-in API client that registers patients until told to stop."""

    def __init__(self, base: str, clinic_id: str, name: str) -> None:
        self.base, self.clinic_id, self.name = base, clinic_id, name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.acknowledged: list[str] = []

    def csrf(self) -> str:
        return next(str(c.value) for c in self.jar if c.name == "csrftoken")

    def sign_in(self) -> None:
        self.opener.open(self.base + "/login/", timeout=10).read()
        form = f"username=writer&password={PASSWORD}&csrfmiddlewaretoken={self.csrf()}"
        self.opener.open(self.base + "/login/", form.encode(), timeout=10).read()

    def run(self, stop: threading.Event) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            mrn = f"{self.name}-{number}"
            body = {
                "clinic_id": self.clinic_id,
                "medical_record_number": mrn,
                "given_name": "Crash",
                "family_name": "Test",
                "date_of_birth": "1970-01-01",
                "sex": "female",
            }
            request = urllib.request.Request(  # noqa: S310 - loopback test server
                self.base + "/api/v1/patients/",
                json.dumps(body).encode(),
                {"Content-Type": "application/json", "X-CSRFToken": self.csrf()},
            )
            try:
                with self.opener.open(request, timeout=10) as response:
                    if response.status == 201:
                        self.acknowledged.append(mrn)
            except (urllib.error.URLError, ConnectionError, OSError):
                return


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()  # noqa: S310 - loopback
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise AssertionError("the server did not start")


@pytest.mark.skipif(os.environ.get("DATABASE_URL") is not None, reason="SQLite crash test")
def test_sigkill_during_writes_leaves_an_intact_database(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEEDLERX_")}
    env.update(NEEDLERX_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="needlerx.settings")
    clinic_id = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "needlerx.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        writers = [Writer(base, clinic_id, f"W{n}") for n in range(3)]
        for writer in writers:
            writer.sign_in()
        stop = threading.Event()
        threads = [threading.Thread(target=w.run, args=(stop,)) for w in writers]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while sum(len(w.acknowledged) for w in writers) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)  # mid-write: the writers are still sending
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    acknowledged = {mrn for w in writers for mrn in w.acknowledged}
    assert len(acknowledged) >= 30

    database = sqlite3.connect(tmp_path / "needlerx.sqlite3")
    assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = dict(database.execute("SELECT medical_record_number, public_id FROM patients_patient"))
    assert acknowledged <= set(stored)
    audited = {
        row[0]
        for row in database.execute(
            "SELECT object_public_id FROM audit_auditevent WHERE action = 'patient.register'"
        )
    }
    assert {str(v).replace("-", "") for v in stored.values()} == {
        a.replace("-", "") for a in audited
    }, "a patient without its audit event, or an event without its patient"
    verify = subprocess.run(
        [sys.executable, "-m", "needlerx.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stderr
