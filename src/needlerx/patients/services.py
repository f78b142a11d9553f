"""Writes of patient data: each validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, User
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical import episodes
from needlerx.clinical.reference import fact_catalogue
from needlerx.clinical.screening import screen
from needlerx.core.errors import (
    ApplicationError,
    clinical_errors_as_application_errors,
    validate_model,
)
from needlerx.patients.models import (
    Episode,
    EpisodeStatus,
    HistoryFact,
    Medication,
    MedicationClass,
    Patient,
)
from needlerx.patients.mrn import normalise_medical_record_number

PATIENT_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "height_cm",
    "weight_kg",
)
BODY_MEASURES = ("height_cm", "weight_kg")
# What ``patient_update`` may change: the registration fields and the MRN (never the clinic).
EDITABLE_FIELDS = ("medical_record_number", *PATIENT_FIELDS)


def _body_measure_range(field: str) -> tuple[Decimal, Decimal]:
    """The range the screen accepts for height or weight (``clinical/data/facts.yaml``), so a
    patient registered with a value the screen would refuse cannot break it later."""
    fact = fact_catalogue()[field]
    return Decimal(str(fact.minimum)), Decimal(str(fact.maximum))


def _check_body_measure(field: str, value: Any) -> Decimal | None:
    """Height and weight within the range the screen accepts."""
    if value in (None, ""):
        return None
    low, high = _body_measure_range(field)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ApplicationError(
            f"must be a number from {float(low):g} to {float(high):g}", field=field
        ) from None
    if not number.is_finite() or not low <= number <= high:
        raise ApplicationError(
            f"must be a number from {float(low):g} to {float(high):g} (got {value})", field=field
        )
    return number


def _check_date_not_future(field: str, value: dt.date, today: dt.date) -> None:
    if value > today:
        raise ApplicationError(
            f"cannot be in the future (got {value.isoformat()}; today is {today.isoformat()})",
            field=field,
        )


@transaction.atomic
def patient_register(
    *, actor: User, clinic: Clinic, medical_record_number: str, **fields: Any
) -> Patient:
    """Register a patient in a clinic. Fields are those of PATIENT_FIELDS.

    The MRN is stored normalised (``patients.mrn``) and is unique in the clinic in that form.
    """
    role = require_permission(user=actor, clinic=clinic, permission="patient.register")
    _refuse_unknown_fields(fields, PATIENT_FIELDS)
    for field in BODY_MEASURES:
        fields[field] = _check_body_measure(field, fields.get(field))
    medical_record_number = normalise_medical_record_number(medical_record_number)
    patient = Patient(clinic=clinic, medical_record_number=medical_record_number, **fields)
    validate_model(patient, exclude=["clinic"])
    _check_date_not_future("date_of_birth", patient.date_of_birth, clinic_today(clinic))
    if Patient.objects.filter(clinic=clinic, medical_record_number=medical_record_number).exists():
        raise ApplicationError(
            "is already used by another patient in this clinic", field="medical_record_number"
        )
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:
        raise ApplicationError(
            "is already used by another patient in this clinic", field="medical_record_number"
        ) from None
    audit_record(
        action="patient.register",
        actor=actor,
        actor_role=role,
        clinic=clinic,
        obj=patient,
        patient=patient,
    )
    return patient


def _refuse_unknown_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ApplicationError(
            f"unknown field; allowed: {', '.join(allowed)}", field=sorted(unknown)[0]
        )


def _refuse_taken_medical_record_number(patient: Patient) -> None:
    taken = Patient.objects.filter(
        clinic_id=patient.clinic_id, medical_record_number=patient.medical_record_number
    ).exclude(pk=patient.pk)
    if taken.exists():
        raise ApplicationError(
            "is already used by another patient in this clinic", field="medical_record_number"
        )


@transaction.atomic
def patient_update(*, actor: User, patient: Patient, **changes: Any) -> Patient:
    """Correct a patient's demographics: only the fields given change (``EDITABLE_FIELDS``).

    Checked as at registration (the MRN normalised and unique in the clinic, the date of birth
    not in the future, height and weight in the screen's range). The audit event names the
    fields that changed, never their old or new values; a save that changes nothing writes
    nothing.
    """
    role = require_permission(
        user=actor, clinic=patient.clinic, permission="patient.edit_demographics"
    )
    _refuse_unknown_fields(changes, EDITABLE_FIELDS)
    for field in BODY_MEASURES:
        if field in changes:
            changes[field] = _check_body_measure(field, changes[field])
    if isinstance(changes.get("medical_record_number"), str):
        changes["medical_record_number"] = normalise_medical_record_number(
            changes["medical_record_number"]
        )
    current = Patient.objects.select_for_update().select_related("clinic").get(pk=patient.pk)
    changed = sorted(field for field, value in changes.items() if getattr(current, field) != value)
    if not changed:
        return current
    for field in changed:
        setattr(current, field, changes[field])
    validate_model(current, exclude=["clinic"])
    _check_date_not_future("date_of_birth", current.date_of_birth, timezone.localdate())
    _refuse_taken_medical_record_number(current)
    try:
        with transaction.atomic():
            current.save(update_fields=changed)
    except IntegrityError:
        raise ApplicationError(
            "is already used by another patient in this clinic", field="medical_record_number"
        ) from None
    audit_record(
        action="patient.update",
        actor=actor,
        actor_role=role,
        clinic=current.clinic,
        obj=current,
        patient=current,
        detail={"fields": changed},
    )
    return current


@transaction.atomic
def history_fact_record(*, actor: User, patient: Patient, fact: str, value: Any) -> HistoryFact:
    """Record one screening fact (an id of clinical/data/facts.yaml); the screen checks its type."""
    return history_facts_record(actor=actor, patient=patient, facts={fact: value})[0]


@transaction.atomic
def history_facts_record(
    *, actor: User, patient: Patient, facts: dict[str, Any]
) -> list[HistoryFact]:
    """Record several screening facts at once, validated together with what is on record.

    Facts that go together (an INR and its date, a trimester and pregnancy) are checked as a
    whole, so a pair can be entered in one save. ``None`` clears a recorded value. Nothing is
    stored unless every fact is valid.
    """
    role = require_permission(
        user=actor, clinic=patient.clinic, permission="patient.record_history"
    )
    recorded: dict[str, Any] = {}
    for row in HistoryFact.objects.filter(patient=patient).order_by("fact", "-recorded_at"):
        recorded.setdefault(row.fact, row.value)
    with clinical_errors_as_application_errors():
        screen({fact: facts.get(fact, recorded.get(fact)) for fact in {*recorded, *facts}}, [])
    now = timezone.now()
    stored = []
    for fact, value in facts.items():
        record = HistoryFact.objects.create(
            patient=patient, fact=fact, value=value, recorded_at=now, recorded_by=actor
        )
        audit_record(
            action="history_fact.record",
            actor=actor,
            actor_role=role,
            clinic=patient.clinic,
            obj=record,
            patient=patient,
            detail={"fact": fact},
        )
        stored.append(record)
    return stored


@transaction.atomic
def medication_add(*, actor: User, patient: Patient, **fields: Any) -> Medication:
    role = require_permission(
        user=actor, clinic=patient.clinic, permission="patient.record_history"
    )
    medication = Medication(patient=patient, recorded_by=actor, **fields)
    if medication.drug_class == MedicationClass.OPIOID and not medication.opioid:
        raise ApplicationError(
            "name the opioid (e.g. oxycodone) so morphine equivalents can be computed",
            field="opioid",
        )
    validate_model(medication, exclude=["patient", "recorded_by"])
    if (
        medication.started_on
        and medication.stopped_on
        and medication.stopped_on < medication.started_on
    ):
        raise ApplicationError("must be on or after the start date", field="stopped_on")
    medication.save()
    audit_record(
        action="medication.add",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=medication,
        patient=patient,
    )
    return medication


@transaction.atomic
def episode_open(
    *,
    actor: User,
    patient: Patient,
    regions: list[str],
    onset_date: dt.date,
    diagnosis_codes: list[str] | None = None,
    referral_source: str = "",
    opened_on: dt.date | None = None,
) -> Episode:
    role = require_permission(user=actor, clinic=patient.clinic, permission="episode.open")
    today = clinic_today(patient.clinic)
    with clinical_errors_as_application_errors():
        regions = episodes.validate_regions(regions)
        codes = episodes.validate_diagnosis_codes(diagnosis_codes or [])
    _check_date_not_future("onset_date", onset_date, today)
    episode = Episode(
        patient=patient,
        regions=regions,
        diagnosis_codes=codes,
        onset_date=onset_date,
        referral_source=referral_source,
        opened_on=opened_on or today,
    )
    validate_model(episode, exclude=["patient"])
    episode.save()
    audit_record(
        action="episode.open",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=episode,
        patient=patient,
    )
    return episode


@transaction.atomic
def episode_discharge(*, actor: User, episode: Episode, by_note: str = "") -> Episode:
    """Discharge an open episode on the clinic's today (signing its discharge note does:
    ``treatments.services.signing``); an episode discharged already is left as it was. New
    care then needs a new episode (``treatments.services.common.require_open_episode``)."""
    patient = episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission="episode.discharge")
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if locked.status != EpisodeStatus.OPEN:
        return locked
    locked.status, locked.discharged_on = EpisodeStatus.DISCHARGED, clinic_today(patient.clinic)
    locked.save(update_fields=["status", "discharged_on"])
    audit_record(
        action="episode.discharge",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=locked,
        patient=patient,
        detail={"discharged_on": locked.discharged_on.isoformat(), "by_note": by_note},
    )
    return locked
