"""Appointment reminders by email, each with an iCalendar (.ics) invitation attached.

``reminders_send(on=day)`` sends one email per booked appointment on ``day`` (each clinic's own
day) whose patient has an email address and that has had no reminder yet, then records the
reminder on the appointment (``reminder_sent_at``) and in the audit trail, so a second run sends
nothing twice. Mail goes through Django's email framework: the backend is a setting
(``NEEDLERX_EMAIL_BACKEND``; the demo writes to the console, production uses SMTP).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from needlerx.accounts.models import Clinic
from needlerx.audit.services import audit_record
from needlerx.core.local import day_start
from needlerx.core.mail import message_sent
from needlerx.scheduling.models import Appointment, AppointmentStatus
from needlerx.scheduling.times import clinic_zone, date_words, local, time_range_words

CALENDAR_TYPE = "text/calendar"


def appointments_to_remind(*, on: dt.date) -> list[Appointment]:
    """Booked appointments on ``on`` (each clinic's day) with a patient email and no reminder."""
    due: list[Appointment] = []
    for clinic in Clinic.objects.filter(appointments__status=AppointmentStatus.BOOKED).distinct():
        zone = clinic_zone(clinic)
        due.extend(
            Appointment.objects.filter(
                clinic=clinic,
                status=AppointmentStatus.BOOKED,
                reminder_sent_at__isnull=True,
                starts_at__gte=day_start(on, zone),
                starts_at__lt=day_start(on + dt.timedelta(days=1), zone),
            )
            .exclude(patient__email="")
            .select_related("clinic", "patient", "clinician")
            .order_by("starts_at", "id")
        )
    return due


def reminders_send(*, on: dt.date) -> int:
    """Send the reminders for ``on``; how many were sent. One the mail server does not take
    stays unsent (a later run sends it) and the others still go."""
    sent = 0
    for appointment in appointments_to_remind(on=on):
        sent += _send_one(appointment)
    return sent


@transaction.atomic
def _send_one(appointment: Appointment) -> int:
    locked = Appointment.objects.select_for_update().filter(
        pk=appointment.pk, reminder_sent_at__isnull=True, status=AppointmentStatus.BOOKED
    )
    if not locked.exists():
        return 0  # another run sent it, or it was cancelled meanwhile
    if not message_sent(reminder_email(appointment)):
        return 0  # the mail server did not take it: left unsent, for the next run
    now = timezone.now()
    Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=now)
    audit_record(
        action="appointment.reminder_sent",
        actor_username="reminders",
        clinic=appointment.clinic,
        obj=appointment,
        patient=appointment.patient,
        detail={"starts_at": appointment.starts_at.isoformat()},
    )
    return 1


def reminder_email(appointment: Appointment) -> EmailMessage:
    """The reminder: plain words in the clinic's time, and the appointment as an .ics file.

    Nothing clinical is written (no type of treatment, no reason): an email can be read by
    anyone who sees the patient's inbox."""
    clinic, patient = appointment.clinic, appointment.patient
    start = local(appointment.starts_at, clinic)
    times = time_range_words(appointment.starts_at, appointment.ends_at, clinic)
    when = f"{date_words(start.date())}, {times}"
    with_whom = appointment.clinician.get_full_name() or "your clinician"
    body = "\n".join(
        [
            f"Hello {patient.given_name},",
            "",
            f"This is a reminder of your appointment at {clinic.name} with {with_whom}:",
            f"{when} ({start:%Z}).",
            *([f"Address: {_address(clinic)}"] if _address(clinic) else []),
            "",
            "If you cannot come, please call us"
            + (f" at {clinic.phone}." if clinic.phone else "."),
            "",
            clinic.name,
        ]
    )
    message = EmailMessage(
        subject=f"Your appointment at {clinic.name} on {start:%B} {start.day}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[patient.email],
    )
    message.attach("appointment.ics", appointment_ics(appointment), CALENDAR_TYPE)
    return message


def appointment_ics(appointment: Appointment) -> str:
    """One VEVENT (RFC 5545) for the appointment, its times in UTC."""
    clinic = appointment.clinic
    calendar = Calendar()
    calendar.add("prodid", "-//NeedleRx//Appointment reminder//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.public_id}@needlerx")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", appointment.starts_at.astimezone(dt.UTC))
    event.add("dtend", appointment.ends_at.astimezone(dt.UTC))
    event.add("summary", f"Appointment at {clinic.name}")
    if _address(clinic):
        event.add("location", _address(clinic))
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics.decode("utf-8")


def _address(clinic: Clinic) -> str:
    parts = [clinic.address_line_1, clinic.address_line_2, clinic.city, clinic.postal_code]
    return ", ".join(part for part in parts if part)
