"""Who works where, in which role, with which dry-needling credential."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models

from needlerx.core.models import PublicModel


class ClinicNetwork(PublicModel):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class DateStyle(models.TextChoices):
    ISO = "iso", "Year-month-day (2026-03-31)"
    MONTH_FIRST = "month_first", "Month/day/year (03/31/2026)"


class MeasurementUnits(models.TextChoices):
    METRIC = "metric", "Metric (cm, kg)"
    US_CUSTOMARY = "us_customary", "US customary (in, lb)"


class Clinic(PublicModel):
    """A clinic. Its jurisdiction decides whether physical therapists may dry needle there."""

    network = models.ForeignKey(
        ClinicNetwork,
        on_delete=models.PROTECT,
        related_name="clinics",
        db_index=False,  # the (network, name) unique index below serves it
    )
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. US, CA")
    region = models.CharField(
        max_length=3, help_text="State or province code, e.g. CO (Colorado), AB (Alberta)"
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA time zone, e.g. America/Denver"
    )
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    npi = models.CharField(
        max_length=10, blank=True, help_text="Organisation National Provider Identifier (US)"
    )
    date_style = models.CharField(
        max_length=16,
        choices=DateStyle.choices,
        default=DateStyle.ISO,
        help_text="How dates are shown and typed in this clinic (ISO is always accepted)",
    )
    measurement_units = models.CharField(
        max_length=16,
        choices=MeasurementUnits.choices,
        default=MeasurementUnits.METRIC,
        help_text="Units for height and weight on screen (always stored metric)",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"], name="clinic_name_unique_in_network"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction(self) -> dict[str, str]:
        return {"country": self.country, "region": self.region}


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A patient's own account (needlerx.patient_accounts): no membership, no staff permission;
    # the middleware keeps them on their own pages.
    is_patient = models.BooleanField(default=False, editable=False)


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    FRONT_DESK = "front_desk", "Front desk"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


class Membership(PublicModel):
    """A user's role in one clinic. A person may work in several clinics of a network."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,  # the (user, clinic) unique index below serves it
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_role_per_user_and_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} at {self.clinic}"


class DryNeedlingCredential(PublicModel):
    """A clinician's dry-needling training and licence, checked before needling is recorded."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="credentials")
    training_provider = models.CharField(max_length=200)
    hours = models.PositiveIntegerField()
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Renewal or expiry date")
    licence_number = models.CharField(max_length=64)
    licence_country = models.CharField(max_length=2)
    licence_region = models.CharField(max_length=3)

    class Meta:
        ordering = ["-completed_on"]


class SignInRefusalTally(models.Model):
    """How many sign-in attempts were refused for one account or address in one window.

    The audit trail gets one ``auth.login_blocked`` event when the count reaches 1, 10, 100, ...
    (``accounts/signals.py``); this mutable tally holds the exact count in between, so a flood of
    refused attempts cannot grow the append-only trail one row per request.
    """

    scope = models.CharField(max_length=16)
    key = models.CharField(max_length=150)
    window_started = models.DateTimeField()
    refused = models.PositiveIntegerField(default=0)

    objects: models.Manager[SignInRefusalTally] = models.Manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_started"], name="sign_in_refusal_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.refused} refused since {self.window_started}"
