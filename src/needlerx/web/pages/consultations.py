"""The public self-check and consultation request, and the front desk's queue of requests.

The self-check stores nothing: its answers are judged by the clinical core and shown back; they
travel to the request form only inside a signed, short-lived hidden field. A request is stored
through ``consultations.services`` (honeypot, rate limit per address, confirmation email). The
queue (new, contacted, booked, declined) is for the clinic's staff; converting a request
registers the patient and books a dry-needling evaluation in one step.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from needlerx.accounts.http import request_user
from needlerx.accounts.permissions import role_has_permission
from needlerx.accounts.selectors import role_in_clinic
from needlerx.audit.middleware import client_address
from needlerx.clinical.self_check import self_check_outcome, self_check_reference
from needlerx.consultations import selectors, services
from needlerx.consultations.answers_token import answers_from_token, answers_token
from needlerx.consultations.models import ConsultationRequest, RequestStatus
from needlerx.core.errors import ApplicationError
from needlerx.scheduling.selectors import clinicians_of
from needlerx.scheduling.times import clinic_zone, date_words, local, time_range_words
from needlerx.web.forms.consultations import (
    DAY_CHOICES,
    TIME_CHOICES,
    ConsultationRequestForm,
    ConvertForm,
    SelfCheckForm,
)
from needlerx.web.forms.patients import add_application_error

TOO_MANY = 429
STATUS_BUTTONS = {
    RequestStatus.NEW: "Back to new",
    RequestStatus.CONTACTED: "Contacted",
    RequestStatus.DECLINED: "Declined",
}


# --- public ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    form = SelfCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        result = self_check_outcome(answers)
        context = {
            "result": result,
            "wording": result.wording,
            "token": answers_token(answers, form.cleaned_data["pain_area"]),
        }
        return render(request, "consultations/self_check_result.html", context)
    fields = [form["pain_area"], *(form[q.id] for q in self_check_reference().questions)]
    return render(request, "consultations/self_check.html", {"form": form, "fields": fields})


@require_http_methods(["GET", "POST"])
def consultation_request(request: HttpRequest) -> HttpResponse:
    clinics = selectors.public_clinics()
    starting = request.method == "POST" and request.POST.get("start") == "self-check"
    shared = answers_from_token(request.POST.get("self_check", ""))
    if starting or request.method == "GET":
        initial = {"self_check": request.POST.get("self_check", ""), "share_answers": True}
        if shared:
            initial["pain_area"] = shared[1]
        form = ConsultationRequestForm(initial=initial, clinics=clinics)
        return _request_page(request, form, shared)
    form = ConsultationRequestForm(request.POST, clinics=clinics)
    if form.is_valid():
        try:
            services.consultation_request_submit(
                details=_details(form, shared),
                address=client_address(request),
                honeypot=form.cleaned_data["website"],
            )
        except services.TooManyRequests as error:
            form.add_error(None, error.message[0].upper() + error.message[1:] + ".")
            return _request_page(request, form, shared, status=TOO_MANY)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            return redirect("consultations:sent")
    return _request_page(request, form, shared)


def _details(form: ConsultationRequestForm, shared: Any) -> services.RequestDetails:
    data = form.cleaned_data
    if data["share_answers"] and data["self_check"] and shared is None:
        _raise_expired()
    return services.RequestDetails(
        clinic=selectors.public_clinic_get(data["clinic"]),
        given_name=data["given_name"],
        family_name=data["family_name"],
        email=data["email"],
        phone=data["phone"],
        pain_area=data["pain_area"],
        consent_to_contact=data["consent_to_contact"],
        preferred_days=data["preferred_days"],
        preferred_times=data["preferred_times"],
        message=data["message"],
        self_check_answers=shared[0] if shared and data["share_answers"] else None,
    )


def _raise_expired() -> None:
    raise ApplicationError(
        "your self-check answers have expired: untick this to send without them, or take the "
        "self-check again",
        field="share_answers",
    )


def _request_page(
    request: HttpRequest,
    form: ConsultationRequestForm,
    shared: tuple[dict[str, bool], str] | None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "shared": _answer_rows(shared[0]) if shared else []}
    return render(request, "consultations/request.html", context, status=status)


def _answer_rows(answers: dict[str, bool]) -> list[dict[str, str]]:
    rows = []
    for question in self_check_reference().questions:
        if question.id in answers:
            rows.append(
                {"question": question.text, "answer": "Yes" if answers[question.id] else "No"}
            )
    return rows


@require_GET
def consultation_request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "consultations/sent.html")


# --- the front desk's queue --------------------------------------------------------------------


@login_required
@require_GET
def consultation_queue(request: HttpRequest) -> HttpResponse:
    queue = selectors.consultation_queue_for_user(
        user=request_user(request),
        status=request.GET.get("status", ""),
        page=_page_number(request),
    )
    tabs = [{"status": "", "label": "All", "count": sum(queue.counts.values())}] + [
        {"status": value, "label": label, "count": queue.counts[value]}
        for value, label in RequestStatus.choices
    ]
    context = {
        "queue": queue,
        "tabs": tabs,
        "rows": [_row(r) for r in queue.page.object_list],
        "total": queue.page.paginator.count,
    }
    return render(request, "consultations/queue.html", context)


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    return int(text) if text.isdigit() else 1


def _received(item: ConsultationRequest) -> str:
    when = local(item.created_at, item.clinic)
    return f"{when:%b} {when.day}, {when:%-I:%M %p}"


def _row(item: ConsultationRequest) -> dict[str, Any]:
    return {
        "url": reverse("consultations:detail", args=[item.public_id]),
        "name": item.full_name,
        "received": _received(item),
        "clinic": item.clinic.name,
        "pain_area": item.get_pain_area_display(),
        "preferred": _preferred(item),
        "status": item.status,
        "status_label": item.get_status_display(),
    }


def _preferred(item: ConsultationRequest) -> str:
    days = dict(DAY_CHOICES)
    times = {key: label.split(" (")[0].lower() for key, label in TIME_CHOICES}
    day_words = ", ".join(days[d] for d in item.preferred_days) or "Any day"
    time_words = ", ".join(times[t] for t in item.preferred_times) or "any time"
    return f"{day_words}; {time_words}"


@login_required
@require_GET
def consultation_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    item = selectors.consultation_request_get_for_user(user=user, public_id=request_id)
    return render(request, "consultations/detail.html", _detail_context(user, item))


def _detail_context(user: Any, item: ConsultationRequest) -> dict[str, Any]:
    role = role_in_clinic(user=user, clinic=item.clinic)
    clinical = role_has_permission(role, "patient.view_clinical")
    answers = item.self_check_answers
    outcome = ""
    if clinical and answers is not None and item.self_check_outcome:
        outcome = self_check_reference().outcomes[item.self_check_outcome].title  # type: ignore[index]
    return {
        "item": item,
        "row": _row(item),
        "clinical": clinical,
        "answers_shared": answers is not None,
        "answers": _answer_rows(answers) if clinical and answers is not None else [],
        "outcome": outcome,
        "buttons": [
            {"status": s, "label": label} for s, label in STATUS_BUTTONS.items() if s != item.status
        ],
        "appointment": _appointment_words(item),
    }


def _appointment_words(item: ConsultationRequest) -> dict[str, str] | None:
    appointment = item.appointment
    if appointment is None:
        return None
    day = local(appointment.starts_at, item.clinic).date()
    when = time_range_words(appointment.starts_at, appointment.ends_at, item.clinic)
    return {
        "words": f"{appointment.type_label}, {date_words(day)}, {when}",
        "url": reverse("appointments:detail", args=[appointment.public_id]),
    }


@login_required
@require_POST
def consultation_status(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    item = selectors.consultation_request_get_for_user(user=user, public_id=request_id)
    try:
        services.consultation_request_status_set(
            actor=user, request=item, status=request.POST.get("status", "")
        )
    except ApplicationError as error:
        messages.error(request, f"Status {error.message}.")
    else:
        messages.success(request, f"Marked {RequestStatus(request.POST['status']).label.lower()}.")
    return redirect("consultations:detail", request_id=request_id)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_book(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    item = selectors.consultation_request_get_for_user(user=user, public_id=request_id)
    if item.appointment_id is not None:
        return redirect("consultations:detail", request_id=request_id)
    clinicians = clinicians_of(item.clinic)
    form = ConvertForm(request.POST or None, clinicians=clinicians)
    if request.method == "POST" and form.is_valid():
        try:
            patient, appointment = services.consultation_request_convert(
                actor=user, request=item, conversion=_conversion(form, clinicians, item)
            )
        except ApplicationError as error:
            add_application_error(form, _on_form(error))
        else:
            when = time_range_words(appointment.starts_at, appointment.ends_at, item.clinic)
            day = local(appointment.starts_at, item.clinic).date()
            messages.success(
                request,
                f"Registered {patient.full_name} and booked a dry-needling evaluation, "
                f"{date_words(day)}, {when}.",
            )
            return redirect("consultations:detail", request_id=request_id)
    context = {"item": item, "row": _row(item), "form": form}
    return render(request, "consultations/book.html", context)


def _conversion(form: ConvertForm, clinicians: list[Any], item: ConsultationRequest) -> Any:
    data = form.cleaned_data
    clinician = next(c for c in clinicians if str(c.public_id) == data["clinician"])
    return services.Conversion(
        medical_record_number=data["medical_record_number"],
        date_of_birth=data["date_of_birth"],
        sex=data["sex"],
        clinician=clinician,
        starts_at=form.starts_at(clinic_zone(item.clinic)),
    )


def _on_form(error: ApplicationError) -> ApplicationError:
    if error.field == "starts_at":
        return ApplicationError(error.message, field="time", code=error.code)
    return error
