"""The adverse-event register and the 24-72 h follow-up contacts after needling."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from needlerx.accounts.models import Clinic
from needlerx.core.models import PublicModel
from needlerx.patients.models import Patient
from needlerx.treatments.models.sessions import NeedlingEntry, TreatmentSession


class AdverseEvent(PublicModel):
    """An adverse event linked to the session (and the needling entry, when one muscle is the
    cause). The register is separate from the note, so an event found after signing is recorded."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="adverse_events"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="adverse_events")
    needling_entry = models.ForeignKey(
        NeedlingEntry,
        on_delete=models.PROTECT,
        related_name="adverse_events",
        null=True,
        blank=True,
    )
    event_type = models.CharField(max_length=40)
    severity = models.CharField(max_length=12)
    onset_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty while the event is ongoing"
    )
    description = models.TextField(blank=True)
    action_taken = models.TextField()
    follow_up = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-onset_at", "-id"]
        indexes = [models.Index(fields=["clinic", "-onset_at"])]


class FollowUpMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    MESSAGE = "message", "Message"
    IN_PERSON = "in_person", "In person"
    PORTAL = "portal", "Patient portal check-in"


class FollowUpOutcome(models.TextChoices):
    WELL = "well", "No adverse event reported"
    ADVERSE_EVENT = "adverse_event", "Adverse event reported (recorded in the register)"
    UNREACHABLE = "unreachable", "Could not reach the patient"


class FollowUp(PublicModel):
    """A contact after a needling session. ``unreachable`` leaves the follow-up due."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="follow_ups"
    )
    contacted_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=FollowUpMethod.choices)
    outcome = models.CharField(max_length=14, choices=FollowUpOutcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-contacted_at", "-id"]
        # "Has this session a completed follow-up?", asked of every session in the follow-up
        # window, answered from the index alone.
        indexes = [models.Index(fields=["session", "outcome"])]
