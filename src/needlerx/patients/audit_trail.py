"""Reads of the audit trail, for clinic admins (permission ``audit.view``)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from needlerx.accounts.models import User
from needlerx.audit.models import AuditEvent
from needlerx.patients.models import Patient
from needlerx.patients.selectors import patient_get_for_user, record_shown


def patient_audit_trail_for_user(
    *, user: User, patient_public_id: uuid.UUID | str
) -> tuple[Patient, QuerySet[AuditEvent]]:
    """Everyone who viewed or changed a patient's record, newest first.

    Another clinic's patient is not found; a role without ``audit.view`` is refused.
    """
    patient = patient_get_for_user(user=user, public_id=patient_public_id, permission="audit.view")
    record_shown(user=user, patient=patient, obj=patient, what="audit_trail")
    events = AuditEvent.objects.filter(patient_public_id=str(patient.public_id)).order_by(
        "-sequence"
    )
    return patient, events
