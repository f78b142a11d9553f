"""Signed dry-needling consent, tied to an episode and to the template version the patient read."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from needlerx.core.models import PublicModel
from needlerx.patients.models import Episode, Patient


class SignerRole(models.TextChoices):
    PATIENT = "patient", "Patient"
    GUARDIAN = "guardian", "Guardian or legal representative"


class SignatureKind(models.TextChoices):
    TYPED = "typed", "Typed name"
    DRAWN = "drawn", "Drawn signature"


class ConsentRecord(PublicModel):
    """One signed consent. ``text`` is the exact wording shown, so later versions never alter it."""

    episode = models.ForeignKey(
        Episode,
        on_delete=models.PROTECT,
        related_name="consents",
        db_index=False,  # the (episode, template_id) index below serves it
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    template_id = models.CharField(max_length=64)
    template_version = models.PositiveIntegerField()
    template_title = models.CharField(max_length=200)
    text = models.JSONField(help_text="The rendered sections the signer read")
    techniques = models.JSONField(help_text="Techniques this consent covers")
    signer_role = models.CharField(max_length=10, choices=SignerRole.choices)
    signer_name = models.CharField(max_length=200)
    guardian_relationship = models.CharField(max_length=100, blank=True)
    signature_kind = models.CharField(max_length=5, choices=SignatureKind.choices)
    signature_data = models.TextField(help_text="The typed name, or the drawn image as a data URL")
    signed_at = models.DateTimeField()
    witness_name = models.CharField(max_length=200, blank=True)
    risk_notes = models.TextField(
        blank=True, help_text="Patient-specific raised risks discussed (e.g. scoliosis, low BMI)"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["episode", "template_id"])]

    def __str__(self) -> str:
        return f"{self.template_title} v{self.template_version} signed {self.signed_at:%Y-%m-%d}"

    def is_active_at(self, moment: dt.datetime) -> bool:
        withdrawn = self.withdrawn_at is not None and self.withdrawn_at <= moment
        return self.signed_at <= moment and not withdrawn
