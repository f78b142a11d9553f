"""Each step of the session note: parse its form, call the treatments service, say what happened.

A step returns the bound form and, on success, a message; on a refusal the service's error is
put on the form next to the field it names and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.instruments.services import session_pain_record
from needlerx.patients.models import EpisodeStatus
from needlerx.patients.selectors import patient_screening_facts
from needlerx.treatments import selectors as treatment_selectors
from needlerx.treatments import services
from needlerx.treatments.models import SignatureKind, TreatmentSession
from needlerx.treatments.selectors.session_records import session_needling_entries
from needlerx.web.forms import session as f
from needlerx.web.forms.patients import add_application_error
from needlerx.web.screen_plan import clean_technique, excluded_keys, parse_plan, safety_preview


@dataclass
class StepOutcome:
    form: forms.Form
    message: str = ""
    anchor: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.message)


Handler = Callable[[HttpRequest, User, TreatmentSession], StepOutcome]


def _run(form: forms.Form, anchor: str, action: Callable[[dict[str, Any]], str]) -> StepOutcome:
    if not form.is_valid():
        return StepOutcome(form, anchor=anchor)
    try:
        message = action(form.cleaned_data)
    except ApplicationError as error:
        add_application_error(form, error)
        return StepOutcome(form, anchor=anchor)
    return StepOutcome(form, message, anchor)


def consent(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        services.consent_record(
            actor=user,
            episode=session.episode,
            template_id=data["template"],
            signer_name=data["signer_name"],
            signature_kind=SignatureKind.TYPED,
            signature_data=data["signature_data"],
            witness_name=data["witness_name"],
            risk_notes=data["risk_notes"],
        )
        return "Consent recorded."

    return _run(f.ConsentForm(request.POST), "consent", act)


def _update(user: User, session: TreatmentSession, data: dict[str, Any], message: str) -> str:
    fields = {k: v for k, v in data.items() if k != "version"}
    services.treatment_session_update(
        actor=user, session=session, expected_version=data["version"], **fields
    )
    return message


def asks_pain_with_carried(session: TreatmentSession) -> bool:
    """While carried-forward muscles await confirmation, today's pain is asked with them."""
    return bool((session.carried_forward or {}).get("entries")) and not (
        session.carried_forward_confirmed
    )


def _save_with_pain(
    user: User, session: TreatmentSession, data: dict[str, Any], message: str
) -> str:
    """Pain asked once: a pain value is written with the visit's NPRS measure (same value)."""
    fields = {k: v for k, v in data.items() if k not in ("version", "pain_now")}
    pain = data.get("pain_now")
    if pain is None or pain == session.pain_now:
        if fields:
            _update(user, session, {**fields, "version": data["version"]}, message)
        return message
    session_pain_record(
        actor=user, session=session, pain=pain, expected_version=data["version"], **fields
    )
    return message


