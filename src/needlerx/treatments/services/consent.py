"""Recording and withdrawing dry-needling consent, and the check that needling is covered."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.local import clinic_conventions
from needlerx.accounts.models import Clinic, DryNeedlingCredential, User
from needlerx.accounts.selectors import credential_current, require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.screening.eligibility import scope_of_practice_findings
from needlerx.clinical.screening.findings import Finding
from needlerx.clinical.treatment_reference import (
    ConsentTemplate,
    consent_template_current,
    consent_templates,
    record_dates_reference,
)
from needlerx.core.errors import ApplicationError, validate_model
from needlerx.core.local import format_datetime
from needlerx.patients.models import Episode, Patient
from needlerx.treatments.models import ConsentRecord, SignatureKind, SignerRole
from needlerx.treatments.services.common import (
    DOCUMENT,
    now_allowing_clock_skew,
    require_dated_between,
    require_open_episode,
    start_of_day,
)

DRAWN_SIGNATURE = re.compile(r"^data:image/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$")
DRAWN_SIGNATURE_MAX_CHARS = 400_000


def _template(template_id: str, version: int | None) -> ConsentTemplate:
    template = (
        consent_template_current(template_id)
        if version is None
        else consent_templates().get((template_id, version))
    )
    if template is None:
        known = sorted({f"{tid} v{v}" for tid, v in consent_templates()})
        raise ApplicationError(
            f"unknown consent template {template_id!r}"
            + (f" version {version}" if version is not None else "")
            + f"; available: {', '.join(known)}",
            field="template_id",
        )
    return template


def consent_scope_findings(*, clinic: Clinic, on: dt.date) -> list[Finding]:
    """What the clinic's jurisdiction says about physical therapists dry needling (absolute when
    it is not permitted; a precaution when the law is silent or the jurisdiction unknown)."""
    return scope_of_practice_findings(country=clinic.country, region=clinic.region, as_of=on)


def consent_require_scope(*, clinic: Clinic, on: dt.date) -> None:
    """Refuse consent up front where physical therapists may not dry needle, with the source."""
    for finding in consent_scope_findings(clinic=clinic, on=on):
        if finding.severity == "absolute":
            raise ApplicationError(
                f"{finding.message} {clinic.name} cannot collect consent to dry needling "
                f"(source: {finding.source.citation}).",
                field="clinic",
                code="scope_not_permitted",
            )


def _credential_words(credential: DryNeedlingCredential | None) -> str:
    if credential is None:
        return "no current dry-needling credential is recorded"
    return (
        f"{credential.hours} hours of dry-needling training with {credential.training_provider}, "
        f"license {credential.licence_number} ({credential.licence_country}-"
        f"{credential.licence_region})"
    )


def consent_text(
    *,
    template: ConsentTemplate,
    clinician: User,
    on: dt.date,
    patient: Patient | None = None,
    risk_notes: str = "",
) -> list[dict[str, str]]:
    """The template as the patient reads and signs it: who, where and when, the clinician's
    training, and the risks raised for this patient, all filled in (no placeholders)."""
    credential = credential_current(user=clinician, on=on)
    return _filled(template, clinician, credential, on, patient, risk_notes)


def consent_texts(
    *,
    templates: list[ConsentTemplate],
    clinician: User,
    on: dt.date,
    patient: Patient | None = None,
    risk_notes: str = "",
) -> list[list[dict[str, str]]]:
    """``consent_text`` of each template, with the clinician's credential read once."""
    credential = credential_current(user=clinician, on=on)
    return [
        _filled(template, clinician, credential, on, patient, risk_notes) for template in templates
    ]


def _filled(
    template: ConsentTemplate,
    clinician: User,
    credential: DryNeedlingCredential | None,
    on: dt.date,
    patient: Patient | None,
    risk_notes: str,
) -> list[dict[str, str]]:
    name = clinician.get_full_name() or clinician.get_username()
    values = {
        "clinician_name": name,
        "training_hours": str(credential.hours) if credential else "no recorded",
        "training_provider": credential.training_provider if credential else "no recorded provider",
        "training_completed_on": credential.completed_on.isoformat() if credential else "n/a",
    }
    sections = template.render(values)
    if patient is None:
        return sections
    about = {
        "id": "particulars",
        "heading": "This consent",
        "text": (
            f"Patient: {patient.full_name}. Clinic: {patient.clinic.name}. Date: {on.isoformat()}. "
            f"Therapist: {name} ({_credential_words(credential)})."
        ),
    }
    risks = {
        "id": "your_risks",
        "heading": "Risks raised for you",
        "text": (
            risk_notes.strip() or "Your therapist has not recorded any risk particular to you."
        ),
    }
    return [about, *sections, risks]


def _check_signature(kind: str, data: str, signer_name: str) -> None:
    if kind not in SignatureKind.values:
        raise ApplicationError(
            f"unknown signature kind {kind!r}; allowed: {', '.join(SignatureKind.values)}",
            field="signature_kind",
        )
    if kind == SignatureKind.TYPED and data.strip().casefold() != signer_name.strip().casefold():
        raise ApplicationError(
            "a typed signature must be the signer's full name as entered in signer_name",
            field="signature_data",
        )
    if kind == SignatureKind.DRAWN and (
        len(data) > DRAWN_SIGNATURE_MAX_CHARS or not DRAWN_SIGNATURE.match(data)
    ):
        raise ApplicationError(
            "a drawn signature must be a PNG or SVG image as a base64 data URL "
            f"(data:image/png;base64,...) of at most {DRAWN_SIGNATURE_MAX_CHARS:,} characters",
            field="signature_data",
        )


