"""Work done in forked worker processes, handed back in order, with few items in flight.

The demo load prepares its batches (``generator.prepare_batch``, no queries) in workers while
the main process writes the batches before them: the machine's cores share the preparation,
which is most of the load's time. Workers are forked once Django is set up, so they start
with its settings and with whatever the main process put in place for them; they never touch
the database connection they inherit.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
# Items handed out beyond one per worker, so a worker finishing an item finds the next one
# waiting; few, as a finished item's result waits in memory until it is taken.
IN_FLIGHT_BEYOND_WORKERS = 1
# Objects allocated between collections of the youngest generation (Python's default is 700),
# and collections of each generation between collections of the next (default 10 and 10).
BULK_COLLECTION_THRESHOLDS = (100_000, 50, 100)


def usable_cores() -> int:
    """The cores this process may run on (the load's default number of workers)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ordered_in_workers(items: Iterable[T], work: Callable[[T], R], workers: int) -> Iterator[R]:
    """``work(item)`` for each item, in that order; in ``workers`` forked processes when there
    are two or more (``work`` must then be a module-level function), else here. At most
    ``workers + IN_FLIGHT_BEYOND_WORKERS`` items are handed out before their results are
    taken, so memory stays flat."""
    if workers < 2:
        yield from map(work, items)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque[AsyncResult[R]] = deque()
        for item in items:
            pending.append(pool.apply_async(work, (item,)))
            if len(pending) >= workers + IN_FLIGHT_BEYOND_WORKERS:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """While a bulk load allocates millions of short-lived objects (a fifth of the preparation's
    time went to the cycle collector): the objects already there (Django, the reference data)
    are left out of collections (``gc.freeze``, also in the workers forked meanwhile) and the
    collector runs less often; memory stays flat, as nearly every object is freed by reference
    counting when its batch is written. Both are undone afterwards."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BULK_COLLECTION_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
