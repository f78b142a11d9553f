"""Which muscles a draft note shows in its safety re-check: the body chart to choose them while
that is the next thing to do, else the muscles the last re-check was run with (to run it again,
or to open the chart and change them)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest
from django.urls import reverse

from needlerx.accounts.http import request_user
from needlerx.accounts.local import clinic_today
from needlerx.bodychart.chart import build_chart
from needlerx.bodychart.selectors import trigger_points_current
from needlerx.patients.selectors import patient_screening_facts
from needlerx.screening.selectors import screening_preview
from needlerx.treatments.models import TreatmentSession
from needlerx.web.pages.session_steps import asks_pain_with_carried
from needlerx.web.screen_plan import technique_choices

# ``?muscles=change`` on a draft note opens the body chart to choose the muscles again.
CHANGE_MUSCLES = ("muscles", "change")


def _asked_to_change_muscles(request: HttpRequest) -> bool:
    """The note was opened to change today's muscles (``?muscles=change``), or is being saved in
    place from a note opened that way (htmx names the page's address)."""
    name, value = CHANGE_MUSCLES
    if request.GET.get(name) == value:
        return True
    shown_at = request.headers.get("HX-Current-URL", "")
    return parse_qs(urlsplit(shown_at).query).get(name) == [value]


def chooser_open(
    request: HttpRequest, session: TreatmentSession, failed: str | None, saved: str | None
) -> bool:
    """Whether a draft shows the body chart to choose today's muscles. It does until a re-check
    has run (unless muscles carried forward from the last visit wait for confirmation above
    it), when the clinician asks to change them, and after a refused re-check (with what was
    ticked). Otherwise the note names the muscles checked and links to the chart, so the
    needling form is not below three figures and a list of every muscle."""
    if session.is_signed:
        return False
    if failed == "safety":
        return True
    if saved == "safety":
        return False
    if _asked_to_change_muscles(request):
        return True
    return session.safety_checked_at is None and not asks_pain_with_carried(session)


def chart_context(
    request: HttpRequest, session: TreatmentSession, failed: str | None
) -> dict[str, Any]:
    """The body chart (to choose from on a draft), its exclusions from a screen of every muscle
    today, and the patient's facts that screen read (the header's alerts read them too)."""
    user = request_user(request)
    technique = (session.safety_plan or [{}])[0].get("technique", "static")
    preview = screening_preview(user=user, episode=session.episode, technique=technique)
    chosen = {(e["muscle"], e["side"]) for e in session.safety_plan or []}
    if failed == "safety":
        chosen = {tuple(v.split(":", 1)) for v in request.POST.getlist("plan")}  # type: ignore[misc]
    return {
        "chart": build_chart(
            mode="view" if session.is_signed else "choose",
            trigger_points=trigger_points_current(episode=session.episode),
            chosen=chosen,
            screen_muscles=preview.result["muscles"],
        ),
        "technique": technique,
        "techniques": technique_choices(),
        "patient_facts": preview.facts,
    }


def planned_muscles(session: TreatmentSession) -> dict[str, Any]:
    """With the chart closed: the muscles the last re-check was run with (to run it again), and
    the patient's facts today for the header's alerts."""
    plan = session.safety_plan or []
    techniques = {entry["technique"] for entry in plan}
    return {
        "planned": plan,
        # One technique for every muscle is said once; muscles carried forward from the last
        # visit may each have their own, said beside each (and sent back with each).
        "one_technique": techniques.pop() if len(techniques) == 1 else None,
        # From the note's own address: a refused step without JavaScript shows the note at the
        # step's address, where a link of only a query would open the step (a redirect).
        "change_muscles_url": "{}?{}={}#choose-muscles".format(
            reverse("clinic:session", args=[session.patient.public_id, session.public_id]),
            *CHANGE_MUSCLES,
        ),
        "patient_facts": patient_screening_facts(
            patient=session.patient, on=clinic_today(session.patient.clinic)
        ),
    }
