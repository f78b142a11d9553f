"""Writes of consultation requests: the public request, its status, and the conversion into a
patient and an appointment. Each validates, writes and audits in one transaction.

The public request is rate-limited per client address (``RequestTally``; the address is kept
only as a keyed hash) and refuses a filled honeypot silently (nothing stored, no email, the same
answer as a real request). The first refusal by the rate limit in a window is audited, once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from needlerx.accounts.models import Clinic, User
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.self_check import self_check_outcome
from needlerx.consultations.models import (
    ConsultationRequest,
    PainArea,
    RequestStatus,
    RequestTally,
)
from needlerx.core.errors import ApplicationError
from needlerx.core.mail import email_sent
from needlerx.patients.models import Patient
from needlerx.patients.services import patient_register
from needlerx.scheduling.models import Appointment
from needlerx.scheduling.services import appointment_book

MANAGE = "consultation.manage"
EVALUATION = "dry_needling_evaluation"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
TIMES = ("morning", "afternoon", "evening")
logger = logging.getLogger(__name__)


class TooManyRequests(ApplicationError):
    """The client address sent more requests in the window than the limit allows."""


@dataclass(frozen=True)
class RequestDetails:
    """What the public form sends (one input for every door)."""

    clinic: Clinic
    given_name: str
    family_name: str
    email: str
    phone: str
    pain_area: str
    consent_to_contact: bool
    preferred_days: list[str] = field(default_factory=list)
    preferred_times: list[str] = field(default_factory=list)
    message: str = ""
    self_check_answers: dict[str, bool] | None = None


@dataclass(frozen=True)
class AddressLimit:
    """A limit on what one client address may do in a window, counted in ``RequestTally``
    under a key of its own (the address hashed with ``purpose``), with its settings."""

    purpose: str
    limit_setting: str
    default_limit: int
    window_setting: str
    default_minutes: int
    audit_action: str

    def limit(self) -> int:
        return int(getattr(settings, self.limit_setting, self.default_limit))

    def window(self) -> dt.timedelta:
        minutes = int(getattr(settings, self.window_setting, self.default_minutes))
        return dt.timedelta(minutes=minutes)

    def minutes(self) -> int:
        return int(self.window().total_seconds() // 60)


CONSULTATION_REQUESTS = AddressLimit(
    purpose="needlerx.consultations.address",
    limit_setting="CONSULTATION_REQUESTS_PER_WINDOW",
    default_limit=5,
    window_setting="CONSULTATION_REQUEST_WINDOW_MINUTES",
    default_minutes=60,
    audit_action="consultation_request.rate_limited",
)


def _window_start(now: dt.datetime, rule: AddressLimit) -> dt.datetime:
    seconds = int(rule.window().total_seconds())
    stamp = int(now.timestamp())
    return dt.datetime.fromtimestamp(stamp - stamp % seconds, tz=dt.UTC)


def _address_key(address: str, rule: AddressLimit) -> str:
    return salted_hmac(rule.purpose, address or "unknown").hexdigest()[:64]


@transaction.atomic
def address_attempt_count(address: str, rule: AddressLimit = CONSULTATION_REQUESTS) -> int:
    """Add one attempt from ``address`` to this window's tally of ``rule``; the new count. The
    first attempt over the limit in a window is audited, once."""
    key, start = _address_key(address, rule), _window_start(timezone.now(), rule)
    tally, _ = RequestTally.objects.select_for_update().get_or_create(
        address_key=key, window_starts_at=start
    )
    RequestTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
    tally.refresh_from_db()
    if tally.count == rule.limit() + 1:
        audit_record(
            action=rule.audit_action,
            detail={
                "limit": rule.limit(),
                "window_minutes": rule.minutes(),
                "window_starts_at": start.isoformat(),
                "address_key": key[:12],
            },
        )
    return tally.count


def address_over_limit(address: str, rule: AddressLimit) -> bool:
    """Whether ``address`` has used up this window's allowance of ``rule`` (nothing counted)."""
    key, start = _address_key(address, rule), _window_start(timezone.now(), rule)
    tally = RequestTally.objects.filter(address_key=key, window_starts_at=start).first()
    return tally is not None and tally.count > rule.limit()


def consultation_request_submit(
    *, details: RequestDetails, address: str, honeypot: str = ""
) -> ConsultationRequest | None:
    """Store a request from the public and send the confirmation email.

    None when the honeypot was filled (a bot): nothing is stored or sent, and the caller answers
    as for a real request. ``TooManyRequests`` when the address is over its limit."""
    if address_attempt_count(address, CONSULTATION_REQUESTS) > CONSULTATION_REQUESTS.limit():
        minutes = CONSULTATION_REQUESTS.minutes()
        raise TooManyRequests(
            f"too many requests from your network: please try again in {minutes} minutes, "
            "or call the clinic",
            code="rate_limited",
        )
    if honeypot.strip():
        return None
    request = _store(details)
    _send_confirmation(request)
    return request


