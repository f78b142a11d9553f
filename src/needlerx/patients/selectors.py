"""Reads of patient data. Every one takes the requesting user and scopes to their clinics.

Each read that shows a patient's record is recorded for the audit trail here, where it happens
(``record_shown`` and ``audit.reads``), so every door (page, API, CLI) is covered.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Model, QuerySet
from django.db.models.functions import Lower

from needlerx.accounts.models import User
from needlerx.accounts.permissions import role_has_permission
from needlerx.accounts.selectors import clinic_ids_with_permission, role_in_clinic
from needlerx.audit.reads import audit_listing, audit_read, audit_read_refused
from needlerx.clinical.episodes import episode_reference
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.screening.inputs import parse_facts, parse_plan
from needlerx.clinical.screening.required import missing_answers
from needlerx.core.errors import NotFound, PermissionDenied, clinical_errors_as_application_errors
from needlerx.core.prepared import (
    ByPublicId,
    Counting,
    ValuesRead,
    counts_together,
    prepared_read,
)
from needlerx.patients.models import (
    ClinicPatientCount,
    Episode,
    EpisodeStatus,
    HistoryFact,
    Medication,
    Patient,
)
from needlerx.patients.paging import PatientPaginator, patients_between
from needlerx.patients.search import patient_search_condition


def patient_list_for_user(*, user: User, search: str = "") -> QuerySet[Patient]:
    """Patients in the clinics where the user may see demographics, optionally searched.

    ``search`` matches the start of the family or given name (either order, any case, accents
    ignored), the MRN (normalised as it is stored), or a date of birth (YYYY-MM-DD or
    MM/DD/YYYY); each through an index (``patients.search``).
    """
    clinic_ids = clinic_ids_with_permission(user=user, permission="patient.view_demographics")
    return _patients_in_clinics(clinic_ids, search)


@dataclass(frozen=True)
class PatientSlice:
    """Patients ``start`` to ``stop`` of a list, and how many the whole list holds."""

    total: int
    patients: list[Patient]


def patient_slice_for_user(*, user: User, search: str = "", start: int, stop: int) -> PatientSlice:
    """Patients ``start`` to ``stop`` of ``patient_list_for_user`` (past the end: none), with
    the true total; the patients in it are recorded for the audit trail as one listing."""
    clinic_ids = clinic_ids_with_permission(user=user, permission="patient.view_demographics")
    patients = _patients_in_clinics(clinic_ids, search)
    shown = list(patients_between(patients, start, stop))
    audit_listing(actor=user, patients=shown, what="patient_list")
    return PatientSlice(total=_total(patients, clinic_ids, search), patients=shown)


@prepared_read()
def _clinic_patient_counts(clinic_ids: list[int]) -> ValuesRead:
    return ClinicPatientCount.objects.filter(clinic_id__in=clinic_ids).values("patients")


def patient_count_in_clinics(clinic_ids: list[int]) -> int:
    """How many patients the clinics hold: one stored row per clinic, which the database keeps
    (``ClinicPatientCount``), rather than a count of every patient."""
    (number,) = counts_together(patients_in_clinics_counting(clinic_ids))
    return number


def patients_in_clinics_counting(clinic_ids: list[int]) -> Counting:
    """``patient_count_in_clinics`` to be asked with other counts in one statement."""
    return _clinic_patient_counts.summing(clinic_ids=clinic_ids)


def _total(patients: QuerySet[Patient], clinic_ids: list[int], search: str) -> int:
    """A list's true total: the clinics' stored counts for the whole list, else a count."""
    if _search_term(search):
        return patients.count()
    return patient_count_in_clinics(clinic_ids)


def _search_term(search: str) -> str:
    return search.strip()[:100]


def _patients_in_clinics(clinic_ids: list[int], search: str) -> QuerySet[Patient]:
    term = _search_term(search)
    if not term:
        patients = Patient.objects.filter(clinic_id__in=clinic_ids)
        return patients.select_related("clinic").order_by("family_name", "given_name", "id")
    patients = Patient.objects.filter(patient_search_condition(term, clinic_ids=clinic_ids))
    # Matches are sorted by name regardless of case, an order no index gives: given the order of
    # the (clinic, family name, given name) index, PostgreSQL fills a first page by walking the
    # whole clinic in name order and testing each patient, instead of seeking the matches.
    return patients.select_related("clinic").order_by(
        Lower("family_name"), Lower("given_name"), "id"
    )


_PATIENT = ByPublicId(Patient.objects.select_related("clinic"))
_EPISODE = ByPublicId(Episode.objects.select_related("patient__clinic"))


def patient_get_for_user(
    *, user: User, public_id: uuid.UUID | str, permission: str = "patient.view_demographics"
) -> Patient:
    """The patient, if the user holds ``permission`` in the patient's clinic; else NotFound.

    A patient in another clinic is reported as not found rather than forbidden, so ids do not
    leak which patients exist elsewhere. A role that may see the patient but not do
    ``permission`` is refused (PermissionDenied). The read is recorded for the audit trail.
    """
    patient = _PATIENT.get(public_id)
    if patient is None:
        raise NotFound("No such patient.")
    patient_access_check(user=user, patient=patient, permission=permission)
    record_shown(user=user, patient=patient, obj=patient)
    return patient


def patient_access_check(*, user: User, patient: Patient, permission: str) -> str:
    """The user's role in the patient's clinic, if it grants ``permission``; else refuse."""
    role = role_in_clinic(user=user, clinic=patient.clinic)
    if role is not None and role_has_permission(role, permission):
        return role
    audit_read_refused(patient=patient)
    if role is not None and role_has_permission(role, "patient.view_demographics"):
        raise PermissionDenied()
    raise NotFound("No such patient.")


def require_same_patient(
    *, patient: Patient, patient_id: uuid.UUID | str | None, what: str
) -> None:
    """A URL names the patient and one of their records: both must agree (NotFound if not,
    worded like a record that does not exist)."""
    if patient_id is not None and str(patient.public_id) != str(patient_id):
        audit_read_refused(patient=patient)
        raise NotFound(f"No such {what}.")


def record_shown(*, user: User, patient: Patient, obj: Model, what: str = "") -> None:
    """Record for the audit trail that ``user`` was shown ``obj`` of ``patient``'s record.

    ``what`` names what was shown when it is more than the record itself (``progress``).
    """
    role = role_in_clinic(user=user, clinic=patient.clinic) or ""
    audit_read(actor=user, actor_role=role, patient=patient, obj=obj, what=what)


def patient_page_for_user(
    *,
    user: User,
    search: str = "",
    page: str | int | None = None,
    per_page: int,
    permission: str = "",
) -> Page[Patient]:
    """One page of ``patient_list_for_user`` (optionally only clinics granting ``permission``),
    with the true total; the patients on it are recorded for the audit trail as one listing."""
    clinic_ids = clinic_ids_with_permission(user=user, permission="patient.view_demographics")
    if permission:
        allowed = set(clinic_ids_with_permission(user=user, permission=permission))
        clinic_ids = [clinic_id for clinic_id in clinic_ids if clinic_id in allowed]
    patients = _patients_in_clinics(clinic_ids, search)
    total = _total(patients, clinic_ids, search)
    shown = PatientPaginator(patients, per_page, total=total).get_page(page)
    audit_listing(actor=user, patients=list(shown), what="patient_list")
    return shown


# The patient's history, medications and episodes, each read prepared once (core.prepared): the
# patient header of every clinical page reads the screening facts.
@prepared_read()
def _history(patient_id: int) -> QuerySet[HistoryFact]:
    """What ``current_facts_of`` reads of the patient's history, in no order (it needs none)."""
    return HistoryFact.objects.filter(patient_id=patient_id).only(*FACT_FIELDS).order_by()


