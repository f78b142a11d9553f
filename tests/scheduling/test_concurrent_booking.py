"""Two front-desk people book the same clinician's slot at the same moment: exactly one wins.

Both bookings pass the service's own overlap query before either writes (a barrier holds each
one there until both have looked), so only the database's exclusion constraint can stop the
second: it waits for the first transaction, then refuses, and the service names the slot.
PostgreSQL only: SQLite serialises writers (every transaction is IMMEDIATE), so there is no race
to test there; its trigger is tested in test_appointment_services.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from needlerx.core.errors import ApplicationError
from needlerx.scheduling import services
from needlerx.scheduling.models import Appointment
from tests.personas import World
from tests.scheduling.helpers import book, slot


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_bookings_at_once_exactly_one_wins(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a race between two writers needs PostgreSQL (SQLite serialises writers)")
    patients = [world.patient(mrn="C-1"), world.patient(mrn="C-2")]
    starts = [slot(world.clinic_a, 14), slot(world.clinic_a, 14, 15)]
    both_looked = threading.Barrier(2, timeout=20)
    looked: set[int] = set()
    real_clash = services._clash

    def clash_after_both_looked(appointment: Appointment) -> Any:
        found = real_clash(appointment)
        if threading.get_ident() not in looked:  # the first look, before the write
            looked.add(threading.get_ident())
            both_looked.wait()
        return found

    monkeypatch.setattr(services, "_clash", clash_after_both_looked)
    outcomes: list[Any] = []

    def book_in_own_connection(number: int) -> None:
        try:
            outcomes.append(book(world, patients[number], starts[number]))
        except ApplicationError as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book_in_own_connection, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    won = [o for o in outcomes if isinstance(o, Appointment)]
    lost = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    assert lost[0].field == "starts_at"
    assert "already has an appointment" in lost[0].message
    assert Appointment.objects.count() == 1


class _Deadlock(Exception):
    sqlstate = services.DEADLOCK_DETECTED


def _save_failing_once(monkeypatch: pytest.MonkeyPatch, cause: Exception) -> list[int]:
    """The next appointment save raises, as PostgreSQL's driver error wrapped by Django would;
    the calls are counted."""
    calls: list[int] = []
    real_save = Appointment.save

    def save(self: Appointment, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected") from cause
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Appointment, "save", save)
    return calls


@pytest.mark.django_db
def test_a_booking_cancelled_in_a_deadlock_is_tried_once_more(world, monkeypatch):
    """The deadlock itself cannot be timed from here (it happens inside two INSERTs checking
    each other's rows); its error is raised once, as PostgreSQL would, and the booking is made
    on the second try."""
    calls = _save_failing_once(monkeypatch, _Deadlock())
    booked = book(world, world.patient(mrn="C-1"), slot(world.clinic_a, 14))
    assert len(calls) == 2 and Appointment.objects.filter(pk=booked.pk).exists()


@pytest.mark.django_db
def test_any_other_database_error_is_not_retried(world, monkeypatch):
    calls = _save_failing_once(monkeypatch, Exception("disk full"))
    with pytest.raises(OperationalError):
        book(world, world.patient(mrn="C-1"), slot(world.clinic_a, 14))
    assert len(calls) == 1 and not Appointment.objects.exists()