@transaction.atomic
def _store(details: RequestDetails) -> ConsultationRequest:
    outcome = ""
    answers = details.self_check_answers
    if answers is not None:
        try:
            outcome = self_check_outcome(answers).outcome
        except ClinicalInputError as error:
            raise ApplicationError(error.message, field="self_check") from None
    request = ConsultationRequest(
        clinic=details.clinic,
        given_name=_text(details.given_name, "given_name", 100),
        family_name=_text(details.family_name, "family_name", 100),
        email=_email(details.email),
        phone=_phone(details.phone),
        pain_area=_choice(details.pain_area, "pain_area", PainArea.values),
        preferred_days=_choices(details.preferred_days, "preferred_days", DAYS),
        preferred_times=_choices(details.preferred_times, "preferred_times", TIMES),
        message=_text(details.message, "message", 1000, required=False),
        consent_to_contact=_consent(details.consent_to_contact),
        self_check_answers=answers,
        self_check_outcome=outcome,
    )
    request.save()
    audit_record(
        action="consultation_request.submit",
        clinic=details.clinic,
        obj=request,
        detail={"answers_shared": answers is not None, "pain_area": request.pain_area},
    )
    return request


def _text(value: str, name: str, limit: int, *, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ApplicationError("is required", field=name)
    if len(text) > limit:
        raise ApplicationError(f"must be at most {limit} characters", field=name)
    return text


def _email(value: str) -> str:
    text = (value or "").strip()
    try:
        validate_email(text)
    except ValidationError:
        raise ApplicationError(
            "must be an email address, like name@example.com", field="email"
        ) from None
    return text


def _phone(value: str) -> str:
    text = _text(value, "phone", 40)
    digits = sum(ch.isdigit() for ch in text)
    if digits < 7 or any(not (ch.isdigit() or ch in " +-().") for ch in text):
        raise ApplicationError("must be a phone number, like 303-555-0100", field="phone")
    return text


def _choice(value: str, name: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise ApplicationError(f"must be one of {', '.join(allowed)} (got {value!r})", field=name)
    return value


def _choices(values: list[str], name: str, allowed: tuple[str, ...]) -> list[str]:
    for value in values:
        _choice(value, name, list(allowed))
    return [value for value in allowed if value in values]


def _consent(value: bool) -> bool:
    if value is not True:
        raise ApplicationError("we can only contact you if you agree", field="consent_to_contact")
    return True


def _send_confirmation(request: ConsultationRequest) -> None:
    clinic = request.clinic
    phone = f" or call us on {clinic.phone}" if clinic.phone else ""
    body = (
        f"Hello {request.given_name},\n\n"
        f"Thank you for asking {clinic.name} for a consultation. Someone from our front desk "
        f"will contact you within two working days to find a time.\n\n"
        f"If your symptoms get much worse before then, please see a doctor, go to the "
        f"emergency department or call 911.\n\n"
        f"If you did not ask for this, reply to this email{phone} and we will delete it.\n\n"
        f"{clinic.name}\n"
    )
    # Not sent: the request is stored, and the front desk calls anyway.
    email_sent(
        subject=f"We received your consultation request ({clinic.name})",
        body=body,
        to=request.email,
    )


@transaction.atomic
def consultation_request_status_set(
    *, actor: User, request: ConsultationRequest, status: str
) -> ConsultationRequest:
    """Mark a request new, contacted, booked or declined."""
    request = ConsultationRequest.objects.select_for_update().get(pk=request.pk)
    role = require_permission(user=actor, clinic=request.clinic, permission=MANAGE)
    if status not in RequestStatus.values:
        raise ApplicationError(
            f"must be one of {', '.join(RequestStatus.values)} (got {status!r})", field="status"
        )
    if status == request.status:
        raise ApplicationError(f"is already {request.get_status_display().lower()}", field="status")
    before = request.status
    request.status = status
    request.save(update_fields=["status"])
    audit_record(
        action="consultation_request.status",
        actor=actor,
        actor_role=role,
        clinic=request.clinic,
        obj=request,
        patient=request.patient,
        detail={"from": before, "to": status},
    )
    return request


@dataclass(frozen=True)
class Conversion:
    """The patient registration fields the request does not hold, and the booking."""

    medical_record_number: str
    date_of_birth: dt.date
    sex: str
    clinician: User
    starts_at: dt.datetime
    patient_fields: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def consultation_request_convert(
    *, actor: User, request: ConsultationRequest, conversion: Conversion
) -> tuple[Patient, Appointment]:
    """Register the person as a patient (names, email and phone from the request) and book a
    dry-needling evaluation; the request is linked to both and marked booked."""
    request = ConsultationRequest.objects.select_for_update().get(pk=request.pk)
    role = require_permission(user=actor, clinic=request.clinic, permission=MANAGE)
    if request.appointment_id is not None:
        raise ApplicationError("this request is already booked", field="status")
    patient = patient_register(
        actor=actor,
        clinic=request.clinic,
        medical_record_number=conversion.medical_record_number,
        given_name=request.given_name,
        family_name=request.family_name,
        email=request.email,
        phone=request.phone,
        date_of_birth=conversion.date_of_birth,
        sex=conversion.sex,
        **conversion.patient_fields,
    )
    appointment = appointment_book(
        actor=actor,
        clinic=request.clinic,
        patient=patient,
        clinician=conversion.clinician,
        appointment_type=EVALUATION,
        starts_at=conversion.starts_at,
        reason=f"Consultation request ({request.get_pain_area_display().lower()})",
    )
    before = request.status
    request.patient, request.appointment, request.status = patient, appointment, "booked"
    request.save(update_fields=["patient", "appointment", "status"])
    audit_record(
        action="consultation_request.convert",
        actor=actor,
        actor_role=role,
        clinic=request.clinic,
        obj=request,
        patient=patient,
        detail={"from": before, "to": "booked", "appointment": str(appointment.public_id)},
    )
    return patient, appointment