@prepared_read()
def _medications(patient_id: int) -> QuerySet[Medication]:
    return Medication.objects.filter(patient_id=patient_id)


@prepared_read()
def _episodes(patient_id: int) -> QuerySet[Episode]:
    return Episode.objects.filter(patient_id=patient_id)


def patient_medications(*, patient: Patient) -> list[Medication]:
    """The patient's medications (the caller has read the patient through a selector)."""
    return _medications.all(patient_id=patient.pk)


def patient_episodes(*, patient: Patient) -> list[Episode]:
    """The patient's episodes of care, newest first (the caller has checked access)."""
    return _episodes.all(patient_id=patient.pk)


def current_facts_of(history: Iterable[HistoryFact]) -> dict[str, Any]:
    """The latest value of each fact in ``history`` (one patient's records, in any order; the
    later record wins a tie of times), without the cleared ones."""
    latest: dict[str, HistoryFact] = {}
    for record in history:
        seen = latest.get(record.fact)
        if seen is None or (record.recorded_at, record.pk) > (seen.recorded_at, seen.pk):
            latest[record.fact] = record
    return {fact: record.value for fact, record in latest.items() if record.value is not None}


FACT_FIELDS = ("id", "fact", "value", "recorded_at")
# Medication classes that are screening facts in their own right while the drug is taken.
FACT_FOR_ACTIVE_MEDICATION_CLASS = {
    "anticoagulant": "anticoagulant_therapy",
    "antiplatelet": "antiplatelet_therapy",
}


def patient_screening_facts(*, patient: Patient, on: dt.date) -> dict[str, Any]:
    """Facts for the suitability screen: recorded facts, age, height and weight, medications
    (see ``screening_facts_of``)."""
    return screening_facts_of(
        patient,
        history=_history.all(patient_id=patient.pk),
        medications=_medications.all(patient_id=patient.pk),
        on=on,
    )


