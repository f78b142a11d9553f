"""The benchmark's one table (both databases side by side), its figures, and its results files.

Results go to ``bench/results/``: ``<UTC time>.json`` and ``.md`` for every run, and ``latest.json``
and ``latest.md`` for the newest; a run is compared with the ``latest.json`` it replaces.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.cli_start import lines as cli_start_lines

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_RATIO = 3.0  # issue 13: every page within 3x a bare signed-in page
SERVED_TARGET_P95_MS = 150  # PRODUCT.md: chart and session save at 10 concurrent users
SERVED_TARGET_WORKER_MB = 300  # PRODUCT.md: the app server under load, per worker
Figures = dict[str, Any]


def _ratio_cell(page: Figures, previous: Figures | None) -> str:
    flag = " !" if page["ratio"] > TARGET_RATIO else ""
    cell = f"{page['ratio']:.2f}{flag}"
    if previous is not None and previous.get("status") == 200 and previous["ratio"]:
        cell += f" ({page['ratio'] - previous['ratio']:+.2f})"
    return cell


def _cells(page: Figures | None, previous: Figures | None) -> list[str]:
    if page is None:
        return ["—"] * 4
    if page["status"] != 200:
        return [f"answered {page['status']}", "", "", str(page["queries"])]
    return [
        f"{page['median_ms']:.1f}",
        f"{page['p95_ms']:.1f}",
        _ratio_cell(page, previous),
        str(page["queries"]),
    ]


def _pages_by_name(run: Figures | None) -> dict[str, Figures]:
    return {page["name"]: page for page in (run or {}).get("pages", [])}


def _previous_run(previous: Figures | None, database: str) -> Figures | None:
    runs = (previous or {}).get("databases", [])
    return next((run for run in runs if run["database"] == database), None)


def table(results: Figures, previous: Figures | None) -> str:
    runs = results["databases"]
    header = ["page"]
    for run in runs:
        label = "SQLite" if run["database"] == "sqlite" else "PostgreSQL"
        header += [f"{label} median ms", "p95 ms", "x bare", "queries"]
    names = list(dict.fromkeys(n for run in runs for n in _pages_by_name(run)))
    rows = [header, ["---"] + ["---:"] * (len(header) - 1)]
    for name in names:
        row = [name]
        for run in runs:
            earlier = _pages_by_name(_previous_run(previous, run["database"]))
            row += _cells(_pages_by_name(run).get(name), earlier.get(name))
        rows.append(row)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def _load_line(run: Figures) -> str:
    if "skipped" in run:
        return f"- {run['database']}: skipped ({run['skipped']})"
    load = run["demo_load"]
    return (
        f"- demo load on {run['database']}: {load['patients']:,} patients in "
        f"{load['seconds']:.1f} s ({load['patients'] / load['seconds']:,.0f} patients/s), "
        f"peak memory {load['peak_memory_mb']:.0f} MB ({load['memory_before_mb']:.0f} MB before)"
        + _workers_memory(load)
    )


def _trail_lines(run: Figures) -> list[str]:
    trail = run.get("trail_of_use")
    if not trail:
        return []
    return [
        f"- the audit trail of a clinic in use on {run['database']} (added before the pages are "
        f"timed): {trail['events']:,} page views in {trail['seconds']:.1f} s, chained and "
        f"sealed; on it a sign-in's check of recent failures {trail['sign_in_check_ms']:.2f} ms "
        f"and the first page of a patient's trail {trail['patient_trail_page_ms']:.2f} ms"
    ]


def _workers_memory(load: dict[str, Any]) -> str:
    """The load's worker processes (which prepare batches) have their own peak."""
    workers = load.get("worker_peak_memory_mb") or 0
    return f", each worker process at most {workers:.0f} MB" if workers else ""


