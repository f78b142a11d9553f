"""The booking rules: lengths from the type, no double booking, statuses that make sense."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from needlerx.audit.models import AuditEvent
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.scheduling import services
from needlerx.scheduling.models import Appointment
from needlerx.scheduling.types import appointment_type_get
from tests.personas import World
from tests.scheduling.helpers import book, in_denver, slot


@pytest.fixture
def denver(world: World) -> World:
    in_denver(world)
    User = type(world.alice)
    User.objects.filter(pk=world.alice.pk).update(first_name="Dana", last_name="Reyes")
    world.alice.refresh_from_db()
    return world


def test_front_desk_books_and_the_length_comes_from_the_type(denver: World) -> None:
    patient = denver.patient()
    start = slot(denver.clinic_a, 14)
    appointment = book(denver, patient, start, appointment_type="dry_needling_evaluation")
    stored = Appointment.objects.get(pk=appointment.pk)
    assert stored.starts_at == start
    assert (
        stored.ends_at - stored.starts_at
        == appointment_type_get("dry_needling_evaluation").duration
    )
    assert stored.status == "booked"
    event = AuditEvent.objects.get(action="appointment.book")
    assert (event.actor_role, event.patient_public_id) == ("front_desk", str(patient.public_id))


def test_an_overlap_is_refused_naming_the_field_and_the_clinicians_slot(denver: World) -> None:
    first, second = denver.patient(mrn="A-1"), denver.patient(mrn="A-2")
    book(denver, first, slot(denver.clinic_a, 14))
    with pytest.raises(ApplicationError) as refused:
        book(denver, second, slot(denver.clinic_a, 14, 15))
    assert refused.value.field == "starts_at"
    assert "Dana Reyes already has an appointment 2:00\N{EN DASH}2:30 PM" in refused.value.message
    assert Appointment.objects.count() == 1


def test_back_to_back_slots_and_another_clinician_are_fine(denver: World) -> None:
    patient = denver.patient()
    book(denver, patient, slot(denver.clinic_a, 14))
    book(denver, patient, slot(denver.clinic_a, 14, 30))
    book(denver, patient, slot(denver.clinic_a, 14), clinician=denver.nora)
    assert Appointment.objects.count() == 3


def test_a_cancelled_or_missed_slot_can_be_booked_again(denver: World) -> None:
    patient = denver.patient()
    cancelled = book(denver, patient, slot(denver.clinic_a, 9))
    services.appointment_cancel(actor=denver.frank, appointment=cancelled, reason="Sick")
    book(denver, patient, slot(denver.clinic_a, 9))
    missed = book(denver, patient, slot(denver.clinic_a, 10, days_ahead=0))
    services.appointment_status_set(actor=denver.frank, appointment=missed, status="no_show")
    again = book(denver, patient, slot(denver.clinic_a, 10, days_ahead=0))
    # The no-show cannot come back to "booked" over the new booking: the slot is taken.
    with pytest.raises(ApplicationError) as refused:
        services.appointment_status_set(actor=denver.frank, appointment=missed, status="booked")
    assert refused.value.field == "starts_at"
    assert again.status == "booked"


def test_the_database_itself_refuses_an_overlap(denver: World) -> None:
    """Not only the service's query: a raw insert of an overlapping slot fails."""
    patient = denver.patient()
    booked = book(denver, patient, slot(denver.clinic_a, 14))
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            clinic=denver.clinic_a,
            patient=patient,
            clinician=denver.alice,
            booked_by=denver.frank,
            appointment_type="follow_up",
            starts_at=booked.starts_at + dt.timedelta(minutes=29),
            ends_at=booked.ends_at + dt.timedelta(minutes=29),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        later = book(denver, patient, slot(denver.clinic_a, 15))
        Appointment.objects.filter(pk=later.pk).update(starts_at=booked.starts_at)
    # A cancelled row may overlap: it frees the slot.
    Appointment.objects.create(
        clinic=denver.clinic_a,
        patient=patient,
        clinician=denver.alice,
        booked_by=denver.frank,
        appointment_type="follow_up",
        status="cancelled",
        starts_at=booked.starts_at,
        ends_at=booked.ends_at,
    )


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["arrived", "completed"], None),
        (["arrived", "booked", "no_show", "booked"], None),
        (["cancelled", "booked"], "booked"),
        (["completed"], "completed"),
        (["no_show", "arrived"], "arrived"),
    ],
)
def test_status_transitions(denver: World, path: list[str], refused: str | None) -> None:
    appointment = book(denver, denver.patient(), slot(denver.clinic_a, 11))
    for status in path:
        if status == refused:
            with pytest.raises(ApplicationError) as error:
                services.appointment_status_set(
                    actor=denver.frank, appointment=appointment, status=status
                )
            assert error.value.field == "status"
            return
        appointment = services.appointment_status_set(
            actor=denver.frank, appointment=appointment, status=status
        )
        assert Appointment.objects.get(pk=appointment.pk).status == status
    assert refused is None


