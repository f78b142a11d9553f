"""Ten clinicians at once against the real server: the product's interactive target.

PRODUCT.md asks for the patient chart and a session save within a p95 of 150 ms with 10
concurrent users on a 2-core machine, at 50,000 patients, and for each app server worker to stay
under 300 MB under load. This part serves the benchmark's database with gunicorn as ``needlerx
serve`` does (sync workers, ``NEEDLERX_WORKERS`` or 2), and runs ten users in threads of this
process, each signed in with its own session and working on its own patient: it opens the
patient's chart, then saves a section of its draft note in place (the step a clinician saves
through the visit, as the note page posts it with htmx: the answer is the note redrawn), again
and again with no pause between requests, the harshest reading of "at once". The figures are
each request's time as the user waits for it, end to end over HTTP on this machine, the users'
own work included (the users' threads share the machine's cores with the server). With no pause
the users keep every worker busy all the time, so a request mostly waits behind the others:
the requests answered a second say how much work the server carries, and so how many users
who pause between clicks it serves at about the speed of one user alone. One user alone first
gives the same requests (and the bare signed-in page) with the server otherwise idle.

Each user is a session of the demo clinician: the ten share the clinician, not their records,
so saves never wait on each other's note. Every answer must be 200; any other is counted and
reported, never timed as a success.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.bare_page import BARE_PAGE_URL

ROOT = Path(__file__).resolve().parent.parent
USERS = 10  # PRODUCT.md: "at 10 concurrent users"
WARM_UP_ROUNDS = 2  # per user, not timed: each worker's first pages read templates and caches
STARTUP_SECONDS = 60
SAVED_STEP = "response"  # the assessment and plan: every note has it, whatever was needled


@dataclass(frozen=True)
class ServedTiming:
    name: str
    users: int
    requests: int
    failures: int  # answers other than 200
    median_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Desk:
    """One user's place: a signed-in session, its patient's chart and its draft note."""

    cookie: str
    csrf_token: str
    chart_url: str
    step_url: str
    version: int

    def chart(self, connection: http.client.HTTPConnection) -> tuple[int, float]:
        return _request(connection, "GET", self.chart_url, self.cookie)

    def save(self, connection: http.client.HTTPConnection, version: int) -> tuple[int, float]:
        body = urlencode({"version": version, "assessment": f"Tolerated well (save {version})."})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.csrf_token,
            "HX-Request": "true",
        }
        return _request(connection, "POST", self.step_url, self.cookie, body, headers)


def _request(
    connection: http.client.HTTPConnection,
    method: str,
    url: str,
    cookie: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, float]:
    """(status, seconds) of one request, its answer read to the end."""
    started = time.perf_counter()
    connection.request(method, url, body=body, headers={"Cookie": cookie, **(headers or {})})
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def desks(subject: Any, count: int) -> list[Desk]:
    """``count`` signed-in sessions of the subject's clinician, each with a draft note opened
    (last visit carried forward) on its own open episode of the clinic."""
    from django.test import Client
    from django.urls import reverse

    from bench.subject import open_treated_episodes
    from needlerx.treatments.services import treatment_session_start

    places = []
    for episode in open_treated_episodes(subject.user, count, besides=subject.draft.episode):
        draft = treatment_session_start(actor=subject.user, episode=episode, carry_forward=True)
        client = Client()
        client.force_login(subject.user)
        token = secrets.token_hex(16)  # a CSRF secret: 32 characters, sent as cookie and header
        patient = episode.patient.public_id
        places.append(
            Desk(
                cookie=f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
                csrf_token=token,
                chart_url=reverse("patients:detail", args=[patient]),
                step_url=reverse(
                    "clinic:session_step", args=[patient, draft.public_id, SAVED_STEP]
                ),
                version=draft.version,
            )
        )
    return places


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn_serving(workers: int) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """gunicorn on a free local port over the database this process uses (the environment's),
    with the benchmark's bare page mounted beside the app; stopped afterwards."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
    if gunicorn is None:
        raise SystemExit("gunicorn is not installed in this environment")
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.served_settings"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [gunicorn, "needlerx.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    try:
        _wait_until_answering(port, server)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=60)