def subjective(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    return _run(
        f.SubjectiveForm(request.POST, ask_pain=not asks_pain_with_carried(session)),
        "subjective",
        lambda data: _save_with_pain(user, session, data, "Subjective saved."),
    )


def evaluation(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    return _run(
        f.EvaluationForm(request.POST, note_type=session.note_type),
        "evaluation",
        lambda data: _update(user, session, data, "Evaluation saved."),
    )


def _recheck_needed(session: TreatmentSession, plan: list[dict[str, str]]) -> bool:
    """Run the re-check unless this note already holds one from today for exactly this plan
    with the patient's current facts (a re-check the clinician may have added rationales to)."""
    if session.safety_checked_at is None or session.safety_plan is None:
        return True
    today = timezone.localdate()
    same_plan = sorted(map(_plan_key, session.safety_plan)) == sorted(map(_plan_key, plan))
    facts = patient_screening_facts(patient=session.patient, on=today)
    return not (
        same_plan
        and timezone.localdate(session.safety_checked_at) == today
        and facts == session.safety_facts
    )


def _plan_key(entry: dict[str, Any]) -> tuple[str, str, str]:
    return (entry["muscle"], entry["side"], entry["technique"])


def carried(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    """Today's pain, then the safety re-check with the confirmed muscles, then the muscles
    recorded as needling entries: each through its own service and its own gates."""
    form = f.CarriedForm(request.POST, session=session)

    def act(data: dict[str, Any]) -> str:
        words = []
        version: int | None = data["version"]
        if data["pain_now"] is not None and data["pain_now"] != session.pain_now:
            session_pain_record(
                actor=user, session=session, pain=data["pain_now"], expected_version=version
            )
            version = None
            words.append("Today's pain recorded (also as the visit's pain measure).")
        entries = form.confirmed_entries()
        plan = [
            {"muscle": e["muscle"], "side": e["side"], "technique": e["technique"]} for e in entries
        ]
        current = session  # the services lock and re-read the row; the plan and facts are as read
        if plan and _recheck_needed(current, plan):
            checked = services.treatment_session_safety_check(
                actor=user, session=current, plan=plan, expected_version=version
            )
            version = None
            words.append(f"Safety re-check run: {checked.safety_decision.replace('_', ' ')}.")
        services.carried_forward_confirm(
            actor=user, session=current, entries=entries, expected_version=version
        )
        if entries:
            words.append(f"{len(entries)} muscles carried forward, confirmed and recorded.")
        else:
            words.append("Every carried-forward muscle left out: no needling recorded from them.")
        return " ".join(words)

    def add_error(error: ApplicationError) -> None:
        field = form.field_for(error.field or "")
        form.add_error(field, error.message)

    if not form.is_valid():
        return StepOutcome(form, anchor="carried")
    try:
        message = act(form.cleaned_data)
    except ApplicationError as error:
        add_error(error)
        return StepOutcome(form, anchor="carried")
    return StepOutcome(form, message, "carried")


def response(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        for name in ("rom_before", "rom_after"):
            data[name] = None if data[name] is None else float(data[name])
        return _update(user, session, data, "Response, aftercare and assessment saved.")

    return _run(f.ResponseForm(request.POST), "response", act)


class SafetyForm(f.StepForm):
    technique = forms.CharField(required=False)


def safety(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:

    def act(data: dict[str, Any]) -> str:
        technique = clean_technique(data["technique"])
        preview = safety_preview(user=user, episode=session.episode, technique=technique)
        plan = parse_plan(
            request.POST.getlist("plan"), technique=technique, excluded=excluded_keys(preview)
        )
        checked = services.treatment_session_safety_check(
            actor=user, session=session, plan=plan, expected_version=data["version"]
        )
        return f"Safety re-check run: {checked.safety_decision.replace('_', ' ')}."

    return _run(SafetyForm(request.POST), "safety", act)


def rationale(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    form = f.RationaleForm(request.POST, session=session)

    def act(data: dict[str, Any]) -> str:
        services.treatment_session_precaution_rationale(
            actor=user,
            session=session,
            rationales=form.rationales(),
            expected_version=data["version"],
        )
        return "Rationales saved."

    return _run(form, "safety", act)


def guidance(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        services.technique_guidance_acknowledge(
            actor=user, session=session, expected_version=data["version"]
        )
        return "Technique guidance acknowledged for this episode."

    return _run(f.StepForm(request.POST), "safety", act)


def needling(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    form = f.NeedlingForm(request.POST, session=session)

    def act(data: dict[str, Any]) -> str:
        services.needling_entry_add(
            actor=user,
            session=session,
            expected_version=data["version"],
            **form.service_arguments(),
        )
        return "Needling entry added."

    return _run(form, "needling", act)


def needle_count(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        checked = services.treatment_session_needle_count(
            actor=user,
            session=session,
            needles_used=data["needles_used"],
            needles_removed=data["needles_removed"],
            expected_version=data["version"],
        )
        if checked.needles_used != checked.needles_removed:
            return "Needle count recorded. It does not match: a safety alert was raised."
        return "Needle count recorded: all needles accounted for."

    return _run(f.NeedleCountForm(request.POST), "needle-count", act)


def alert(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        found = treatment_selectors.safety_alert_get_for_user(user=user, public_id=data["alert"])
        services.safety_alert_resolve(
            actor=user, alert=found, resolution=data["resolution"], note=data["note"]
        )
        return "Safety alert resolved."

    return _run(f.AlertForm(request.POST), "needle-count", act)


def adverse_event(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    entries = session_needling_entries(session)

    def act(data: dict[str, Any]) -> str:
        services.adverse_event_record(
            actor=user,
            session=session,
            event_type=data["event_type"],
            severity=data["severity"],
            onset_at=data["onset_at"],
            action_taken=data["action_taken"],
            needling_entry_id=data["needling_entry"] or None,
            duration_minutes=data["duration_minutes"],
            description=data["description"],
            follow_up=data["follow_up"],
        )
        return "Adverse event recorded."

    return _run(f.AdverseEventForm(request.POST, entries=entries), "adverse-events", act)


def sign(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        signed = services.treatment_session_sign(
            actor=user, session=session, expected_version=data["version"]
        )
        said = "Note signed and locked. Corrections from now on are addenda."
        if signed.episode.status == EpisodeStatus.DISCHARGED:
            said += " The episode of care is discharged."
        return said

    return _run(f.StepForm(request.POST), "sign", act)


def addendum(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        services.treatment_session_addendum_add(actor=user, session=session, text=data["text"])
        return "Addendum added."

    return _run(f.AddendumForm(request.POST), "addenda", act)


def consent_withdraw(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        record = treatment_selectors.consent_get_for_user(user=user, public_id=data["consent"])
        if record.episode_id != session.episode_id:
            raise NotFound("No such consent.")
        services.consent_withdraw(actor=user, consent=record, reason=data["reason"])
        return "Consent withdrawn. Needling from now on needs a new signed consent."

    return _run(f.ConsentWithdrawForm(request.POST), "consent", act)


def take_over(request: HttpRequest, user: User, session: TreatmentSession) -> StepOutcome:
    def act(data: dict[str, Any]) -> str:
        services.treatment_session_take_over(
            actor=user, session=session, expected_version=data["version"]
        )
        return "You now write this note. The take-over is recorded in the audit trail."

    return _run(f.StepForm(request.POST), "subjective", act)


STEPS: dict[str, Handler] = {
    "carried": carried,
    "evaluation": evaluation,
    "consent": consent,
    "consent_withdraw": consent_withdraw,
    "subjective": subjective,
    "safety": safety,
    "rationale": rationale,
    "guidance": guidance,
    "needling": needling,
    "needle_count": needle_count,
    "alert": alert,
    "response": response,
    "adverse_event": adverse_event,
    "sign": sign,
    "addendum": addendum,
    "take_over": take_over,
}


STEP_MARKER = "step"


def step_urls(session: TreatmentSession) -> dict[str, str]:
    """The address each step of the note posts to, by step, from one ``reverse``: a ``{% url %}``
    for each of a draft's forms (twice each, for ``action`` and ``hx-post``) cost it about a
    millisecond."""
    marked = reverse(
        "clinic:session_step", args=[session.patient.public_id, session.public_id, STEP_MARKER]
    )
    head = marked.removesuffix(f"{STEP_MARKER}/")
    return {step: f"{head}{step}/" for step in STEPS}
