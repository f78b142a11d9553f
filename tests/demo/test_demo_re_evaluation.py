"""The demo's plans of care are re-evaluated every three weeks, so an open episode's plan names
the next re-evaluation; one in ten is a few days overdue, as in a busy clinic, never one whose
first re-evaluation has not come yet."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

from needlerx.demo.treatments import OVERDUE_ONE_IN, next_re_evaluation

TODAY = dt.date(2026, 12, 1)


def _episode(overdue: bool) -> Any:
    for number in range(1, 100):
        public_id = uuid.UUID(int=number)
        if (public_id.int % OVERDUE_ONE_IN == 0) == overdue:
            return SimpleNamespace(public_id=public_id)
    raise AssertionError("no such id")


def test_an_open_plan_names_the_next_re_evaluation() -> None:
    on_time = _episode(overdue=False)
    assert next_re_evaluation(on_time, TODAY, TODAY) == TODAY + dt.timedelta(weeks=3)
    opened = TODAY - dt.timedelta(weeks=5)
    assert next_re_evaluation(on_time, opened, TODAY) == opened + dt.timedelta(weeks=6)
    opened = TODAY - dt.timedelta(weeks=3)  # re-evaluated today: the next in three weeks
    assert next_re_evaluation(on_time, opened, TODAY) == TODAY + dt.timedelta(weeks=3)


def test_one_plan_in_ten_is_overdue_once_a_re_evaluation_has_come() -> None:
    late = _episode(overdue=True)
    opened = TODAY - dt.timedelta(weeks=5)
    assert next_re_evaluation(late, opened, TODAY) == opened + dt.timedelta(weeks=3) < TODAY
    opened = TODAY - dt.timedelta(days=4)  # none has come yet: nothing to be late for
    assert next_re_evaluation(late, opened, TODAY) == opened + dt.timedelta(weeks=3)
