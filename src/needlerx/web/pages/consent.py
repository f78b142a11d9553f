"""The consent part of the session note: the documents as the patient will read them (filled in,
never placeholders) and, before anything is asked, what the clinic's jurisdiction says."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.clinical.treatment_reference import consent_templates_current
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.services.consent import consent_scope_findings, consent_texts

RAISED_SEVERITIES = ("relative", "precaution")


def raised_risks(session: TreatmentSession) -> str:
    """Patient-specific risks from the session's re-check, to discuss and write on the consent."""
    findings = (session.safety_result or {}).get("findings", [])
    titles = [
        f["title"]
        for f in findings
        if f.get("severity") in RAISED_SEVERITIES and f.get("kind", "rule") == "rule"
    ]
    return "; ".join(dict.fromkeys(titles))


def consent_context(*, user: User, session: TreatmentSession) -> dict[str, Any]:
    today = timezone.localdate()
    clinic = session.patient.clinic
    scope = consent_scope_findings(clinic=clinic, on=today)
    risks = raised_risks(session)
    templates = consent_templates_current()
    texts = consent_texts(
        templates=templates, clinician=user, on=today, patient=session.patient, risk_notes=risks
    )
    previews = [
        {"template": template, "sections": sections}
        for template, sections in zip(templates, texts, strict=True)
    ]
    return {
        "consent_previews": previews,
        "consent_blocked": [f for f in scope if f.severity == "absolute"],
        "consent_warnings": [f for f in scope if f.severity != "absolute"],
        "consent_risks": risks,
    }
