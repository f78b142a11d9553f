"""A draft note shows the body chart to choose today's muscles only while it is the next thing to
do: before the first re-check, when the clinician asks to change the muscles, and after a refused
re-check. Once muscles are checked the note names them, offers to run the re-check again with them,
and links to the chart, so the needling form is not below three figures and a list of every
muscle (the clinician's walk-through scrolled past it three times per note)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from django.test import Client
from django.urls import reverse

from needlerx.patients.services import history_fact_record
from needlerx.treatments.services import treatment_session_safety_check
from tests.web.page_elements import Element, parse_page
from tests.web.test_session_pages import Note, _consent

CHOSEN = ["levator_scapulae:right", "upper_trapezius:left"]


def _chooser_boxes(page: Element) -> list[Element]:
    return page.find_all("input", type="checkbox", name="plan")


def _attr(element: Element, name: str) -> str:
    return element.attrs.get(name) or ""


def _run_again(client: Client, page: Element) -> Any:
    """Press "Run the re-check again with these muscles": post its form as the browser does."""
    (form,) = [
        f for f in page.by_id("safety").find_all("form") if _attr(f, "action").endswith("/safety/")
    ]
    hidden = form.find_all("input", type="hidden")
    data: dict[str, str | list[str]] = {
        _attr(e, "name"): _attr(e, "value") for e in hidden if _attr(e, "name") != "plan"
    }
    data["plan"] = [_attr(e, "value") for e in hidden if _attr(e, "name") == "plan"]
    return client.post(_attr(form, "action"), data)


def _checked(note: Note) -> None:
    _consent(note)
    note.step("safety", {"technique": "static", "plan": CHOSEN})
    assert note.session.safety_checked_at is not None


def test_the_chart_is_shown_until_the_first_re_check_then_the_checked_muscles_are_named(
    client, world
):
    note = Note(client, world)
    before = parse_page(client.get(note.url).content)
    assert len(_chooser_boxes(before)) > 40  # every catalogue muscle, both sides
    assert before.find_all("svg", role="group")

    _checked(note)
    after = parse_page(client.get(note.url).content)
    safety = after.by_id("safety")
    assert _chooser_boxes(after) == []
    assert safety.find_all("svg") == []
    assert "Levator scapulae (right)" in safety.text
    assert "Upper trapezius (left)" in safety.text
    assert "Technique: static" in safety.text
    hidden = [_attr(e, "value") for e in safety.find_all("input", type="hidden", name="plan")]
    assert sorted(hidden) == sorted(f"{chosen}:static" for chosen in CHOSEN)
    (change,) = safety.find_all("a", href=f"{note.url}?muscles=change#choose-muscles")
    assert change.text == "Change today's muscles"


def test_the_link_to_change_the_muscles_works_on_a_note_shown_after_a_refused_step(client, world):
    """Without JavaScript a refused step answers the note at the step's own address; the link
    must still open the note with the chart, not the step."""
    note = Note(client, world)
    _checked(note)
    refused = note.step("needle_count", {"needles_used": "x"}, status=400)
    (change,) = [
        a
        for a in parse_page(refused.content).by_id("safety").find_all("a")
        if a.text == "Change today's muscles"
    ]
    step_url = reverse(
        "clinic:session_step", args=[note.patient.public_id, note.session.public_id, "needle_count"]
    )
    opened = client.get(urljoin(f"http://testserver{step_url}", _attr(change, "href")))
    assert opened.status_code == 200
    assert _chooser_boxes(parse_page(opened.content))


def test_running_the_re_check_again_from_the_named_muscles_checks_the_same_plan(client, world):
    note = Note(client, world)
    _checked(note)
    first = note.session.safety_checked_at
    page = parse_page(client.get(note.url).content)
    response = _run_again(client, page)
    assert response.status_code == 302
    note.session.refresh_from_db()
    assert first is not None and note.session.safety_checked_at is not None
    assert note.session.safety_checked_at > first
    plan = note.session.safety_plan or []
    assert sorted(f"{e['muscle']}:{e['side']}" for e in plan) == sorted(CHOSEN)


def test_asking_to_change_the_muscles_opens_the_chart_with_the_checked_ones_ticked(client, world):
    note = Note(client, world)
    _checked(note)
    page = parse_page(client.get(note.url + "?muscles=change").content)
    ticked = [_attr(box, "value") for box in _chooser_boxes(page) if "checked" in box.attrs]
    assert sorted(ticked) == sorted(CHOSEN)
    chooser = page.by_id("choose-muscles")
    (keep,) = [a for a in chooser.find_all("a") if a.text == "Keep the muscles already checked"]
    assert keep.attrs["href"] == note.url + "#safety"


def test_a_muscle_excluded_since_the_check_is_refused_and_the_chart_opens_to_choose_again(
    client, world
):
    note = Note(client, world)
    _consent(note)
    note.step("safety", {"technique": "static", "plan": ["pectoralis_minor:left"]})
    history_fact_record(
        actor=world.alice,
        patient=note.patient,
        fact="lymphoedema_sites",
        value=[{"area": "chest_wall", "side": "left"}],
    )
    checked_at = note.session.safety_checked_at
    response = note.step(
        "safety", {"technique": "static", "plan": ["pectoralis_minor:left"]}, status=400
    )
    page = parse_page(response.content)
    assert "cannot be chosen" in page.by_id("safety").text
    assert "disabled" in page.by_id("choose-pectoralis_minor-left").attrs
    note.session.refresh_from_db()
    assert note.session.safety_checked_at == checked_at


def test_a_re_check_saved_in_place_closes_the_chart_and_drops_the_change_from_the_address(
    client, world
):
    note = Note(client, world)
    _checked(note)
    url = reverse(
        "clinic:session_step", args=[note.patient.public_id, note.session.public_id, "safety"]
    )
    changing = f"http://testserver{note.url}?muscles=change"
    headers = {"HX-Request": "true", "HX-Current-URL": changing}
    data = {"version": note.session.version, "technique": "static", "plan": CHOSEN[:1]}
    response = client.post(url, data, headers=headers)
    assert response.status_code == 200
    assert response["HX-Replace-Url"] == note.url
    assert _chooser_boxes(parse_page(response.content)) == []


def test_a_section_saved_in_place_keeps_the_chart_open_when_the_note_was_opened_to_change(
    client, world
):
    """Ticks not yet run through the re-check survive saving another section (session.js puts
    them back), which needs the chart still on the page."""
    note = Note(client, world)
    _checked(note)
    url = reverse(
        "clinic:session_step", args=[note.patient.public_id, note.session.public_id, "subjective"]
    )
    changing = f"http://testserver{note.url}?muscles=change"
    data = {"version": note.session.version, "pain_now": 4, "subjective_notes": "Better."}
    response = client.post(url, data, headers={"HX-Request": "true", "HX-Current-URL": changing})
    assert response.status_code == 200
    assert _chooser_boxes(parse_page(response.content))


def test_muscles_checked_with_different_techniques_are_each_run_again_with_their_own(client, world):
    """Muscles carried forward from the last visit may each have their own technique: the note
    says each, and running the re-check again keeps each (not the first muscle's for all)."""
    note = Note(client, world)
    _consent(note)
    mixed = [
        {"muscle": "levator_scapulae", "side": "right", "technique": "static"},
        {"muscle": "upper_trapezius", "side": "left", "technique": "pistoning"},
    ]
    treatment_session_safety_check(actor=world.alice, session=note.session, plan=mixed)
    page = parse_page(client.get(note.url).content)
    said = page.by_id("safety").text
    assert "Levator scapulae (right, static (needle left in place))" in said
    assert "Upper trapezius (left, pistoning (fast in, fast out))" in said
    assert "Technique:" not in said

    assert _run_again(client, page).status_code == 302
    note.session.refresh_from_db()
    again = sorted((e["muscle"], e["side"], e["technique"]) for e in note.session.safety_plan or [])
    assert again == sorted((e["muscle"], e["side"], e["technique"]) for e in mixed)


def test_a_technique_sent_with_a_muscle_must_be_one_the_product_knows(client, world):
    note = Note(client, world)
    _consent(note)
    response = note.step(
        "safety", {"technique": "static", "plan": ["levator_scapulae:right:laser"]}, status=400
    )
    said = parse_page(response.content).by_id("safety").text
    assert "must be one of static, pistoning, electrical, superficial (got 'laser')" in said
    note.session.refresh_from_db()
    assert note.session.safety_checked_at is None
