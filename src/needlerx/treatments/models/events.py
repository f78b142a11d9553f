"""The adverse-event register, the 24-72 h follow-up contacts after needling, and the list of
needled sessions with whether their follow-up was made."""

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
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="adverse_events",
        db_index=False,  # the (clinic, onset_at) index below serves it
    )
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
        indexes = [
            models.Index(fields=["clinic", "-onset_at"]),
            # The clinic dashboard counts a clinic's events by type and severity, each with the
            # session it followed, from this index alone (``clinic_outcomes.queries``).
            models.Index(
                fields=["clinic", "event_type", "severity", "session"],
                name="adverse_event_counts",
            ),
        ]


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
        TreatmentSession,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        db_index=False,  # the (session, outcome) index below serves it
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


# The outcomes that complete a follow-up (an ``unreachable`` call leaves it due).
FOLLOW_UP_MADE_OUTCOMES = (FollowUpOutcome.WELL, FollowUpOutcome.ADVERSE_EVENT)


class NeedledSession(models.Model):
    """A session in which at least one muscle was needled, and when its follow-up contact was
    first made (empty while it is due).

    It repeats facts held elsewhere (the session's needling entries and follow-ups), kept true by
    the services that add and remove entries and record follow-ups
    (``treatments.services.needled.needled_session_refresh``), so the follow-ups due, the clinic
    dashboard and the safety rates read a small indexed table instead of asking every session
    of a clinic whether it has an entry and a completed follow-up.
    """

    session = models.OneToOneField(
        TreatmentSession, on_delete=models.CASCADE, related_name="needled"
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (clinic, started_at, follow_up_made_at) index below serves it
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    follow_up_made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The dashboard's counts over a date range, from the index alone.
            models.Index(
                fields=["clinic", "started_at", "follow_up_made_at"],
                name="needled_clinic_started",
            ),
            # The follow-ups still due, oldest first (in the order pages are cut), whatever the
            # clinic's history.
            models.Index(
                fields=["clinic", "started_at", "session"],
                condition=models.Q(follow_up_made_at__isnull=True),
                name="needled_follow_up_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Needled session {self.started_at:%Y-%m-%d %H:%M}"
