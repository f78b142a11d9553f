"""Trigger points found on examination, recorded per muscle and side within an episode."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from needlerx.core.models import PublicModel
from needlerx.patients.models import Episode, Patient


class TriggerPointStatus(models.TextChoices):
    ACTIVE = "active", "Active (reproduces the patient's pain)"
    LATENT = "latent", "Latent (tender, does not reproduce the familiar pain)"


class TriggerPoint(PublicModel):
    """One examination finding of a myofascial trigger point. Never edited: a re-examination
    records a new row, so the chart shows how findings changed over the episode."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="trigger_points")
    episode = models.ForeignKey(
        Episode,
        on_delete=models.CASCADE,
        related_name="trigger_points",
        db_index=False,  # the (episode, muscle, side, recorded_at) index below serves it
    )
    muscle = models.CharField(max_length=64, help_text="Muscle id from the clinical catalogue")
    side = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=TriggerPointStatus.choices)
    taut_band = models.BooleanField(default=False)
    local_twitch_response = models.BooleanField(default=False)
    referred_pain = models.BooleanField(default=False)
    referred_pain_pattern = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["episode", "muscle", "side", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.status} trigger point, {self.muscle} ({self.side})"
