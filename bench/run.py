"""NeedleRx benchmarks: every main page and every API list as a ratio to a bare signed-in page,
on SQLite and on PostgreSQL, in one table.

    make bench                                       # 5,000 patients, 50 requests per page
    .venv/bin/python -m bench.run --patients 300 --repeat 10
    .venv/bin/python -m bench.run --full             # 50,000 patients, the scale of issue 13
    .venv/bin/python -m bench.run --databases sqlite

Each database gets a fresh demo load (``needlerx demo --patients N``, timed, with the process's
peak memory): SQLite in a temporary data directory, PostgreSQL on the throwaway server the tests
use (``tests/postgres_server.py``), never on your DATABASE_URL. Pages are requested in-process
with Django's test client, signed in as the demo clinician, on that clinician's busiest patient;
each page's queries are counted (``CaptureQueriesContext``) on one request.

The baseline is a bare signed-in page (``bench/bare_page.py``): NeedleRx has none, so the benchmark
mounts one for its run only, which passes the whole middleware stack and the sign-in check and
renders the empty layout. ``/healthz`` (a bare Django view, not signed in) is shown for reference.

On PostgreSQL it also measures audited writes per second, one worker against four processes at
once, with the audit append switched off as the control (``bench/audit_writes.py``). Last, the
start-up of ``needlerx screen`` and ``needlerx score`` against ``python -c pass``
(``bench/cli_start.py``).

The table goes to stdout and to ``bench/results/`` (``<time>.json``/``.md`` and ``latest.*``); a
run shows each ratio's change since the previous ``latest.json``. Machines here are shared and
noisy: compare ratios, not milliseconds, and rerun before drawing conclusions. This is not a test
and never runs in ``make test``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.cli_start import measure_cli_start
from bench.report import previous_results, report, save

ROOT = Path(__file__).resolve().parent.parent
FULL_SCALE = 50_000
DATABASES = ("sqlite", "postgresql")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=5000, help="demo patients per database")
    parser.add_argument("--full", action="store_true", help=f"{FULL_SCALE:,} patients")
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per page (>= 2)")
    parser.add_argument("--writes", type=int, default=1000, help="audited writes per worker")
    parser.add_argument(
        "--databases", default=",".join(DATABASES), help="comma-separated: sqlite,postgresql"
    )
    arguments = parser.parse_args()
    if arguments.full:
        arguments.patients = FULL_SCALE
    if arguments.repeat < 2:
        parser.error("--repeat must be at least 2 (a p95 needs two samples)")
    return arguments


def _command(database: str, arguments: argparse.Namespace, output: Path) -> list[str]:
    measure = [
        sys.executable,
        "-m",
        "bench.measure",
        f"--database={database}",
        f"--patients={arguments.patients}",
        f"--repeat={arguments.repeat}",
        f"--writes={arguments.writes}",
        f"--output={output}",
    ]
    if database == "postgresql":
        return [sys.executable, str(ROOT / "tests" / "postgres_server.py"), "--", *measure]
    return measure


def measure_database(database: str, arguments: argparse.Namespace) -> dict[str, Any]:
    """Run ``bench.measure`` in a fresh process with a throwaway database and read its figures."""
    print(f"Benchmarking {database} with {arguments.patients:,} patients…", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="needlerx-bench-") as data_dir:
        output = Path(data_dir) / "figures.json"
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["NEEDLERX_DATA_DIR"] = data_dir
        subprocess.run(_command(database, arguments, output), check=True, cwd=ROOT, env=env)  # noqa: S603
        figures: dict[str, Any] = json.loads(output.read_text())
    return figures


def _commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return found.stdout.strip() or "unknown"


def main() -> None:
    arguments = _arguments()
    started = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    results = {
        "started_at": started,
        "commit": _commit(),
        "patients": arguments.patients,
        "repeat": arguments.repeat,
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "databases": [measure_database(d, arguments) for d in arguments.databases.split(",")],
        "cli_start": measure_cli_start(),
    }
    text = report(results, previous_results())
    path = save(results, text)
    print(text)
    print(f"Written to {path.relative_to(ROOT)} and bench/results/latest.md")


if __name__ == "__main__":
    main()