def _writes_lines(run: Figures) -> list[str]:
    writes = run.get("audited_writes") or []
    if len(writes) < 4:
        return []
    one, many, bare_one, bare_many = (w["writes_per_second"] for w in writes)
    workers, each = writes[1]["workers"], writes[1]["writes_per_worker"]
    waiting = writes[1]["lock_wait_share"]
    return [
        f"- audited writes on {run['database']} (the throwaway server, fsync off; {each} NPRS "
        f"measures per worker, each a process with its own connection): 1 worker {one:.0f}/s, "
        f"{workers} workers {many:.0f}/s (x {many / one:.2f}), the {workers} waiting "
        f"{waiting:.0%} of their time for the audit chain's lock; without the audit append: "
        f"1 worker {bare_one:.0f}/s, {workers} workers {bare_many:.0f}/s "
        f"(x {bare_many / bare_one:.2f})"
    ]


def _reads_line(run: Figures) -> list[str]:
    reads = run.get("reads") or []
    if not reads:
        return []
    each = "; ".join(f"{r['name']} {r['median_ms']:.2f} ms ({r['ratio']:.2f}x)" for r in reads)
    return [f"- single reads through the ORM on {run['database']}, x bare: {each}"]


def _served_lines(run: Figures) -> list[str]:
    served = run.get("served")
    if not served:
        return []
    timings = "; ".join(
        f"{t['name']} median {t['median_ms']:.0f} ms, p95 {t['p95_ms']:.0f} ms"
        + (f" ({t['failures']} of {t['requests']} not 200)" if t["failures"] else "")
        for t in served["timings"]
    )
    return [
        f"- served by gunicorn on {run['database']} ({served['workers']} workers), "
        f"{served['users']} users at once, each opening its patient's chart and saving its "
        f"draft note in place, {served['rounds']} times with no pause (targets: p95 under "
        f"{SERVED_TARGET_P95_MS} ms, each worker under {SERVED_TARGET_WORKER_MB} MB): "
        f"{timings}; {served['requests_per_second']:.0f} requests answered a second; each "
        f"worker at most {served['worker_peak_memory_mb']:.0f} MB"
    ]


def _introduction(results: Figures, previous: Figures | None) -> str:
    change = "; in brackets the change since the previous run" if previous else ""
    return (
        f"{results['patients']:,} demo patients per database, {results['repeat']} timed requests "
        f"per page, {results.get('cpus')} CPUs, load average {results.get('load_average', 0):.1f} "
        "at the start. Pages are requested in-process (Django's test client) as the demo "
        "clinician, on that clinician's busiest patient; queries are counted on one request. "
        "x bare = the page's median over the bare signed-in page's median in the same run "
        f"(! over the {TARGET_RATIO:g}x target{change})."
    )


def report(results: Figures, previous: Figures | None) -> str:
    lines = [
        f"# NeedleRx benchmark — {results['started_at']}, commit {results['commit']}",
        "",
        _introduction(results, previous),
        "",
        table(results, previous),
        "",
        *[_load_line(run) for run in results["databases"]],
        *[line for run in results["databases"] for line in _trail_lines(run)],
        *[line for run in results["databases"] for line in _reads_line(run)],
        *[line for run in results["databases"] for line in _served_lines(run)],
        *[line for run in results["databases"] for line in _writes_lines(run)],
        *cli_start_lines(results.get("cli_start") or []),
    ]
    if previous and previous.get("patients") != results["patients"]:
        earlier = previous.get("patients")
        lines.append(f"- the previous run loaded {earlier:,} patients, not this many")
    return "\n".join(lines) + "\n"


def previous_results() -> Figures | None:
    latest = RESULTS / "latest.json"
    return json.loads(latest.read_text()) if latest.exists() else None


def save(results: Figures, text: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = results["started_at"].replace(":", "").replace("-", "")
    encoded = json.dumps(results, indent=2)
    for name in (stamp, "latest"):
        (RESULTS / f"{name}.json").write_text(encoded)
        (RESULTS / f"{name}.md").write_text(text)
    return RESULTS / f"{stamp}.md"
