"""Who may do what: the one table behind every access decision (docs/security.md shows it).

Each permission names the roles that hold it within a clinic. Selectors and services ask
``require_permission``; nothing else compares role strings.
"""

from __future__ import annotations

from needlerx.accounts.models import Role

CLINICAL = frozenset({Role.CLINICIAN, Role.CLINIC_ADMIN})
EVERYONE = frozenset({Role.CLINICIAN, Role.FRONT_DESK, Role.CLINIC_ADMIN})
MANAGE_CREDENTIALS = "clinic.manage_credentials"
MANAGE_STAFF = "clinic.manage_staff"
MANAGE_CLINIC = "clinic.manage_settings"
PUBLISH_ARTICLES = "article.publish"
# A patient with their own account (User.is_patient) holds no membership, so no staff
# permission: this role is theirs alone and grants only their own account.
PATIENT = "patient"
USE_OWN_ACCOUNT = "patient_account.use_own"

PERMISSIONS: dict[str, frozenset[str]] = {
    "patient.view_demographics": EVERYONE,
    "patient.register": EVERYONE,
    "patient.edit_demographics": EVERYONE,
    "patient.view_clinical": CLINICAL,
    "patient.record_history": frozenset({Role.CLINICIAN}),
    "episode.open": frozenset({Role.CLINICIAN}),
    "episode.discharge": frozenset({Role.CLINICIAN}),
    "screening.run": frozenset({Role.CLINICIAN}),
    "treatment.document": frozenset({Role.CLINICIAN}),
    "treatment.view": CLINICAL,
    "measure.record": frozenset({Role.CLINICIAN}),
    "measure.view": CLINICAL,
    "appointment.view": EVERYONE,
    "appointment.book": EVERYONE,
    "consultation.manage": EVERYONE,
    MANAGE_STAFF: frozenset({Role.CLINIC_ADMIN}),
    MANAGE_CLINIC: frozenset({Role.CLINIC_ADMIN}),
    "audit.view": frozenset({Role.CLINIC_ADMIN}),
    MANAGE_CREDENTIALS: frozenset({Role.CLINIC_ADMIN}),
    PUBLISH_ARTICLES: frozenset({Role.CLINIC_ADMIN}),
    USE_OWN_ACCOUNT: frozenset({PATIENT}),
}


def role_has_permission(role: str | None, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return role is not None and role in PERMISSIONS[permission]