def _check_requirements(episode: Episode, template: ConsentTemplate, at: dt.datetime) -> None:
    for required in template.requires:
        if not any(
            record.is_active_at(at)
            for record in ConsentRecord.objects.filter(episode=episode, template_id=required)
        ):
            raise ApplicationError(
                f"{template.title} is signed in addition to an active {required!r} consent; "
                "record that consent first",
                field="template_id",
            )


def _techniques(template: ConsentTemplate, techniques: list[str] | None) -> list[str]:
    if techniques is None:
        return list(template.covers_techniques)
    covered = list(template.covers_techniques)
    for index, technique in enumerate(techniques):
        if technique not in covered:
            raise ApplicationError(
                f"{template.title} covers {', '.join(covered)} (got {technique!r})",
                field=f"techniques[{index}]",
            )
    if not techniques:
        raise ApplicationError(f"choose at least one of {', '.join(covered)}", field="techniques")
    return list(dict.fromkeys(techniques))


def _require_signed_in_bounds(episode: Episode, moment: dt.datetime) -> None:
    """Not in the future; not longer before the episode opened than record_dates.yaml allows."""
    before = record_dates_reference().consent_before_episode_opened.days
    require_dated_between(
        "signed_at",
        moment,
        clinic=episode.patient.clinic,
        earliest=(
            start_of_day(episode.opened_on - dt.timedelta(days=before), episode.patient.clinic),
            f"{before} days before the episode opened",
        ),
        latest=(now_allowing_clock_skew(), "now"),
    )


@transaction.atomic
def consent_record(
    *,
    actor: User,
    episode: Episode,
    template_id: str,
    signer_name: str,
    signature_kind: str,
    signature_data: str,
    signer_role: str = SignerRole.PATIENT,
    template_version: int | None = None,
    guardian_relationship: str = "",
    witness_name: str = "",
    risk_notes: str = "",
    techniques: list[str] | None = None,
    signed_at: dt.datetime | None = None,
) -> ConsentRecord:
    """Record a signed consent for the episode, storing the exact text the signer read."""
    patient = episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission=DOCUMENT)
    require_open_episode(episode)
    moment = signed_at or timezone.now()
    _require_signed_in_bounds(episode, moment)
    consent_require_scope(clinic=patient.clinic, on=moment.date())
    template = _template(template_id, template_version)
    if signer_role == SignerRole.GUARDIAN and not guardian_relationship.strip():
        raise ApplicationError(
            "say how the guardian is related to the patient", field="guardian_relationship"
        )
    _check_signature(signature_kind, signature_data, signer_name)
    _check_requirements(episode, template, moment)
    record = ConsentRecord(
        episode=episode,
        patient=patient,
        template_id=template.id,
        template_version=template.version,
        template_title=template.title,
        text=consent_text(
            template=template,
            clinician=actor,
            on=moment.date(),
            patient=patient,
            risk_notes=risk_notes,
        ),
        techniques=_techniques(template, techniques),
        signer_role=signer_role,
        signer_name=signer_name.strip(),
        guardian_relationship=guardian_relationship.strip(),
        signature_kind=signature_kind,
        signature_data=signature_data,
        signed_at=moment,
        witness_name=witness_name.strip(),
        risk_notes=risk_notes.strip(),
        recorded_by=actor,
    )
    validate_model(record, exclude=["episode", "patient", "recorded_by"])
    record.save()
    audit_record(
        action="consent.record",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=record,
        patient=patient,
        detail={"template": f"{template.id} v{template.version}", "techniques": record.techniques},
    )
    return record


@transaction.atomic
def consent_withdraw(*, actor: User, consent: ConsentRecord, reason: str = "") -> ConsentRecord:
    """Withdraw a consent from now on; needling after this needs a new consent."""
    patient = consent.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission=DOCUMENT)
    locked = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ApplicationError(
            "this consent was already withdrawn on "
            f"{format_datetime(locked.withdrawn_at, clinic_conventions(patient.clinic))}",
            field="consent",
        )
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor
    locked.withdrawal_reason = reason.strip()
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        action="consent.withdraw",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=locked,
        patient=patient,
        detail={"template": locked.template_id},
    )
    return locked


def consent_require_for_technique(*, episode: Episode, technique: str, at: dt.datetime) -> None:
    """Refuse unless an active consent covers ``technique`` (and the consents it builds on)."""
    active = [r for r in ConsentRecord.objects.filter(episode=episode) if r.is_active_at(at)]
    covering = [r for r in active if technique in r.techniques]
    active_ids = {r.template_id for r in active}
    for record in covering:
        template = consent_templates().get((record.template_id, record.template_version))
        if template is not None and set(template.requires) <= active_ids:
            return
    raise ApplicationError(
        f"no active consent covers {technique!r} needling for this episode; record the patient's "
        "signed consent first (a withdrawn consent no longer counts)",
        field="technique",
        code="consent_required",
    )