def test_reschedule_moves_the_slot_and_is_refused_over_another(denver: World) -> None:
    patient, other = denver.patient(mrn="A-1"), denver.patient(mrn="A-2")
    moving = book(denver, patient, slot(denver.clinic_a, 9))
    book(denver, other, slot(denver.clinic_a, 13))
    moved = services.appointment_reschedule(
        actor=denver.frank, appointment=moving, starts_at=slot(denver.clinic_a, 10)
    )
    assert Appointment.objects.get(pk=moved.pk).starts_at == slot(denver.clinic_a, 10)
    with pytest.raises(ApplicationError) as refused:
        services.appointment_reschedule(
            actor=denver.frank, appointment=moved, starts_at=slot(denver.clinic_a, 12, 45)
        )
    assert refused.value.field == "starts_at"
    assert Appointment.objects.get(pk=moved.pk).starts_at == slot(denver.clinic_a, 10)
    assert AuditEvent.objects.filter(action="appointment.reschedule").count() == 1


def test_who_may_book(denver: World) -> None:
    patient = denver.patient()
    for actor, hour in ((denver.frank, 8), (denver.ada, 9), (denver.alice, 10)):
        book(denver, patient, slot(denver.clinic_a, hour), actor=actor)
    with pytest.raises(PermissionDenied):
        book(denver, patient, slot(denver.clinic_a, 11), actor=denver.bob)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"appointment_type": "massage"}, "appointment_type"),
        ({"clinician": "frank"}, "clinician"),
        ({"starts_at": "yesterday"}, "starts_at"),
        ({"starts_at": "naive"}, "starts_at"),
    ],
)
def test_bad_bookings_name_the_field(denver: World, change: dict[str, str], field: str) -> None:
    patient = denver.patient()
    arguments = {
        "actor": denver.frank,
        "clinic": denver.clinic_a,
        "patient": patient,
        "clinician": getattr(denver, change.get("clinician", "alice")),
        "appointment_type": change.get("appointment_type", "follow_up"),
        "starts_at": {
            "yesterday": slot(denver.clinic_a, 9, days_ahead=-1),
            "naive": slot(denver.clinic_a, 9).replace(tzinfo=None),
        }.get(change.get("starts_at", ""), slot(denver.clinic_a, 9)),
    }
    with pytest.raises(ApplicationError) as refused:
        services.appointment_book(**arguments)
    assert refused.value.field == field
    assert not Appointment.objects.exists()


def test_a_patient_of_another_clinic_cannot_be_booked(denver: World) -> None:
    other = denver.patient(clinic=denver.clinic_b, mrn="B-1")
    with pytest.raises(ApplicationError) as refused:
        book(denver, other, slot(denver.clinic_a, 9))
    assert refused.value.field == "patient"
