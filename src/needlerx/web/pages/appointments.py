"""The appointment book: the day and week views, booking, and one appointment (reschedule, mark
arrived / completed / cancelled / no-show, start the session note). Times are the clinic's."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from needlerx.accounts.http import request_user
from needlerx.accounts.models import Clinic, Role, User
from needlerx.accounts.selectors import role_in_clinic
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.patients.models import Patient
from needlerx.patients.selectors import patient_get_for_user, patient_page_for_user
from needlerx.scheduling import selectors, services
from needlerx.scheduling.models import Appointment, AppointmentStatus
from needlerx.scheduling.times import clinic_zone, date_words, local, time_range_words
from needlerx.web.forms.appointments import DATE_FORMATS, BookForm, WhenForm
from needlerx.web.forms.patients import add_application_error
from needlerx.web.pages.links import links_to

PATIENT_CHOICES = 10
# The buttons that move an appointment on, in the order they are offered.
STATUS_BUTTONS = {
    AppointmentStatus.ARRIVED: "Arrived",
    AppointmentStatus.COMPLETED: "Completed",
    AppointmentStatus.NO_SHOW: "No-show",
    AppointmentStatus.CANCELLED: "Cancel",
    AppointmentStatus.BOOKED: "Back to booked",
}


def _day_param(request: HttpRequest) -> dt.date | None:
    text = request.GET.get("date", "").strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def _who(user: User) -> str:
    return user.get_full_name() or user.get_username()


@login_required
def appointment_day(request: HttpRequest) -> HttpResponse:
    book = selectors.appointment_book_for_user(
        user=request_user(request),
        first_day=_day_param(request),
        clinician_id=request.GET.get("clinician") or None,
    )
    day = book.first_day
    context = _book_context(request, book)
    context.update(
        {
            "heading": date_words(day),
            "rows": _rows(book.clinic, book.appointments, book.role),
            "previous_url": _view_url("appointments:day", day - dt.timedelta(days=1), request),
            "next_url": _view_url("appointments:day", day + dt.timedelta(days=1), request),
        }
    )
    return render(request, "scheduling/day.html", context)


@login_required
def appointment_week(request: HttpRequest) -> HttpResponse:
    book = selectors.appointment_book_for_user(
        user=request_user(request),
        first_day=_day_param(request),
        days=7,
        from_monday=True,
        clinician_id=request.GET.get("clinician") or None,
    )
    monday = book.first_day
    context = _book_context(request, book)
    link = links_to("appointments:detail")
    context.update(
        {
            "heading": f"Week of {date_words(monday)}",
            "days": [
                {
                    "label": f"{day:%a} {day.month}/{day.day}",
                    "url": _view_url("appointments:day", day, request),
                    "rows": [_week_row(book.clinic, a, link(a.public_id)) for a in appointments],
                }
                for day, appointments in book.by_day().items()
            ],
            "show_clinician": context["chosen"] == "all" and len(context["clinicians"]) > 1,
            "previous_url": _view_url("appointments:week", monday - dt.timedelta(days=7), request),
            "next_url": _view_url("appointments:week", monday + dt.timedelta(days=7), request),
        }
    )
    return render(request, "scheduling/week.html", context)


def _chosen(book: selectors.AppointmentBook) -> str:
    return str(book.clinician.public_id) if book.clinician else "all"


def _view_url(name: str, day: dt.date, request: HttpRequest) -> str:
    clinician = request.GET.get("clinician", "")
    suffix = f"&clinician={clinician}" if clinician else ""
    return f"{reverse(name)}?date={day.isoformat()}{suffix}"


def _book_context(request: HttpRequest, book: selectors.AppointmentBook) -> dict[str, Any]:
    return {
        "clinic": book.clinic,
        "date_value": book.first_day.isoformat(),
        "clinicians": [{"id": str(c.public_id), "name": _who(c)} for c in book.clinicians],
        "chosen": _chosen(book),
        "this_url": request.get_full_path(),
        "book_url": reverse("appointments:new") + f"?date={book.first_day.isoformat()}",
    }


def _rows(
    clinic: Clinic, appointments: list[selectors.ShownAppointment], role: str
) -> list[dict[str, Any]]:
    link = links_to("appointments:detail")
    return [
        _row(clinic, appointment, role, link(appointment.public_id)) for appointment in appointments
    ]


def _week_row(clinic: Clinic, appointment: selectors.ShownAppointment, url: str) -> dict[str, Any]:
    """What the week shows of an appointment (no actions: those are on the day)."""
    return {
        "time": time_range_words(appointment.starts_at, appointment.ends_at, clinic),
        "patient": appointment.patient.full_name,
        "clinician": appointment.clinician.name,
        "status": appointment.status,
        "status_label": appointment.status_label,
        "url": url,
    }


def _row(
    clinic: Clinic, appointment: selectors.ShownAppointment, role: str, url: str
) -> dict[str, Any]:
    """What the day and the home show of an appointment: the week's, its type, and its actions."""
    return {
        **_week_row(clinic, appointment, url),
        "type": appointment.type_label,
        "buttons": _buttons(appointment),
        "id": appointment.public_id,
        # A clinician starts (or reopens) the note from the book; the service decides the rest.
        "note_label": (
            ("Open note" if appointment.session_id else "Start note")
            if role == Role.CLINICIAN and appointment.is_live
            else ""
        ),
    }


