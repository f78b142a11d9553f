"""How long ``needlerx screen`` and ``needlerx score`` take from start to answer, against a bare
``python -c pass`` timed in the same run (each run in turn, so load hits all three alike).

    .venv/bin/python -m bench.cli_start            # 20 runs each, prints the figures

The target of issue 13 is 0.3 s. Each command is run once first so Python's bytecode caches
and the command line's cache of validated reference files exist, as they do after an installed
package's first run; each is also timed without that cache (``NEEDLERX_CACHE_DIR`` empty), as a
first run finds it. The CPU time (user + system) of each run is kept beside its wall time, as it
moves less with the machine's load.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCREEN_REQUEST = {
    "facts": {"cauda_equina_signs": False},
    "plan": [{"muscle": "upper_trapezius", "side": "left", "technique": "static"}],
}
SCORE_REQUEST = {"responses": {"1": 5}}


def _commands(folder: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each command with what it adds to the environment."""
    screen, score = folder / "screen.json", folder / "score.json"
    screen.write_text(json.dumps(SCREEN_REQUEST))
    score.write_text(json.dumps(SCORE_REQUEST))
    cli = [sys.executable, "-m", "needlerx.cli"]
    cached = {"NEEDLERX_CACHE_DIR": str(folder / "cache")}
    uncached = {"NEEDLERX_CACHE_DIR": ""}
    return {
        "python -c pass": ([sys.executable, "-c", "pass"], {}),
        "needlerx screen": ([*cli, "screen", "--input", str(screen)], cached),
        "needlerx score": ([*cli, "score", "nprs", "--input", str(score)], cached),
        "needlerx screen, no cache": ([*cli, "screen", "--input", str(screen)], uncached),
        "needlerx score, no cache": ([*cli, "score", "nprs", "--input", str(score)], uncached),
    }


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)  # noqa: S603
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def measure_cli_start(runs: int = 20) -> list[dict[str, Any]]:
    """Median and p95 wall time, median CPU time and the ratio to ``python -c pass``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="needlerx-cli-start-") as folder:
        commands = _commands(Path(folder))
        for command, added in commands.values():
            _run(command, {**env, **added})  # bytecode caches and validated files written
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, added) in commands.items():
                samples[name].append(_run(command, {**env, **added}))
    bare = statistics.median(wall for wall, _ in samples["python -c pass"])
    figures = []
    for name, timings in samples.items():
        walls = sorted(wall for wall, _ in timings)
        median = statistics.median(walls)
        figures.append(
            {
                "command": name,
                "median_ms": median * 1000,
                "p95_ms": walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))] * 1000,
                "cpu_median_ms": statistics.median(cpu for _, cpu in timings) * 1000,
                "ratio": median / bare,
                "runs": runs,
            }
        )
    return figures


def lines(figures: list[dict[str, Any]]) -> list[str]:
    return [
        f"- cli start, {f['command']}: median {f['median_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms, "
        f"CPU {f['cpu_median_ms']:.0f} ms, {f['ratio']:.1f}x `python -c pass` ({f['runs']} runs; "
        "target 300 ms)"
        for f in figures
        if f["command"] != "python -c pass"
    ]


if __name__ == "__main__":
    print("\n".join(lines(measure_cli_start())))
