"""One database: load the demo, time every page and count its queries (``bench.run`` starts it).

    python -m bench.measure --database sqlite --patients 300 --repeat 10 --output figures.json

Uses the database the environment names (DATABASE_URL, else SQLite in NEEDLERX_DATA_DIR) and
changes it: run it through ``bench.run``, which gives each run a throwaway database.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

OPENAPI_URL = "/api/v1/openapi.json"
PATIENTS_API_URL = "/api/v1/patients/"


@dataclass(frozen=True)
class DemoLoad:
    patients: int
    seconds: float
    peak_memory_mb: float  # the process's peak resident set after the load
    memory_before_mb: float  # the same just before it (Django set up, migrated)
    worker_peak_memory_mb: float = 0.0  # the largest peak of the processes preparing batches


@dataclass(frozen=True)
class PageTiming:
    name: str
    url: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    ratio: float  # median over the bare signed-in page's median, in the same run


def _peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load_demo(patients: int) -> DemoLoad:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    before = _peak_memory_mb()
    started = time.perf_counter()
    call_command("demo", "--no-serve", "--patients", str(patients), stdout=io.StringIO())
    seconds = time.perf_counter() - started
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    return DemoLoad(patients, seconds, _peak_memory_mb(), before, workers)


def _timed(client: Any, url: str) -> float:
    started = time.perf_counter()
    client.get(url)
    return time.perf_counter() - started


def _queries_and_status(client: Any, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and templates
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return len(captured.captured_queries), status


def time_pages(client: Any, pages: list[Any], repeat: int) -> list[PageTiming]:
    """Time the pages in rounds (each round requests every page once) so that the machine's
    noise falls on all pages alike; a page that does not answer 200 is reported, not timed."""
    checked = {page.url: _queries_and_status(client, page.url) for page in pages}
    timed = [page for page in pages if checked[page.url][1] == 200]
    samples: dict[str, list[float]] = {page.url: [] for page in timed}
    for _ in range(repeat):
        for page in timed:
            samples[page.url].append(_timed(client, page.url))
    baseline = statistics.median(samples[pages[0].url])
    return [_timing(page, checked[page.url], samples.get(page.url, []), baseline) for page in pages]


def _timing(
    page: Any, checked: tuple[int, int], samples: list[float], baseline: float
) -> PageTiming:
    queries, status = checked
    if not samples:
        return PageTiming(page.name, page.url, status, queries, 0.0, 0.0, 0.0)
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1]
    return PageTiming(
        page.name, page.url, status, queries, median * 1000, p95 * 1000, median / baseline
    )


def measure(database: str, patients: int, repeat: int, writes: int) -> dict[str, Any]:
    import django
    from django.test import Client
    from django.test.utils import override_settings

    django.setup()
    override_settings(ROOT_URLCONF="bench.bare_page").enable()
    from bench.audit_writes import audited_write_runs
    from bench.pages import api_list_pages, web_pages
    from bench.read_costs import time_reads
    from bench.served import served_timings
    from bench.subject import bench_subject
    from bench.used_trail import trail_of_use

    load = load_demo(patients)
    subject = bench_subject()
    trail = trail_of_use(subject, repeat)
    client = Client(raise_request_exception=False)  # a failing page is reported, not fatal
    client.force_login(subject.user)
    patient_total = int(client.get(PATIENTS_API_URL).json()["count"])
    pages = web_pages(subject, patient_total) + api_list_pages(client.get, subject, OPENAPI_URL)
    timings = time_pages(client, pages, repeat)
    reads = time_reads(subject, timings[0].median_ms, repeat)
    served = served_timings(subject, repeat)
    write_runs = (
        audited_write_runs(username=subject.user.get_username(), writes=writes)
        if database == "postgresql" and writes
        else []
    )
    return {
        "database": database,
        "repeat": repeat,
        "demo_load": asdict(load),
        "trail_of_use": asdict(trail),
        "pages": [asdict(t) for t in timings],
        "reads": [asdict(r) for r in reads],
        "served": served,
        "audited_writes": [asdict(r) for r in write_runs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--patients", type=int, required=True)
    parser.add_argument("--repeat", type=int, required=True)
    parser.add_argument("--writes", type=int, default=0, help="audited writes per worker (PG)")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlerx.settings")
    skipped = os.environ.get("NEEDLERX_SKIP_DATABASE_TESTS")
    if args.database == "postgresql" and not os.environ.get("DATABASE_URL"):
        figures: dict[str, Any] = {"database": args.database, "skipped": skipped or "no server"}
    else:
        figures = measure(args.database, args.patients, args.repeat, args.writes)
    args.output.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
