"""A consultation request from the public, and the per-address counter that rate-limits them.

A request holds contact details, the preferred clinic and times, neck or back, consent to be
contacted and (only when the person ticked "share my answers") the self-check answers. The front
desk moves it through ``new`` -> ``contacted`` -> ``booked`` / ``declined`` and turns it into a
patient and an appointment (``patient`` and ``appointment`` link the result).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.core.models import PublicModel
from needlerx.patients.models import Patient
from needlerx.scheduling.models import Appointment


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    BOOKED = "booked", "Booked"
    DECLINED = "declined", "Declined"


class PainArea(models.TextChoices):
    NECK = "neck", "Neck"
    BACK = "back", "Back"
    BOTH = "both", "Neck and back"


class ConsultationRequest(PublicModel):
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        db_index=False,  # the (clinic, status, created_at) index below serves it
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40)
    pain_area = models.CharField(max_length=8, choices=PainArea.choices)
    preferred_days = models.JSONField(default=list)
    preferred_times = models.JSONField(default=list)
    message = models.CharField(max_length=1000, blank=True)
    consent_to_contact = models.BooleanField()
    self_check_answers = models.JSONField(null=True, blank=True)
    self_check_outcome = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_requests",
    )
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_request",
    )

    class Meta:
        indexes = [models.Index(fields=["clinic", "status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_to_contact=True),
                name="consultation_request_has_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class RequestTally(models.Model):
    """Consultation requests sent from one client address in one window (the address is kept
    only as a keyed hash, never in the clear)."""

    address_key = models.CharField(max_length=64)
    window_starts_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address_key", "window_starts_at"], name="request_tally_one_per_window"
            )
        ]

    def __str__(self) -> str:
        since = timezone.localtime(self.window_starts_at)
        return f"{self.count} from {self.address_key[:12]} since {since:%H:%M}"
