"""A new clinician documents a needling session chosen on the body chart, signs it and sees
the patient's progress."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, Route, expect

from needlerx.treatments.models import NeedlingEntry, TreatmentSession
from tests.browser.conftest import Visit
from tests.browser.test_journeys import _accessible
from tests.personas import PASSWORD, World
from tests.treatments.helpers import answer_required_questions
from tests.web.measures import record_course

pytestmark = pytest.mark.browser


def test_a_clinician_documents_signs_and_reviews_progress(visit: Visit, world: World):
    patient = world.patient(mrn="A-0042", given_name="Jane", family_name="Okafor")
    episode = world.episode(patient, regions=["cervical", "thoracic"])
    answer_required_questions(
        world.alice, patient, lymphoedema_sites=[{"area": "chest_wall", "side": "left"}]
    )
    record_course(world.alice, episode)
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/")
    page.get_by_role("button", name="New session note").click()
    expect(page.get_by_role("heading", name=re.compile("Session note"))).to_be_visible()

    page.get_by_label("Typed signature").fill("Jane Okafor")
    page.get_by_role("button", name="Record signed consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()

    page.get_by_label("Pain now (NPRS 0 to 10)").fill("6")
    page.get_by_role("button", name="Save subjective").click()
    expect(page.get_by_text("Subjective saved.")).to_be_visible()

    assert page.locator("#choose-pectoralis_minor-left").is_disabled()
    assert page.locator('a[data-choose="pectoralis_minor:left"]').count() == 0
    visit.body_chart_ready()
    page.locator('a[data-choose="levator_scapulae:right"]').first.click()
    page.locator('a[data-choose="upper_trapezius:left"]').first.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Run the safety re-check").click()
    expect(page.get_by_text(re.compile("Safety re-check run"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Reference depths"))).to_be_visible()
    # The chart closes once the muscles are checked; it opens again to change them.
    safety = page.get_by_role("region", name=re.compile("Pre-needling safety re-check"))
    expect(page.locator("#choose-levator_scapulae-right")).to_have_count(0)
    expect(safety).to_contain_text(
        re.compile(r"Muscles checked today: .*Levator scapulae \(right\)")
    )
    expect(safety).to_contain_text(re.compile(r"Muscles checked today: .*Upper trapezius \(left\)"))
    safety.get_by_role("link", name="Change today's muscles").click()
    expect(page.locator("#choose-levator_scapulae-right")).to_be_checked()
    expect(page.locator("#choose-upper_trapezius-left")).to_be_checked()
    _accessible(visit, "10-session-note-changing-muscles")
    page.get_by_role("link", name="Keep the muscles already checked").click()
    expect(page.locator("#choose-levator_scapulae-right")).to_have_count(0)
    for box in page.get_by_label(re.compile(r"^Rationale: ")).all():
        box.fill("Pincer grip over the upper trapezius, needle aimed away from the lung.")
    if page.get_by_role("button", name="Save rationales").count():
        page.get_by_role("button", name="Save rationales").click()
        expect(page.get_by_text("Rationales saved.")).to_be_visible()
    guidance = page.get_by_role("button", name=re.compile("I have read this guidance"))
    if guidance.count():
        guidance.click()
        expect(page.get_by_text(re.compile("Technique guidance acknowledged"))).to_be_visible()

    table = page.get_by_role("table", name="Needling entries")
    for value, words in (
        ("upper_trapezius:left:static", "Upper trapezius"),
        ("levator_scapulae:right:static", "Levator scapulae"),
    ):
        page.get_by_label("Muscle (from the body chart plan)").select_option(value)
        page.get_by_label("Maximum depth (mm)").fill("15")
        page.get_by_label("Insertions").fill("3")
        page.get_by_label("Needles for this entry").fill("3")
        page.get_by_role("button", name="Add entry").click()
        expect(table).to_contain_text(words)
    assert NeedlingEntry.objects.count() == 2

    page.get_by_label("Needles used").fill("6")
    page.get_by_label("Needles removed and disposed of").fill("6")
    page.get_by_role("button", name="Record needle count").click()
    expect(page.get_by_text(re.compile("Needle count recorded"))).to_be_visible()

    expect(page.get_by_text(re.compile(r"Pain before needling: 6 \(today's pain"))).to_be_visible()
    page.get_by_label("Pain after needling (0 to 10)").fill("3")
    for box in page.locator('input[name="aftercare_given"]').all():
        box.check()
    page.get_by_label("Assessment", exact=True).fill("Good immediate response; tolerated well.")
    page.get_by_role("button", name="Save response and assessment").click()
    expect(page.get_by_text("Response, aftercare and assessment saved.")).to_be_visible()
    _accessible(visit, "10-session-note")

    page.get_by_role("button", name="Sign and lock the note").click()
    expect(page.get_by_text("Note signed and locked.")).to_be_visible()
    assert TreatmentSession.objects.get().is_signed
    assert page.get_by_role("button", name="Save subjective").count() == 0

    page.get_by_role("link", name="Progress").first.click()
    expect(page.get_by_role("heading", name="Episode outcome summary")).to_be_visible()
    assert page.locator('svg[role="img"] .chart-band').count() >= 1
    _accessible(visit, "11-progress")


def _leaving_the_evaluation_asks_first(page: Page) -> None:
    """Following a link away asks first (the browser's "leave the page?"); staying keeps it."""
    dialogs: list[str] = []

    def answer(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="Patients").first.click()
    assert dialogs == ["beforeunload"]
    assert "/evaluation/" in page.url


def test_leaving_a_form_with_unsaved_changes_asks_first(visit: Visit, world: World):
    patient = world.patient()
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/evaluation/")
    page.get_by_role("group", name="Diabetes", exact=True).get_by_label("Yes").check()
    _leaving_the_evaluation_asks_first(page)


def test_an_answer_given_before_the_guard_has_loaded_still_asks_first(visit: Visit, world: World):
    """On a slow connection the form is there before its scripts: an answer given then is an
    unsaved change like any other (the guard compares with the form as the page was sent)."""
    patient = world.patient()
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    held: list[Route] = []
    page.route("**/unsaved*.js", lambda route: held.append(route))  # held until released
    page.goto(visit.base_url + f"/patients/{patient.public_id}/evaluation/", wait_until="commit")
    page.get_by_role("group", name="Diabetes", exact=True).get_by_label("Yes").check()
    assert held, "the guard's script was requested"
    held[0].continue_()
    page.wait_for_load_state("load")
    _leaving_the_evaluation_asks_first(page)
