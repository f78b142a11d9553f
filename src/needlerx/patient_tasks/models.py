"""A task a patient does from home through a link: an after-needling check-in, a questionnaire
or a read-only look at their home exercise program.

The link carries a random token only; the task stores its SHA-256 (``token_hash``), so the
database never holds a working link. A task opens from ``valid_from`` to ``expires_at`` and,
once ``completed_at`` is set, answers "already done".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from needlerx.accounts.models import Clinic
from needlerx.core.models import PublicModel
from needlerx.patients.models import Episode, Patient
from needlerx.treatments.models import TreatmentSession


class TaskKind(models.TextChoices):
    CHECK_IN = "after_needling_check_in", "After-needling check-in"
    QUESTIONNAIRE = "questionnaire", "Questionnaire"
    HOME_PROGRAMME = "home_programme", "Home exercise program"


class PatientTask(PublicModel):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patient_tasks")
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,  # the (patient, created_at) index below serves it
    )
    kind = models.CharField(max_length=24, choices=TaskKind.choices)
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="patient_tasks", null=True
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="patient_tasks", null=True
    )
    instrument = models.CharField(max_length=24, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    valid_from = models.DateTimeField()
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    # One reminder per link (``needlerx patient_reminders``): the reminder carries a second
    # random token (the first is never stored), and either link opens this one task.
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # A check-in answer with a warning sign: an open safety alert until a clinician reviews it.
    serious = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            # The clinic home's open alerts: few serious check-ins not yet reviewed.
            models.Index(
                fields=["completed_at"],
                condition=models.Q(serious=True, reviewed_at__isnull=True),
                name="patient_task_open_alert_idx",
            ),
        ]

    @property
    def is_open_alert(self) -> bool:
        return self.serious and self.reviewed_at is None
