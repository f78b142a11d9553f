"""The follow-up after a needling session (24-72 h): record the contact and its outcome, and
record in the register an adverse event the patient reports, linked to the session and muscle."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.http import request_user
from needlerx.accounts.models import User
from needlerx.clinical.treatment_reference import adverse_event_reference
from needlerx.clinical.treatment_rules import follow_up_status
from needlerx.core.errors import ApplicationError
from needlerx.treatments import selectors as treatment_selectors
from needlerx.treatments import services
from needlerx.treatments.models import FollowUpMethod, FollowUpOutcome, TreatmentSession
from needlerx.treatments.selectors.session_records import (
    session_adverse_events,
    session_follow_ups,
    session_needling_entries,
)
from needlerx.web.forms.patients import add_application_error
from needlerx.web.forms.session import DATETIME_INPUT, TEXTAREA, AdverseEventForm
from needlerx.web.pages.session_steps import adverse_event as record_adverse_event


class FollowUpForm(forms.Form):
    contacted_at = forms.DateTimeField(label="Contacted at", widget=DATETIME_INPUT)
    method = forms.ChoiceField(choices=FollowUpMethod.choices, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(choices=FollowUpOutcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(required=False, widget=TEXTAREA, label="What the patient said")


def _session(request: HttpRequest, patient_id: uuid.UUID, session_id: uuid.UUID) -> Any:
    return treatment_selectors.treatment_session_get_for_user(
        user=request_user(request), public_id=session_id, patient_id=patient_id
    )


def _now() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


def _context(session: TreatmentSession, outcome: str = "", **forms_: forms.Form) -> dict[str, Any]:
    entries = session_needling_entries(session)
    window = adverse_event_reference().follow_up
    context: dict[str, Any] = {
        "session": session,
        "patient": session.patient,
        "entries": entries,
        "status": follow_up_status(session.started_at, timezone.now()),
        "window": window,
        "follow_ups": session_follow_ups(session),
        "adverse_events": session_adverse_events(session, entries),
        "follow_up_form": FollowUpForm(initial={"contacted_at": _now(), "outcome": outcome}),
        "adverse_event_form": AdverseEventForm(
            initial={"version": session.version, "onset_at": _now()}, entries=entries
        ),
        "session_url": reverse(
            "clinic:session", args=[session.patient.public_id, session.public_id]
        ),
    }
    context.update(forms_)
    return context


def _record(user: User, session: TreatmentSession, form: FollowUpForm) -> bool:
    data = form.cleaned_data
    try:
        services.follow_up_record(
            actor=user,
            session=session,
            method=data["method"],
            outcome=data["outcome"],
            notes=data["notes"],
            contacted_at=data["contacted_at"],
        )
    except ApplicationError as error:
        add_application_error(form, error)
        return False
    return True


@login_required
def follow_up(request: HttpRequest, patient_id: uuid.UUID, session_id: uuid.UUID) -> HttpResponse:
    """GET the page; POST ``part=follow_up`` records the contact, ``part=adverse_event`` the
    event the patient reports (then the contact can be recorded with that outcome)."""
    user = request_user(request)
    session = _session(request, patient_id, session_id)
    url = reverse("clinic:follow_up", args=[patient_id, session_id])
    if request.method != "POST":
        chosen = request.GET.get("outcome", "")
        chosen = chosen if chosen in FollowUpOutcome.values else ""
        return render(request, "web/follow_up.html", _context(session, chosen))
    if request.POST.get("part") == "adverse_event":
        recorded = record_adverse_event(request, user, session)
        if recorded.ok:
            messages.success(request, f"{recorded.message} Now record the follow-up contact.")
            return redirect(f"{url}?outcome=adverse_event#record")
        context = _context(session, adverse_event_form=recorded.form)
        context["adverse_event_open"] = True
        return render(request, "web/follow_up.html", context, status=400)
    form = FollowUpForm(request.POST)
    if form.is_valid() and _record(user, session, form):
        messages.success(request, "Follow-up recorded.")
        return redirect("home")
    return render(request, "web/follow_up.html", _context(session, follow_up_form=form), status=400)
