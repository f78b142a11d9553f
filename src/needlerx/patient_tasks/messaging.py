"""How a reminder reaches a patient: a small channel interface with the email implementation.

A channel says whether it can reach a patient and sends one short message with the link. The
reminder goes through the first channel in ``NEEDLERX_REMINDER_CHANNELS`` (dotted paths; the
default is email only) that can reach the patient. SMS is an extension point: a class with
``name``, ``can_reach(patient)`` (a mobile number on file and the patient's consent) and
``send(patient, subject, text)`` calling the clinic's provider (True once the provider took the
message), added to the setting. NeedleRx
ships no SMS provider (docs/patient-tasks.md, "Reminders").
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from needlerx.core.mail import email_sent
from needlerx.patients.models import Patient

DEFAULT_CHANNELS = ("needlerx.patient_tasks.messaging.EmailChannel",)


class ReminderChannel(Protocol):
    name: str

    def can_reach(self, patient: Patient) -> bool: ...

    def send(self, patient: Patient, subject: str, text: str) -> bool: ...


class EmailChannel:
    """Django's email framework (``NEEDLERX_EMAIL_BACKEND``) to ``Patient.email``."""

    name = "email"

    def can_reach(self, patient: Patient) -> bool:
        return bool(patient.email)

    def send(self, patient: Patient, subject: str, text: str) -> bool:
        return email_sent(subject=subject, body=text, to=patient.email)


def reminder_channels() -> list[ReminderChannel]:
    paths = getattr(settings, "NEEDLERX_REMINDER_CHANNELS", DEFAULT_CHANNELS)
    return [import_string(path)() for path in paths]


def channel_for(patient: Patient) -> ReminderChannel | None:
    """The first configured channel that can reach ``patient``, or None."""
    return next((c for c in reminder_channels() if c.can_reach(patient)), None)