def screening_facts_of(
    patient: Patient,
    *,
    history: Iterable[HistoryFact],
    medications: Iterable[Medication],
    on: dt.date,
) -> dict[str, Any]:
    """The screen's facts from the patient's history and medication records already read (all
    of them; a page that shows them need not read them twice).

    A risk counts whichever record holds it: an active anticoagulant on the medication list
    makes ``anticoagulant_therapy`` true even when the history says "No" (never the reverse),
    and the disagreement is passed on to the screen as ``record_conflicts`` so the clinician
    sees it and corrects the record.
    """
    facts: dict[str, Any] = {"age": patient.age_on(on)}
    if patient.height_cm and patient.weight_kg:
        facts["height_cm"] = float(patient.height_cm)
        facts["weight_kg"] = float(patient.weight_kg)
    recorded = current_facts_of(history)
    if "bmi" in recorded:
        facts.pop("height_cm", None)
        facts.pop("weight_kg", None)
    facts.update(recorded)
    others = _risks_from_other_records(medications, recorded, on)
    conflicts = sorted(fact for fact in others if facts.get(fact) is False)
    facts.update(dict.fromkeys(others, True))
    if conflicts:
        facts["record_conflicts"] = conflicts
    return facts


def _risks_from_other_records(
    medications: Iterable[Medication], recorded: dict[str, Any], on: dt.date
) -> set[str]:
    """Risk facts that a record other than the yes/no history shows to be true."""
    risks = {
        fact
        for medication in medications
        if (fact := FACT_FOR_ACTIVE_MEDICATION_CLASS.get(medication.drug_class))
        and medication.is_active_on(on)
    }
    if recorded.get("implanted_device_sites"):
        risks.add("implanted_electrical_device")
    if recorded.get("pregnancy_trimester"):
        risks.add("pregnant")
    return risks


def patient_unanswered_questions(
    *, patient: Patient, on: dt.date, facts: dict[str, Any] | None = None
) -> tuple[str, ...]:
    """Required screening questions still unanswered for the patient's open episodes (see
    ``unanswered_questions_of``). ``facts`` are the patient's screening facts when the caller
    has already read them."""
    if facts is None:
        facts = patient_screening_facts(patient=patient, on=on)
    open_episodes = Episode.objects.filter(patient=patient, status=EpisodeStatus.OPEN)
    return unanswered_questions_of(facts, open_episodes)


def unanswered_questions_of(
    facts: dict[str, Any], open_episodes: Iterable[Episode]
) -> tuple[str, ...]:
    """The same rule as the screen's ``missing`` list, over every muscle the open episodes could
    plan, so the evaluation can show what is left before a screen can clear needling."""
    muscle_regions = {region.id: region.muscle_regions for region in episode_reference().regions}
    regions = {
        muscle_region
        for episode in open_episodes
        for region in episode.regions
        for muscle_region in muscle_regions.get(region, ())
    }
    plan = [
        {"muscle": muscle.id, "side": "left" if muscle.sided else "midline", "technique": "static"}
        for muscle in muscle_catalogue().values()
        if muscle.region in regions
    ]
    # Facts on record were validated when recorded; if they no longer parse, say so (an error)
    # rather than report "nothing left to answer".
    with clinical_errors_as_application_errors():
        return missing_answers(parse_facts(facts), parse_plan(plan))


@dataclass(frozen=True)
class EvaluationRecord:
    """What the evaluation page shows of a patient, from one read of each record."""

    facts: dict[str, Any]  # the screen's facts on the day (``screening_facts_of``)
    current: dict[str, Any]  # the latest recorded value of each fact (``current_facts_of``)
    unanswered: tuple[str, ...]  # required questions still to answer for the open episodes
    medications: list[Medication]
    episodes: list[Episode]


def patient_evaluation_record(*, patient: Patient, on: dt.date) -> EvaluationRecord:
    """The patient's history, medications and episodes, each read once, and what the screen
    makes of them on ``on``. The patient was read with ``patient_get_for_user``."""
    history = _history.all(patient_id=patient.pk)
    medications = _medications.all(patient_id=patient.pk)
    episodes = _episodes.all(patient_id=patient.pk)
    facts = screening_facts_of(patient, history=history, medications=medications, on=on)
    open_episodes = [episode for episode in episodes if episode.status == EpisodeStatus.OPEN]
    return EvaluationRecord(
        facts=facts,
        current=current_facts_of(history),
        unanswered=unanswered_questions_of(facts, open_episodes),
        medications=medications,
        episodes=episodes,
    )


def episode_get_for_user(
    *,
    user: User,
    public_id: uuid.UUID | str,
    permission: str = "patient.view_clinical",
    patient_id: uuid.UUID | str | None = None,
) -> Episode:
    """The episode, as ``patient_get_for_user`` allows; ``patient_id`` (from a URL that names the
    patient too) must be its patient's."""
    episode = _EPISODE.get(public_id)
    if episode is None:
        raise NotFound("No such episode.")
    try:
        patient_access_check(user=user, patient=episode.patient, permission=permission)
    except NotFound:  # another clinic's episode answers exactly like a missing one
        raise NotFound("No such episode.") from None
    require_same_patient(patient=episode.patient, patient_id=patient_id, what="episode")
    record_shown(user=user, patient=episode.patient, obj=episode)
    return episode
