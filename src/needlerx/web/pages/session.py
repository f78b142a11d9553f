"""The session note pages: start a note, show every step, and post one step at a time."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST

from needlerx.accounts.http import request_user
from needlerx.bodychart.chart import build_chart
from needlerx.bodychart.models import TriggerPoint
from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.core.errors import ApplicationError
from needlerx.patients.selectors import episode_get_for_user
from needlerx.treatments import selectors as treatment_selectors
from needlerx.treatments import services
from needlerx.treatments.depths import planned_reference_depths, session_bmi
from needlerx.treatments.models import EVALUATION_FIELDS, NoteType, TreatmentSession
from needlerx.treatments.recheck import guidance_items
from needlerx.treatments.selectors.session_records import (
    session_active_consents,
    session_addenda,
    session_adverse_events,
    session_billing_suggestion,
    session_needling_entries,
    session_other_drafts,
    session_safety_alerts,
)
from needlerx.treatments.services.gates import guidance_acknowledged
from needlerx.treatments.words import fact_words
from needlerx.web.forms import session as f
from needlerx.web.pages.consent import consent_context, raised_risks
from needlerx.web.pages.session_muscles import chart_context, chooser_open, planned_muscles
from needlerx.web.pages.session_steps import (
    STEPS,
    StepOutcome,
    asks_pain_with_carried,
    step_urls,
)

STEP_FORM_NAMES = {
    "carried": "carried_form",
    "evaluation": "evaluation_form",
    "consent": "consent_form",
    "subjective": "subjective_form",
    "rationale": "rationale_form",
    "needling": "needling_form",
    "needle_count": "needle_count_form",
    "response": "response_form",
    "adverse_event": "adverse_event_form",
    "addendum": "addendum_form",
}


def _session(request: HttpRequest, patient_id: uuid.UUID, session_id: uuid.UUID) -> Any:
    return treatment_selectors.treatment_session_get_for_user(
        user=request_user(request), public_id=session_id, patient_id=patient_id
    )


@login_required
@require_POST
def session_new(request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id, patient_id=patient_id)
    note_type = request.POST.get("note_type") or NoteType.TREATMENT
    try:
        session = services.treatment_session_start(
            actor=user, episode=episode, note_type=note_type, carry_forward=True
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("patients:detail", patient_id=patient_id)
    return redirect("clinic:session", patient_id=patient_id, session_id=session.public_id)


@login_required
def session_detail(
    request: HttpRequest, patient_id: uuid.UUID, session_id: uuid.UUID
) -> HttpResponse:
    session = _session(request, patient_id, session_id)
    if session.is_signed and session.sealed_snapshot is not None:
        return render(request, "web/session_signed.html", signed_context(session))
    if _colleagues_draft(request, session):
        return _colleague_page(request, session)
    context = session_context(request, session)
    return render(request, "web/session.html", context)


def _colleagues_draft(request: HttpRequest, session: TreatmentSession) -> bool:
    return not session.is_signed and session.clinician_id != request_user(request).pk


def _colleague_page(
    request: HttpRequest, session: TreatmentSession, refused: str = "", status: int = 200
) -> HttpResponse:
    """A colleague's draft: read it, or take it over (an audited act); no editable forms."""
    context = {
        "session": session,
        "patient": session.patient,
        "episode": session.episode,
        "entries": session_needling_entries(session),
        "writer": session.clinician.get_full_name() or session.clinician.get_username(),
        "refused": refused,
    }
    return render(request, "web/session_draft_colleague.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_step(
    request: HttpRequest, patient_id: uuid.UUID, session_id: uuid.UUID, step: str
) -> HttpResponse:
    """Post one step; opening a step's URL (a reload after a refused form, or the way back from
    signing in again) goes to the note, once the user may see it."""
    handler = STEPS.get(step)
    if handler is None:
        raise Http404("No such step.")
    session = _session(request, patient_id, session_id)
    if request.method != "POST":
        return redirect("clinic:session", patient_id=patient_id, session_id=session_id)
    if step != "take_over" and _colleagues_draft(request, session):
        refused = "Take this note over before changing it; nothing was saved."
        if _in_place(request, step):
            return _reload_note(request, patient_id, session_id, refused)
        return _colleague_page(request, session, refused=refused, status=403)
    outcome = handler(request, request_user(request), session)
    url = reverse("clinic:session", args=[patient_id, session_id])
    if outcome.ok:
        messages.success(request, outcome.message)
        if _in_place(request, step):
            session.refresh_from_db()
            response = _note_fragment(request, session_context(request, session, saved=step))
            if step == "safety":  # the muscles are chosen: a reload shows the note as it is now
                response["HX-Replace-Url"] = url
            return response
        return redirect(f"{url}#{outcome.anchor}")
    session.refresh_from_db()
    if _in_place(request, step) and (session.is_signed or _colleagues_draft(request, session)):
        refused = " ".join(str(e) for errors in outcome.form.errors.values() for e in errors)
        return _reload_note(request, patient_id, session_id, refused)
    if _colleagues_draft(request, session):
        refused = " ".join(str(e) for errors in outcome.form.errors.values() for e in errors)
        return _colleague_page(request, session, refused=refused, status=400)
    if session.is_signed and session.sealed_snapshot is not None:
        context = {
            **signed_context(session),
            "step_error": {"step": step, "errors": outcome.form.errors},
        }
        if step == "addendum":
            context["addendum_form"] = outcome.form
        return render(request, "web/session_signed.html", context, status=400)
    context = session_context(request, session, failed=(step, outcome))
    if _in_place(request, step):
        return _note_fragment(request, context, status=400)
    return render(request, "web/session.html", context, status=400)


