"""Patient pages: thin views over the patient selectors and services."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from needlerx.accounts.http import request_user
from needlerx.accounts.local import clinic_today
from needlerx.accounts.selectors import clinic_ids_with_permission, clinics_for_user
from needlerx.core import local, units
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.patients import selectors, services
from needlerx.patients.models import Patient
from needlerx.treatments.selectors.chart import (
    patient_chart_for_user,
    patient_episode_counts_for_user,
    patient_episodes_for_user,
)
from needlerx.treatments.selectors.header import recorded_red_flags
from needlerx.web.forms.patients import (
    EpisodeForm,
    HistoryFactsForm,
    MedicationForm,
    PatientDetailsForm,
    PatientForm,
    add_application_error,
)
from needlerx.web.pages.links import links_to
from needlerx.web.timeline import patient_timeline

PAGE_SIZE = 25


@login_required
def patient_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")
    page = selectors.patient_page_for_user(
        user=request_user(request), search=search, page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    today, link = timezone.localdate(), links_to("patients:detail")
    rows = [(patient, patient.age_on(today), link(patient.public_id)) for patient in page]
    return render(request, "patients/list.html", {"page": page, "rows": rows, "search": search})


@login_required
def patient_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    allowed = clinic_ids_with_permission(user=user, permission="patient.register")
    clinics = [clinic for clinic in clinics_for_user(user=user) if clinic.pk in allowed]
    form = PatientForm(request.POST or None, clinics=clinics)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "clinic"}
        clinic = form.cleaned_data["clinic"]
        try:
            patient = services.patient_register(
                actor=user,
                clinic=clinic,
                medical_record_number=fields.pop("medical_record_number"),
                **fields,
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, f"{patient.full_name} registered.")
            return redirect("patients:detail", patient_id=patient.public_id)
    return render(request, "patients/new.html", {"form": form})


@login_required
def patient_edit(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Correct a patient's demographics; only what changed is saved (and named in the audit)."""
    user = request_user(request)
    patient = selectors.patient_get_for_user(
        user=user, public_id=patient_id, permission="patient.edit_demographics"
    )
    form = PatientDetailsForm.for_patient(patient, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(actor=user, patient=patient, **form.cleaned_data)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, f"{patient.full_name}'s details saved.")
            return redirect("patients:detail", patient_id=patient.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "patients/edit.html", {"patient": patient, "form": form}, status=status)


def _clinical_patient(request: HttpRequest, patient_id: uuid.UUID) -> Patient:
    return selectors.patient_get_for_user(
        user=request_user(request), public_id=patient_id, permission="patient.view_clinical"
    )


@login_required
def patient_detail(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    patient = selectors.patient_get_for_user(user=user, public_id=patient_id)
    today = clinic_today(patient.clinic)
    context: dict[str, Any] = {"patient": patient, "age": patient.age_on(today), "clinical": False}
    try:
        chart = patient_chart_for_user(user=user, patient=patient)
    except PermissionDenied:
        context["episode_counts"] = patient_episode_counts_for_user(user=user, patient=patient)
        return render(request, "patients/detail.html", context)
    episodes = patient_episodes_for_user(user=user, patient=patient)
    context["clinical"] = True
    context["episodes"] = [(e, e.acuity_on(today)) for e in episodes]
    context["timeline"] = patient_timeline(patient=patient, chart=chart, episodes=episodes)
    context["latest_screen"] = chart.latest_screen
    context["medications"] = [m for m in chart.medications if m.is_active_on(today)]
    facts = selectors.screening_facts_of(
        patient, history=chart.history_facts, medications=chart.medications, on=today
    )
    context["red_flags"] = recorded_red_flags(facts)
    context["patient_facts"] = facts  # the header's alerts read them too
    return render(request, "patients/detail.html", context)


@login_required
def evaluation(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    patient = _clinical_patient(request, patient_id)
    form, record = _history_form(patient, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_facts()
        try:
            services.history_facts_record(actor=user, patient=patient, facts=changed)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, f"Evaluation saved: {len(changed)} facts recorded.")
            return redirect("patients:evaluation", patient_id=patient.public_id)
    context = _evaluation_context(patient, form, MedicationForm(), record=record)
    return render(request, "patients/evaluation.html", context)


def _history_form(
    patient: Patient, data: Any = None
) -> tuple[HistoryFactsForm, selectors.EvaluationRecord]:
    """The evaluation form with the questions still to answer marked, and the record it read."""
    record = selectors.patient_evaluation_record(patient=patient, on=timezone.localdate())
    form = HistoryFactsForm(data, current=record.current, required=record.unanswered)
    return form, record


def _fact_shown(fact_id: str, value: Any) -> Any:
    """Height and weight as the clinic reads them ("5 ft 8 in (172.7 cm)"); others as they are."""
    conventions = local.current()
    if fact_id not in ("height_cm", "weight_kg") or not conventions.us_customary:
        return value
    number = Decimal(str(value))
    if fact_id == "height_cm":
        return f"{units.height_words(number, us_customary=True)} ({units.plain(number)} cm)"
    return f"{units.weight_words(number, us_customary=True)} ({units.plain(number)} kg)"


def _evaluation_context(
    patient: Patient,
    form: HistoryFactsForm,
    medication_form: MedicationForm,
    *,
    record: selectors.EvaluationRecord,
) -> dict[str, object]:
    from needlerx.clinical.reference import fact_catalogue

    catalogue = fact_catalogue()
    facts = record.facts
    screening_facts = [
        (catalogue[k].label if k in catalogue else k, _fact_shown(k, v)) for k, v in facts.items()
    ]
    return {
        "patient": patient,
        "form": form,
        "medication_form": medication_form,
        "medications": record.medications,
        "screening_facts": screening_facts,
        "derived": {k for k in facts if k not in form.current},
        "today": timezone.localdate(),
        "episodes": record.episodes,
        "patient_facts": facts,  # the header's alerts read them too
    }


@login_required
@require_POST
def medication_add(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    patient = _clinical_patient(request, patient_id)
    medication_form = MedicationForm(request.POST)
    if medication_form.is_valid():
        try:
            services.medication_add(actor=user, patient=patient, **medication_form.service_fields())
        except ApplicationError as error:
            add_application_error(medication_form, error)
        else:
            messages.success(request, "Medication added.")
            return redirect("patients:evaluation", patient_id=patient.public_id)
    form, record = _history_form(patient)
    context = _evaluation_context(patient, form, medication_form, record=record)
    return render(request, "patients/evaluation.html", context, status=400)


@login_required
def episode_new(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    patient = _clinical_patient(request, patient_id)
    form = EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.episode_open(
                actor=user,
                patient=patient,
                regions=data["regions"],
                onset_date=data["onset_date"],
                diagnosis_codes=form.codes(),
                referral_source=data["referral_source"],
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, "Episode of care opened.")
            return redirect("patients:detail", patient_id=patient.public_id)
    return render(request, "patients/episode_new.html", {"patient": patient, "form": form})
