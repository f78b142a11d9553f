"""Technique guidance acknowledged once per episode (who, when, which guidance)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from needlerx.core.models import PublicModel
from needlerx.patients.models import Episode


class GuidanceAcknowledgement(PublicModel):
    """The clinician read the anatomy and technique guidance for these items in this episode.

    Append-only: a later acknowledgement adds the guidance ids that were new; none is edited.
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="guidance_acknowledgements"
    )
    guidance_ids = models.JSONField(help_text="Guidance item ids acknowledged")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField()
    session = models.ForeignKey(
        "treatments.TreatmentSession", on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["acknowledged_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            from needlerx.treatments.models.locking import SignedNoteLocked

            raise SignedNoteLocked("An acknowledgement cannot be changed; record a new one.")
        super().save(*args, **kwargs)
