"""A patient's own account: a user (``User.is_patient``) tied to one patient record.

It starts as an invitation the clinic sends: ``invite_token_hash`` holds the SHA-256 of a random
token (the emailed link carries the token; the database never holds a working link), valid until
``invite_expires_at`` and cleared once used. ``user`` is set when the patient chooses a password.
The clinic may close the account (``closed_at``): the user is made inactive, so the patient can no
longer sign in or ask for a new password; inviting them again reopens it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from needlerx.core.models import PublicModel
from needlerx.patients.models import Patient


class PatientAccount(PublicModel):
    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="account")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patient_account",
        null=True,
        blank=True,
    )
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField()
    invite_token_hash = models.CharField(max_length=64, blank=True)
    invite_expires_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invite_token_hash"],
                condition=~models.Q(invite_token_hash=""),
                name="patient_account_invite_token_unique",
            )
        ]

    def __str__(self) -> str:
        state = "closed" if self.closed_at else "active" if self.user_id else "invited"
        return f"Patient account ({state})"
