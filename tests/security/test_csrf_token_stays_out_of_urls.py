"""The CSRF token never travels in a URL, and a step URL opened again lands on the page.

A form submitted with GET puts every field, the token included, in the address (history, logs,
the Referer header). So no form whose submission can be a GET may carry the token: neither a
``method="get"`` form nor a POST form with a ``formmethod="get"`` button. Every template is read,
and every page a clinician, front desk and admin can open is rendered and parsed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import needlerx.web
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.models import TreatmentSession
from tests.security.conftest import Victim
from tests.security.test_isolation import all_routes, call
from tests.web.page_elements import Element, parse_page

TEMPLATES = Path(needlerx.web.__file__).parent / "templates"
TOKEN = "csrfmiddlewaretoken"
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.DOTALL | re.IGNORECASE)
GET_METHOD = re.compile(r"""\b(form)?method\s*=\s*["']?get\b""", re.IGNORECASE)


def _submits_with_get(form: Element) -> bool:
    """A form submitted with GET: its method (GET when absent) or any button's formmethod."""
    if (form.attrs.get("method") or "get").lower() == "get":
        return True
    submitters = form.find_all("button") + form.find_all("input")
    return any((s.attrs.get("formmethod") or "").lower() == "get" for s in submitters)


def _forms_sending_the_token_by_get(html: str) -> list[str]:
    page = parse_page(html)
    return [
        str(form.attrs)
        for form in page.find_all("form")
        if _submits_with_get(form) and form.find_all("input", name=TOKEN)
    ]


def test_no_template_puts_the_csrf_token_in_a_form_that_submits_with_get():
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for form in FORM.finditer(template.read_text()):
            gets = GET_METHOD.search(form.group("attrs")) or GET_METHOD.search(form.group("body"))
            if gets and "csrf_token" in form.group("body"):
                found.append(f"{template.relative_to(TEMPLATES)}: {form.group('attrs').strip()}")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("persona", ["alice", "frank", "ada"])
def test_no_page_puts_the_csrf_token_in_a_form_that_submits_with_get(
    client: Client, victim: Victim, persona: str
):
    found = []
    pages = 0
    for route in all_routes(victim):
        if route.method != "GET" or route.path.startswith("/api/"):
            continue
        client.force_login(getattr(victim.world, persona))
        response = call(client, route)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue  # a refusal, or a document (PDF): no form in it
        pages += 1
        forms = _forms_sending_the_token_by_get(response.content.decode())
        found += [f"{route.label}: {form}" for form in forms]
    assert pages >= 5
    assert found == [], "\n".join(found)


def test_the_screen_page_offers_no_get_submission_with_the_token(client: Client, victim: Victim):
    """The screen page's "Update exclusions" button once re-submitted the whole form by GET."""
    episode = victim.patient.episodes.get()
    client.force_login(victim.world.alice)
    url = reverse("clinic:screen", args=[victim.patient.public_id, episode.public_id])
    assert _forms_sending_the_token_by_get(client.get(url).content.decode()) == []


def test_update_exclusions_shows_the_other_technique_and_saves_nothing(
    client: Client, victim: Victim
):
    episode = victim.patient.episodes.get()
    client.force_login(victim.world.alice)
    url = reverse("clinic:screen", args=[victim.patient.public_id, episode.public_id])
    runs = ScreeningRun.objects.count()
    response = client.post(
        url,
        {"technique": "electrical", "plan": ["upper_trapezius:left"], "update_exclusions": "1"},
    )
    assert response.status_code == 200
    page = parse_page(response.content)
    technique = page.by_id("technique")
    chosen = [o for o in technique.find_all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in chosen] == ["electrical"]
    assert ScreeningRun.objects.count() == runs


def test_opening_a_session_step_url_goes_to_the_note(client: Client, victim: Victim):
    """After a refused form the address bar shows the step's URL; opening it again (or coming
    back to it after signing in again) is a GET, which lands on the note."""
    session = TreatmentSession.objects.get(patient=victim.patient)
    client.force_login(victim.world.alice)
    args = [victim.patient.public_id, session.public_id]
    response = client.get(reverse("clinic:session_step", args=[*args, "subjective"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("clinic:session", args=args)


def test_opening_a_step_url_of_a_note_one_may_not_see_is_still_refused(
    client: Client, victim: Victim
):
    session = TreatmentSession.objects.get(patient=victim.patient)
    args = [victim.patient.public_id, session.public_id]
    subjective = reverse("clinic:session_step", args=[*args, "subjective"])
    for persona, refused in (("bob", 404), ("frank", 403)):
        client.force_login(getattr(victim.world, persona))
        assert client.get(subjective).status_code == refused
    client.force_login(victim.world.alice)
    no_such_step = reverse("clinic:session_step", args=[*args, "no-such-step"])
    assert client.get(no_such_step).status_code == 404
    assert client.put(subjective).status_code == 405


def test_opening_a_plan_action_url_goes_to_the_plan(client: Client, victim: Victim):
    from needlerx.treatments.models import CarePlan

    plan = CarePlan.objects.get(episode__patient=victim.patient)
    action = reverse("clinic:plan_action", args=[victim.patient.public_id, plan.public_id, "goal"])
    client.force_login(victim.world.alice)
    response = client.get(action)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "clinic:plan", args=[victim.patient.public_id, plan.episode.public_id]
    )
    client.force_login(victim.world.bob)
    assert client.get(action).status_code == 404