def _buttons(appointment: selectors.ShownAppointment) -> list[dict[str, str]]:
    allowed = services.TRANSITIONS[appointment.status]
    return [
        {"status": status, "label": label}
        for status, label in STATUS_BUTTONS.items()
        if status in allowed
    ]


@login_required
@require_http_methods(["GET", "POST"])
def appointment_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    clinic = selectors.booking_clinic_for_user(user=user, permission=selectors.BOOK)
    clinicians = selectors.clinicians_of(clinic)
    search = request.GET.get("q", "").strip()
    patients = _patient_choices(request, user, search)
    initial = {
        "date": _day_param(request),
        "appointment_type": "follow_up",
        "patient": str(patients[0].public_id) if len(patients) == 1 else None,
    }
    form = BookForm(request.POST or None, initial=initial, clinicians=clinicians, patients=patients)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(
                actor=user,
                clinic=clinic,
                patient=patients[0],
                clinician=_clinician(clinicians, form.cleaned_data["clinician"]),
                appointment_type=form.cleaned_data["appointment_type"],
                starts_at=form.starts_at(clinic_zone(clinic)),
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            add_application_error(form, _on_form(error))
        else:
            when = time_range_words(appointment.starts_at, appointment.ends_at, clinic)
            day = local(appointment.starts_at, clinic).date()
            messages.success(
                request,
                f"Booked {appointment.patient.full_name} with {_who(appointment.clinician)}, "
                f"{date_words(day)}, {when}.",
            )
            return redirect(_view_url("appointments:day", day, request))
    context = {"form": form, "search": search, "patients": patients, "clinic": clinic}
    return render(request, "scheduling/new.html", context)


def _patient_choices(request: HttpRequest, user: User, search: str) -> list[Patient]:
    """The patient posted, or the one named in the address, or the matches of the search."""
    chosen = request.POST.get("patient") or request.GET.get("patient")
    if chosen:
        try:
            return [patient_get_for_user(user=user, public_id=chosen)]
        except NotFound:
            return []
    if not search:
        return []
    page = patient_page_for_user(
        user=user, search=search, per_page=PATIENT_CHOICES, permission=selectors.BOOK
    )
    return list(page)


def _clinician(clinicians: list[User], public_id: str) -> User:
    return next(c for c in clinicians if str(c.public_id) == public_id)


def _on_form(error: ApplicationError) -> ApplicationError:
    """The start time is typed as a date and a time: show its errors on the time."""
    if error.field == "starts_at":
        return ApplicationError(error.message, field="time", code=error.code)
    return error


@login_required
@require_http_methods(["GET", "POST"])
def appointment_detail(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    appointment = selectors.appointment_get_for_user(user=user, public_id=appointment_id)
    clinicians = selectors.clinicians_of(appointment.clinic)
    action = request.POST.get("action", "")
    form = WhenForm(
        request.POST if action == "reschedule" else None,
        initial=_when_initial(appointment),
        clinicians=clinicians,
    )
    if action == "reschedule" and form.is_valid():
        try:
            services.appointment_reschedule(
                actor=user,
                appointment=appointment,
                starts_at=form.starts_at(clinic_zone(appointment.clinic)),
                clinician=_clinician(clinicians, form.cleaned_data["clinician"]),
                appointment_type=form.cleaned_data["appointment_type"],
            )
        except ApplicationError as error:
            add_application_error(form, _on_form(error))
        else:
            messages.success(request, "Appointment moved.")
            return redirect("appointments:detail", appointment_id=appointment_id)
    elif action in ("status", "start_note"):
        return _act(request, user, appointment, action)
    return render(request, "scheduling/detail.html", _detail_context(user, appointment, form))


def _when_initial(appointment: Appointment) -> dict[str, Any]:
    start = local(appointment.starts_at, appointment.clinic)
    return {
        "clinician": str(appointment.clinician.public_id),
        "appointment_type": appointment.appointment_type,
        "date": start.date(),
        "time": start.time(),
    }


def _act(request: HttpRequest, user: User, appointment: Appointment, action: str) -> HttpResponse:
    back = _next_url(request, appointment)
    try:
        if action == "start_note":
            session = services.appointment_note_start(actor=user, appointment=appointment)
            return redirect(
                "clinic:session",
                patient_id=appointment.patient.public_id,
                session_id=session.public_id,
            )
        status = request.POST.get("status", "")
        services.appointment_status_set(actor=user, appointment=appointment, status=status)
        label = AppointmentStatus(status).label.lower()
        messages.success(request, f"{appointment.patient.full_name}: {label}.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(back)


def _next_url(request: HttpRequest, appointment: Appointment) -> str:
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("appointments:detail", args=[appointment.public_id])


def _detail_context(user: User, appointment: Appointment, form: WhenForm) -> dict[str, Any]:
    clinic = appointment.clinic
    role = role_in_clinic(user=user, clinic=clinic)
    start = local(appointment.starts_at, clinic)
    session = appointment.session
    return {
        "appointment": appointment,
        # Its note button is at the top.
        "row": _rows(clinic, [selectors.shown_appointment_of(appointment)], "")[0],
        "when": f"{date_words(start.date())}, "
        f"{time_range_words(appointment.starts_at, appointment.ends_at, clinic)} ({start:%Z})",
        "form": form,
        "can_move": appointment.status == AppointmentStatus.BOOKED,
        "can_start_note": role == Role.CLINICIAN and appointment.is_live and session is None,
        "clinical": role in (Role.CLINICIAN, Role.CLINIC_ADMIN),
        "session_url": reverse(
            "clinic:session", args=[appointment.patient.public_id, session.public_id]
        )
        if session is not None and role != Role.FRONT_DESK
        else "",
        "day_url": f"{reverse('appointments:day')}?date={start.date().isoformat()}",
    }


def todays_appointments(request: HttpRequest) -> list[dict[str, Any]]:
    """The clinic home's list: today's appointments (a clinician's own), each with its status."""
    today = selectors.appointments_today_for_user(user=request_user(request))
    if today.clinic is None:
        return []
    rows = _rows(today.clinic, today.appointments, "")
    if len({a.clinician_id for a in today.appointments}) < 2:  # one clinician's day: no need to say
        for row in rows:
            row["clinician"] = ""
    return rows
