"""Audit events: append-only, each carrying the SHA-256 of its content and of the one before."""

from __future__ import annotations

from typing import Any

from django.db import models


class AuditEvent(models.Model):
    """Who did what to which record, when, from where. Never updated, never deleted.

    ``sequence`` orders the chain; ``content_hash`` covers every other column plus
    ``previous_hash``, so an edited, inserted or deleted row breaks the chain at that row.
    ``seal`` is an HMAC of ``content_hash`` under a key kept outside the database, so a row
    forged by someone who can write to the database but lacks the key is detected too.
    Database triggers (``audit.guard``) refuse UPDATE and DELETE on this table.
    """

    sequence = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor_public_id = models.CharField(max_length=36, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    clinic_public_id = models.CharField(max_length=36, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_public_id = models.CharField(max_length=36, blank=True)
    patient_public_id = models.CharField(max_length=36, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    client_address = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    command = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64)
    seal = models.CharField(
        max_length=64, blank=True, help_text="HMAC-SHA256 of content_hash under the audit key"
    )

    class Meta:
        ordering = ["sequence"]
        # The trail grows with every page anyone opens, so each read of it seeks a range of one
        # of these and never walks the chain (tests/audit/test_audit_trail_plans.py).
        indexes = [
            # login throttling counts recent failures per username and per client address,
            # newest first
            models.Index(fields=["actor_username", "occurred_at"], name="audit_actor_time"),
            models.Index(fields=["client_address", "occurred_at"], name="audit_address_time"),
            # a patient's audit trail, newest first, a page at a time
            models.Index(fields=["patient_public_id", "sequence"], name="audit_patient_sequence"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_username or self.command}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only: an event is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only: an event is never deleted.")