def _wait_until_answering(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped while starting (exit {server.returncode})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {STARTUP_SECONDS} s")


def _worker_peak_memory_mb(server: subprocess.Popen[bytes]) -> float:
    """The largest peak resident set of the server's worker processes (Linux's VmHWM)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    peaks = [0.0]
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status")
        for line in status.read_text().splitlines() if status.exists() else []:
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


class _Samples:
    """Each kind of request's times and failures, added to by the users' threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.failures: dict[str, int] = {}

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.times.setdefault(kind, [])
            self.failures.setdefault(kind, 0)
            if status == 200:
                self.times[kind].append(seconds)
            else:
                self.failures[kind] += 1

    def timings(self, users: int, label: str) -> list[ServedTiming]:
        return [
            _timing(f"{kind}{label}", users, times, self.failures[kind])
            for kind, times in self.times.items()
        ]


def _timing(name: str, users: int, times: list[float], failures: int) -> ServedTiming:
    if len(times) < 2:
        return ServedTiming(name, users, len(times) + failures, failures, 0.0, 0.0)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
    median = statistics.median(times)
    return ServedTiming(name, users, len(times) + failures, failures, median * 1000, p95 * 1000)


def _work(port: int, desk: Desk, rounds: int, samples: _Samples | None, start: Any) -> int:
    """One user's rounds (chart, then save); returns the draft's version after them."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    version = desk.version
    if start is not None:
        start.wait()
    for _ in range(rounds):
        status, seconds = desk.chart(connection)
        if samples is not None:
            samples.add("patient chart", status, seconds)
        status, seconds = desk.save(connection, version)
        version += status == 200
        if samples is not None:
            samples.add("session save", status, seconds)
    connection.close()
    return version


def _at_once(port: int, places: list[Desk], rounds: int) -> tuple[_Samples, float]:
    """Every user's rounds in threads released together; the samples and the seconds from the
    release until the last user finished."""
    samples = _Samples()
    start = threading.Barrier(len(places) + 1)
    threads = [
        threading.Thread(target=_work, args=(port, desk, rounds, samples, start)) for desk in places
    ]
    for thread in threads:
        thread.start()
    start.wait()
    released = time.perf_counter()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - released


def _alone(port: int, desk: Desk, rounds: int) -> tuple[_Samples, Desk]:
    """The bare page, then the user's rounds, with no one else on the server; the desk with
    its draft's version after them."""
    samples = _Samples()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(rounds):
        status, seconds = _request(connection, "GET", BARE_PAGE_URL, desk.cookie)
        samples.add("bare signed-in page", status, seconds)
    connection.close()
    version = _work(port, desk, rounds, samples, None)
    return samples, replace(desk, version=version)


def served_timings(subject: Any, rounds: int) -> dict[str, Any]:
    """One user alone, then ``USERS`` at once, ``rounds`` of (chart, save) each."""
    workers = int(os.environ.get("NEEDLERX_WORKERS", "2"))
    places = desks(subject, USERS)
    with gunicorn_serving(workers) as (port, server):
        # Warm every worker's caches and templates (not timed).
        places = [
            replace(desk, version=_work(port, desk, WARM_UP_ROUNDS, None, None)) for desk in places
        ]
        alone, places[0] = _alone(port, places[0], rounds)
        together, seconds = _at_once(port, places, rounds)
        peak = _worker_peak_memory_mb(server)
    timings = alone.timings(1, ", one user alone") + together.timings(len(places), "")
    return {
        "workers": workers,
        "users": len(places),
        "rounds": rounds,
        "timings": [asdict(timing) for timing in timings],
        "requests_per_second": sum(len(times) for times in together.times.values()) / seconds,
        "worker_peak_memory_mb": peak,
    }