IN_PLACE_STEPS = frozenset(STEPS) - {"sign", "take_over", "addendum"}


def _in_place(request: HttpRequest, step: str) -> bool:
    """An htmx request saves a section of a draft in place: the answer is the note's fragment,
    not a redirect and a full page. Without JavaScript the same form posts and redirects."""
    return request.headers.get("HX-Request") == "true" and step in IN_PLACE_STEPS


def _reload_note(
    request: HttpRequest, patient_id: uuid.UUID, session_id: uuid.UUID, refused: str
) -> HttpResponse:
    """The note is no longer the user's draft (signed, or taken over by a colleague): a save in
    place cannot show that in the section, so the whole note is opened again with the reason."""
    messages.error(request, refused)
    response = HttpResponse(status=200)
    response["HX-Redirect"] = reverse("clinic:session", args=[patient_id, session_id])
    return response


def _note_fragment(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, "web/session_fragment.html", context, status=status)
    response["Vary"] = "HX-Request"
    return response


def signed_context(session: TreatmentSession) -> dict[str, Any]:
    """A signed note renders from its sealed snapshot only: the same for every viewer, for ever.

    Addenda and adverse events reported later are listed under it, each with its date.
    """
    sealed = treatment_selectors.sealed_snapshot_of(session)
    entries = session_needling_entries(session)
    chart = sealed.get("body_chart", {})
    points = {
        (p["muscle"], p["side"]): TriggerPoint(
            muscle=p["muscle"], side=p["side"], status=p["status"]
        )
        for p in chart.get("trigger_points", [])
    }
    return {
        "session": session,
        "patient": session.patient,
        "episode": session.episode,
        "sealed": sealed,
        "note": sealed.get("content", {}),
        "chart": build_chart(
            mode="view",
            trigger_points=points,
            chosen={(m, side) for m, side in chart.get("needled", [])},
            screen_muscles=sealed.get("screen", {}).get("muscles", []),
        ),
        "adverse_events": session_adverse_events(session, entries),
        "addenda": session_addenda(session),
        "billing": session_billing_suggestion(session, entries),
        "addendum_form": f.AddendumForm(),
        "step_error": {},
    }


def _initial(session: TreatmentSession, names: tuple[str, ...]) -> dict[str, Any]:
    return {"version": session.version, **{name: getattr(session, name) for name in names}}


def required_advice(session: TreatmentSession, entries: list[Any]) -> frozenset[str]:
    needled = [(e.muscle, e.technique) for e in entries]
    return frozenset(a.id for a in required_aftercare(needled, session.safety_facts or {}))


def _forms(session: TreatmentSession, entries: list[Any]) -> dict[str, Any]:
    """Each step's form, built when the page first reads it: a draft shows only some of them
    (the consent form until consent is signed, the evaluation on an evaluation note, the
    rationales after a re-check with precautions); building all ten cost a draft a few tenths
    of a millisecond more."""
    version = {"version": session.version}
    builds: dict[str, Callable[[], forms.Form]] = {
        "consent_form": lambda: f.ConsentForm(
            initial={
                **version,
                "signer_name": session.patient.full_name,
                "risk_notes": raised_risks(session),
            }
        ),
        "carried_form": lambda: f.CarriedForm(initial=version, session=session),
        "evaluation_form": lambda: f.EvaluationForm(
            note_type=session.note_type,
            initial=_initial(session, EVALUATION_FIELDS),
        ),
        "subjective_form": lambda: f.SubjectiveForm(
            ask_pain=not asks_pain_with_carried(session),
            initial=_initial(
                session,
                (
                    "pain_now",
                    "change_since_last",
                    "soreness_since_last",
                    "last_session_follow_up",
                    "subjective_notes",
                ),
            ),
        ),
        "rationale_form": lambda: f.RationaleForm(initial=version, session=session),
        "needling_form": lambda: f.NeedlingForm(initial=version, session=session, entries=entries),
        "needle_count_form": lambda: f.NeedleCountForm(initial=_count_initial(session, entries)),
        "response_form": lambda: f.ResponseForm(
            required=required_advice(session, entries),
            initial=_initial(
                session,
                (
                    "pain_after",
                    "rom_motion",
                    "rom_before",
                    "rom_after",
                    "aftercare_given",
                    "assessment",
                    "plan_notes",
                ),
            ),
        ),
        "adverse_event_form": lambda: f.AdverseEventForm(
            initial={**version, "onset_at": timezone.localtime().replace(second=0, microsecond=0)},
            entries=entries,
        ),
        "addendum_form": lambda: f.AddendumForm(),
    }
    return {name: SimpleLazyObject(build) for name, build in builds.items()}


