"""NeedleRx benchmarks: figures as ratios against a baseline measured in the same run.

    .venv/bin/python bench/run.py [--patients 5000] [--repeat 50]

Loads N synthetic patients into a fresh SQLite database (or DATABASE_URL, which it will modify —
point it at a throwaway database), then times pages in-process with Django's test client:

- baseline: /healthz, a bare Django view that runs one trivial query;
- the patient list (page 1 and a search), and a patient chart.

It prints the median and p95 of each, and each page's median as a multiple of the baseline's
(the product target is within 3x of a bare Django page). Machines here are shared and noisy:
compare ratios, not milliseconds, and rerun before drawing conclusions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def _setup(patients: int) -> float:
    os.environ.setdefault("NEEDLERX_DATA_DIR", tempfile.mkdtemp(prefix="needlerx-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlerx.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("demo", "--no-serve", "--patients", str(patients), verbosity=0)
    return time.perf_counter() - started


def _timings(get: Callable[[str], Any], url: str, repeat: int) -> list[float]:
    get(url)  # warm caches and templates
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        status = get(url).status_code
        samples.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"benchmark request {url} answered {status}")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    load_seconds = _setup(args.patients)

    from django.test import Client

    from needlerx.accounts.models import User
    from needlerx.patients.models import Patient

    client = Client()
    client.force_login(User.objects.get(username="clinician.denver"))
    patient = Patient.objects.filter(clinic__name="Harbour Physio Denver").first()
    if patient is None:
        raise SystemExit("no demo patient to benchmark")
    pages = {
        "baseline /healthz": "/healthz",
        "patient list": "/patients/",
        "patient search": f"/patients/?q={patient.family_name[:3]}",
        "patient chart": f"/patients/{patient.public_id}/",
    }
    results = {name: _timings(client.get, url, args.repeat) for name, url in pages.items()}
    baseline = statistics.median(results["baseline /healthz"])
    print(f"NeedleRx benchmark — {Patient.objects.count():,} patients, {args.repeat} requests each")
    print(
        f"demo load: {args.patients:,} patients in {load_seconds:.1f} s "
        f"({args.patients / load_seconds:,.0f} patients/s)"
    )
    print(f"{'page':<20} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11}")
    for name, samples in results.items():
        median = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20)[-1]
        print(f"{name:<20} {median * 1000:>10.2f} {p95 * 1000:>8.2f} {median / baseline:>11.2f}")


if __name__ == "__main__":
    main()
