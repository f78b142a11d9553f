"""What every demo patient of one clinic shares: the practitioner context the screen reads, the
clinician's credential, whether the jurisdiction lets physical therapists dry needle, and the
current consent templates rendered for the clinician (a few queries per clinic, none per patient).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Any

from needlerx.accounts.models import Clinic, User
from needlerx.accounts.selectors import credential_current
from needlerx.clinical.treatment_reference import ConsentTemplate, consent_template_current
from needlerx.patients.models import Episode, Patient
from needlerx.scheduling.times import local
from needlerx.screening.services import practitioner_context
from needlerx.treatments.models import ConsentRecord
from needlerx.treatments.services.consent import consent_scope_findings, consent_texts

GENERAL_CONSENT = "dry_needling_general"
ELECTRICAL_CONSENT = "electrical_stimulation"
NO_PARTICULAR_RISK = "Your therapist has not recorded any risk particular to you."


@dataclass(frozen=True)
class ClinicContext:
    clinic: Clinic
    clinician: User
    practitioner: dict[str, Any]
    credential: Any
    needling_permitted: bool
    templates: dict[str, tuple[ConsentTemplate, list[dict[str, str]]]]

    def credential_words(self) -> str:
        held = self.credential
        if held is None:
            return "no current dry-needling credential is recorded"
        return (
            f"{held.hours} hours of dry-needling training with {held.training_provider}, "
            f"license {held.licence_number} ({held.licence_country}-{held.licence_region})"
        )


def clinic_day(clinic: Clinic, now: dt.datetime) -> dt.date:
    """The date ``now`` falls on where ``clinic`` is: the day its staff call today."""
    return local(now, clinic).date()


def clinic_context(clinic: Clinic, clinician: User, on: dt.date) -> ClinicContext:
    permitted = all(
        finding.severity != "absolute" for finding in consent_scope_findings(clinic=clinic, on=on)
    )
    current = {}
    for template_id in (GENERAL_CONSENT, ELECTRICAL_CONSENT):
        template = consent_template_current(template_id)
        if template is None:
            raise LookupError(f"no consent template {template_id!r}")
        current[template_id] = template
    texts = consent_texts(templates=list(current.values()), clinician=clinician, on=on)
    templates = {
        template_id: (template, text)
        for (template_id, template), text in zip(current.items(), texts, strict=True)
    }
    return ClinicContext(
        clinic,
        clinician,
        practitioner_context(user=clinician, clinic=clinic, on=on),
        credential_current(user=clinician, on=on),
        permitted,
        templates,
    )


def consent_for(
    rng: random.Random,
    context: ClinicContext,
    template_id: str,
    patient: Patient,
    episode: Episode,
    at: dt.datetime,
    risk_notes: str,
) -> ConsentRecord:
    """The consent as ``consent_record`` stores it: the current template with every particular
    filled in (patient, clinic, date, therapist's training, the risks raised for this patient)."""
    template, sections = context.templates[template_id]
    clinician = context.clinician
    name = clinician.get_full_name() or clinician.get_username()
    about = {
        "id": "particulars",
        "heading": "This consent",
        "text": (
            f"Patient: {patient.full_name}. Clinic: {context.clinic.name}. "
            f"Date: {clinic_day(context.clinic, at).isoformat()}. "
            f"Therapist: {name} ({context.credential_words()})."
        ),
    }
    risks = {
        "id": "your_risks",
        "heading": "Risks raised for you",
        "text": risk_notes or NO_PARTICULAR_RISK,
    }
    signer = patient.full_name
    return ConsentRecord(
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        episode=episode,
        patient=patient,
        template_id=template.id,
        template_version=template.version,
        template_title=template.title,
        text=[about, *sections, risks],
        techniques=list(template.covers_techniques),
        signer_role="patient",
        signer_name=signer,
        signature_kind="typed",
        signature_data=signer,
        signed_at=at,
        risk_notes=risk_notes,
        recorded_by=clinician,
    )