def _carried_from(session: TreatmentSession) -> dt.datetime | None:
    """When the visit the draft's muscles were carried forward from took place."""
    carried = session.carried_forward_confirmed or session.carried_forward or {}
    moment = carried.get("from_started_at")
    return dt.datetime.fromisoformat(moment) if moment else None


def _count_initial(session: TreatmentSession, entries: list[Any]) -> dict[str, Any]:
    """Needles used is the sum of the entries (the service refuses anything else), so it is
    filled in; needles removed is always counted and typed by the clinician."""
    initial = _initial(session, ("needles_used", "needles_removed"))
    if initial["needles_used"] is None and entries:
        initial["needles_used"] = sum(e.needles or 0 for e in entries)
    return initial


def recheck_context(session: TreatmentSession) -> dict[str, Any]:
    """What changed since the last signed re-check, and the technique guidance to acknowledge."""
    changes = session.safety_changes or {}
    titles = changes.get("titles", {})
    acknowledged = guidance_acknowledged(session)
    guidance = [
        {**item, "acknowledged": key in acknowledged}
        for key, item in guidance_items(session.safety_result).items()
    ]
    return {
        "since": changes.get("since_signed_at"),
        **{
            kind: [titles.get(r, r) for r in changes.get(kind, [])]
            for kind in ("new", "changed", "unchanged", "resolved")
        },
        "guidance": guidance,
        "guidance_pending": any(not item["acknowledged"] for item in guidance),
        "missing": [fact_words(m) for m in (session.safety_result or {}).get("missing", [])],
    }


def session_context(
    request: HttpRequest,
    session: TreatmentSession,
    failed: tuple[str, StepOutcome] | None = None,
    saved: str | None = None,
) -> dict[str, Any]:
    """Everything a draft note shows. ``failed``: the step refused (its form, with errors);
    ``saved``: the step just saved in place."""
    user = request_user(request)
    entries = session_needling_entries(session)
    context: dict[str, Any] = _forms(session, entries)
    step_error: dict[str, Any] = {}
    if failed:
        step, outcome = failed
        if step in STEP_FORM_NAMES:
            context[STEP_FORM_NAMES[step]] = outcome.form
        step_error = {"step": step, "errors": outcome.form.errors}
    failed_step = failed[0] if failed else None
    open_chart = chooser_open(request, session, failed_step, saved)
    alerts = session_safety_alerts(session)
    # A discharge note waits for the episode's other drafts: the page links each of them.
    closes_episode = session.note_type == NoteType.DISCHARGE and not session.is_signed
    other_drafts = session_other_drafts(session) if closes_episode else []
    context.update(
        {
            "session": session,
            "patient": session.patient,
            "episode": session.episode,
            "step_urls": step_urls(session),
            "entries": entries,
            "alerts": alerts,
            "adverse_events": session_adverse_events(session, entries),
            "addenda": session_addenda(session),
            "billing": session_billing_suggestion(session, entries),
            "other_drafts": other_drafts,
            "blockers": (
                services.sign_blockers(
                    session, entries=entries, alerts=alerts, other_drafts=other_drafts
                )
                if not session.is_signed
                else []
            ),
            "consents": session_active_consents(session, at=timezone.now()),
            **consent_context(user=user, session=session),
            "chooser_open": open_chart,
            **(
                chart_context(request, session, failed_step)
                if open_chart or session.is_signed
                else planned_muscles(session)
            ),
            "step_error": step_error,
            "show_carried": asks_pain_with_carried(session) and not session.is_signed,
            "carried_from": _carried_from(session),
            "note_types": NoteType,
            "recheck": recheck_context(session),
            "reference_depths": planned_reference_depths(session),
            "depth_bmi": session_bmi(session.safety_facts),
        }
    )
    return context
