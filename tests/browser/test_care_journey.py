"""A clinician records baseline measures, builds a plan of care with a home programme and
prints the patient's handout; then records a follow-up due after needling."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from needlerx.instruments.models import InstrumentResponse
from needlerx.treatments.models import FollowUp, HomeExercise
from tests.browser.conftest import Visit
from tests.browser.test_journeys import _accessible
from tests.personas import PASSWORD, World
from tests.treatments.helpers import checked_session, consent, move_start, needle

pytestmark = pytest.mark.browser


def _answer(page: Any, item: str, value: str) -> None:
    page.get_by_role("group", name=item).get_by_role("radio", name=value, exact=True).check()


def test_baseline_measures_plan_of_care_and_the_printable_handout(visit: Visit, world: World):
    patient = world.patient(mrn="A-0042", given_name="Jane", family_name="Okafor")
    world.episode(patient, regions=["cervical"])
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/evaluation/")
    page.get_by_role("link", name="NPRS").click()
    _answer(page, "1. Pain intensity", "6")
    page.get_by_role("button", name="Save and score").click()
    expect(page.get_by_text("NPRS saved: 6 points.")).to_be_visible()

    page.get_by_role("link", name="NDI").click()
    _answer(page, "1. Pain intensity", "3")
    page.get_by_role("button", name="Save and score").click()
    assert page.locator("#id_item_2_error").count() == 0
    expect(page.get_by_text(re.compile("needs at least 9 of 10"))).to_be_visible()
    assert visit.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    visit.console_errors.clear()  # the refused form is answered 400 on purpose
    for section in range(2, 11):
        group = page.get_by_role("group", name=re.compile(rf"^{section}\. "))
        group.get_by_role("radio", name="2", exact=True).check()
    _accessible(visit, "12-measure-entry-ndi")
    page.get_by_role("button", name="Save and score").click()
    expect(page.get_by_text(re.compile(r"NDI saved: 42 % \(Moderate\)"))).to_be_visible()
    assert InstrumentResponse.objects.count() == 2
    _accessible(visit, "13-measures")

    visit.go(f"/patients/{patient.public_id}/")
    page.get_by_role("link", name="Plan of care").click()
    page.get_by_label("Visits per week").fill("2")
    page.get_by_label("Duration (weeks)").fill("6")
    page.get_by_label("Dry needling").check()
    page.get_by_label("Therapeutic exercise").check()
    review = timezone.localdate() + dt.timedelta(weeks=3)
    page.get_by_label("Re-evaluation date").fill(review.isoformat())
    page.get_by_label(re.compile(r"^Goal")).fill("Sit at the computer for an hour without pain")
    page.get_by_label("Measured by").select_option("ndi")
    page.get_by_label("Target value").fill("20")
    page.get_by_role("button", name="Save plan of care").click()
    expect(page.get_by_text("Plan of care saved.")).to_be_visible()

    for exercise in ("chin_tuck_sitting", "shoulder_blade_squeeze"):
        page.get_by_label("Exercise from the library").select_option(exercise)
        page.get_by_label("Sets").fill("2")
        page.get_by_role("button", name="Add exercise").click()
        expect(page.get_by_text("Exercise added to the home program.")).to_be_visible()
    assert HomeExercise.objects.count() == 2
    _accessible(visit, "14-plan-of-care")

    page.get_by_role("link", name="Printable handout").click()
    expect(page.get_by_role("heading", name="Your home exercises")).to_be_visible()
    assert page.locator(".handout-exercise").count() == 2
    _accessible(visit, "15-home-exercise-handout")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator(".handout-exercise").first).to_be_visible()


def test_a_follow_up_due_is_recorded_from_the_clinic_home(visit: Visit, world: World):
    patient = world.patient(mrn="A-0042", given_name="Jane", family_name="Okafor")
    episode = world.episode(patient)
    consent(world.alice, episode, signer_name="Jane Okafor", signature_data="Jane Okafor")
    session = checked_session(world.alice, episode)
    needle(world.alice, session)
    started = timezone.now() - dt.timedelta(hours=30)
    move_start(session, started)
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    page.get_by_role("link", name="Record follow-up for Jane Okafor").click()
    expect(page.get_by_role("heading", name=re.compile("Follow-up after needling"))).to_be_visible()
    page.get_by_label("Phone").check()
    page.get_by_label("No adverse event reported").check()
    page.get_by_label("What the patient said").fill("Mild soreness for a day, now settled.")
    _accessible(visit, "16-follow-up")
    page.get_by_role("button", name="Record follow-up").click()
    expect(page.get_by_text("Follow-up recorded.")).to_be_visible()
    assert FollowUp.objects.get().outcome == "well"
    expect(page.get_by_text("No follow-ups due.")).to_be_visible()
