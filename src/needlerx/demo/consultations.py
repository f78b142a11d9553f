"""Demo consultation requests: a few from the public form in each demo clinic's queue, most new,
one contacted, so the front desk's queue and the clinic home's count have something to show.
A clinic that already has requests is left as it is (reloading the demo adds none)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.audit.services import audit_record
from needlerx.consultations.models import ConsultationRequest, RequestStatus

PER_CLINIC = 4
GIVEN = ("Maya", "Jordan", "Priya", "Luis", "Hannah", "Tomasz", "Aisha", "Owen", "Grace", "Diego")
FAMILY = ("Lindqvist", "Okonkwo", "Ramirez", "Sato", "Brennan", "Kowalski", "Haddad", "Nguyen")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
TIMES = ("morning", "afternoon", "evening")
AREAS = ("neck", "back", "both")


def load_consultation_requests(clinics: list[Clinic], *, seed: int) -> int:
    """A handful of requests per clinic; how many were inserted."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    return sum(_load_clinic(clinic, rng) for clinic in clinics)


@transaction.atomic
def _load_clinic(clinic: Clinic, rng: random.Random) -> int:
    if ConsultationRequest.objects.filter(clinic=clinic).exists():
        return 0
    now = timezone.now()
    for number in range(PER_CLINIC):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        request = ConsultationRequest.objects.create(
            clinic=clinic,
            given_name=given,
            family_name=family,
            email=f"{given}.{family}@example.com".lower(),
            phone=f"555-01{rng.randint(10, 99)}",
            pain_area=rng.choice(AREAS),
            preferred_days=sorted(rng.sample(DAYS, 2), key=DAYS.index),
            preferred_times=[rng.choice(TIMES)],
            consent_to_contact=True,
            status=RequestStatus.CONTACTED if number == 0 else RequestStatus.NEW,
        )
        received = now - dt.timedelta(hours=rng.randint(2, 20) + 24 * number)
        ConsultationRequest.objects.filter(pk=request.pk).update(created_at=received)
    audit_record(
        action="demo.consultation_requests_load", clinic=clinic, detail={"requests": PER_CLINIC}
    )
    return PER_CLINIC
