"""Audited writes per second on PostgreSQL, one worker against four at once.

Each worker is its own process with its own connection. It records an NPRS measure through the
real service (``instruments.services.instrument_response_record``, which appends to the audit
hash chain in its transaction) in a loop, for a fixed number of writes, on an episode of its own so
that only the audit chain is shared (and on an episode no earlier run wrote to). The control
runs the same workers with the audit append switched off in the workers. Each audited worker
also times its waits for the chain's lock (one PostgreSQL advisory lock held until commit,
``audit.services._lock_chain``): the share of the workers' time spent waiting there says whether
the chain is the bottleneck.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any
from unittest import mock

NPRS_ANSWER = {"1": 5}  # any valid answer: the figure is about the write, not the score


@dataclass(frozen=True)
class WriteRun:
    workers: int
    writes_per_worker: int
    audited: bool
    writes_per_second: float
    lock_wait_share: float  # of the workers' time, spent waiting for the audit chain's lock


def _without_audit(**_: Any) -> None:
    return None


class _LockTimer:
    """Wraps ``audit.services._lock_chain`` and adds up the time spent in it."""

    def __init__(self, lock: Any) -> None:
        self.lock, self.seconds = lock, 0.0

    def __call__(self) -> None:
        started = time.perf_counter()
        self.lock()
        self.seconds += time.perf_counter() - started


def _worker(
    username: str, episode_id: str, writes: int, audited: bool, start: Barrier, spans: Queue[Any]
) -> None:
    import django

    django.setup()
    from django.db import connection

    from needlerx.accounts.models import User
    from needlerx.audit import services as audit_services
    from needlerx.instruments import services
    from needlerx.patients.models import Episode

    actor = User.objects.get(username=username)
    episode = Episode.objects.select_related("patient__clinic").get(public_id=episode_id)
    timer = _LockTimer(audit_services._lock_chain)
    switch: contextlib.AbstractContextManager[Any] = (
        mock.patch.object(audit_services, "_lock_chain", timer)
        if audited
        else mock.patch.object(services, "audit_record", _without_audit)
    )
    with switch:

        def record() -> None:
            services.instrument_response_record(
                actor=actor, episode=episode, instrument_id="nprs", responses=NPRS_ANSWER
            )

        record()  # connect and warm up before the clock starts
        start.wait()
        began, timer.seconds = time.monotonic(), 0.0
        for _ in range(writes):
            record()
        spans.put((began, time.monotonic(), timer.seconds))
    connection.close()


def writes_per_second(
    *, username: str, episode_ids: list[str], writes: int, audited: bool
) -> WriteRun:
    """Start one worker per episode, release them together and time all their writes."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(episode_ids))
    spans: Queue[Any] = context.Queue()
    workers = [
        context.Process(target=_worker, args=(username, e, writes, audited, start, spans))
        for e in episode_ids
    ]
    for worker in workers:
        worker.start()
    finished = [spans.get(timeout=3600) for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(end for _, end, _ in finished) - min(began for began, _, _ in finished)
    busy = sum(end - began for began, end, _ in finished)
    waited = sum(wait for _, _, wait in finished)
    total = writes * len(episode_ids)
    return WriteRun(len(episode_ids), writes, audited, total / elapsed, waited / busy)


def open_episode_ids(username: str, count: int) -> list[str]:
    """Open episodes in the clinician's first clinic, one per worker."""
    from needlerx.accounts.models import User
    from needlerx.accounts.selectors import clinics_for_user
    from needlerx.patients.models import Episode

    clinic = clinics_for_user(user=User.objects.get(username=username)).order_by("pk").first()
    episodes = Episode.objects.filter(patient__clinic=clinic, status="open").order_by("pk")
    ids = [str(public_id) for public_id in episodes.values_list("public_id", flat=True)[:count]]
    if len(ids) < count:
        raise SystemExit(f"need {count} open episodes for the write benchmark, found {len(ids)}")
    return ids


def audited_write_runs(*, username: str, writes: int, workers: int = 4) -> list[WriteRun]:
    """One worker, then ``workers`` at once; audited, then the unaudited control. Every run
    writes to episodes no other run has written to: a write refreshes its episode's first and
    latest score from all the episode's scores, so a run on episodes an earlier run filled with
    thousands of measures would be slower for that alone (a clinic's episode holds tens)."""
    episodes = iter(open_episode_ids(username, 2 * (1 + workers)))
    return [
        writes_per_second(
            username=username,
            episode_ids=[next(episodes) for _ in range(count)],
            writes=writes,
            audited=audited,
        )
        for audited in (True, False)
        for count in (1, workers)
    ]
