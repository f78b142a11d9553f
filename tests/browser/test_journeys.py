"""Journeys a new clinician takes, in a real browser, with axe-core on every main page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from needlerx.patients.models import Episode, Patient
from needlerx.patients.selectors import patient_screening_facts
from needlerx.screening.models import ScreeningRun
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import Visit
from tests.personas import PASSWORD, World
from tests.treatments.helpers import answer_required_questions

pytestmark = pytest.mark.browser


def _patient(world: World) -> tuple[Patient, Episode]:
    patient = world.patient(mrn="A-0042", given_name="Jane", family_name="Okafor")
    world.patient(mrn="A-0043", given_name="Omar", family_name="Haddad")
    return patient, world.episode(patient, regions=["cervical", "thoracic"])


def _accessible(visit: Visit, name: str) -> None:
    assert serious_violations(visit.page) == [], name
    assert visit.console_errors == [], name
    visit.screenshot(name)


def test_a_clinician_finds_a_patient_records_history_and_runs_a_screen(visit: Visit, world: World):
    patient, _ = _patient(world)
    # answered earlier in the evaluation; the lymphoedema question is typed below
    answer_required_questions(world.alice, patient, unanswered=("lymphoedema_sites",))
    page = visit.page
    visit.go("/login/")
    _accessible(visit, "01-sign-in")
    visit.sign_in("alice", PASSWORD)
    expect(page.get_by_role("heading", name="Clinic home")).to_be_visible()
    _accessible(visit, "02-clinic-home")

    page.get_by_label("Find a patient by name, MRN or date of birth").fill("Okaf")
    page.get_by_role("button", name="Search").first.click()
    expect(page.get_by_role("link", name="Okafor, Jane")).to_be_visible()
    assert page.get_by_role("link", name="Haddad, Omar").count() == 0
    _accessible(visit, "03-patient-list")
    page.get_by_role("link", name="Okafor, Jane").click()
    expect(page.get_by_role("heading", name="Jane Okafor")).to_be_visible()

    page.get_by_role("link", name="Evaluation").click()
    unanswered = page.get_by_role("region", name=re.compile("to answer before needling"))
    expect(unanswered.get_by_role("link", name="Lymphedema")).to_be_visible()
    page.get_by_label("Lymphedema: chest wall, left").check()  # still to answer: shown open
    _accessible(visit, "05-evaluation")
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_text("Evaluation saved: 1 facts recorded.")).to_be_visible()
    assert "Every question the screen needs" in page.content()

    visit.go(f"/patients/{patient.public_id}/")
    _accessible(visit, "04-patient-chart")
    page.get_by_role("link", name="Run screen").click()
    expect(page.get_by_role("heading", name="Dry-needling suitability screen")).to_be_visible()
    visit.body_chart_ready()

    excluded = page.locator("#choose-pectoralis_minor-left")
    assert excluded.is_disabled()
    assert page.locator('a[data-choose="pectoralis_minor:left"]').count() == 0
    page.locator('[data-muscle="pectoralis_minor:left"]').first.click(force=True)
    assert not excluded.is_checked()
    assert "Lymphedema at the site" in page.locator("#why-pectoralis_minor-left").inner_text()

    page.locator('a[data-choose="levator_scapulae:right"]').first.click()
    page.locator('a[data-choose="upper_trapezius:left"]').first.focus()
    page.keyboard.press("Enter")
    assert page.locator("#choose-levator_scapulae-right").is_checked()
    assert page.locator("#choose-upper_trapezius-left").is_checked()
    chosen = page.locator('polygon.chosen[data-region="upper_trapezius:left"]')
    assert chosen.count() >= 1
    _accessible(visit, "06-screen-plan-on-body-chart")

    page.get_by_role("button", name="Run the screen and save").click()
    page.wait_for_url(re.compile(r"/screens/"))
    run = ScreeningRun.objects.get()
    assert {(e["muscle"], e["side"]) for e in run.plan} == {
        ("upper_trapezius", "left"),
        ("levator_scapulae", "right"),
    }
    expect(
        page.get_by_role("heading", name=re.compile("Suitability screen: Proceed"))
    ).to_be_visible()
    expect(page.get_by_role("columnheader", name="Reference depth")).to_be_visible()
    expect(page.get_by_text("a reference, not a safe depth").first).to_be_visible()
    page.get_by_text("Lung within needle reach").click()  # technique guidance opens in place
    expect(page.get_by_text("Source:").first).to_be_visible()
    _accessible(visit, "07-screen-result")


def test_a_clinician_records_a_trigger_point_by_clicking_the_body_chart(visit: Visit, world: World):
    patient, episode = _patient(world)
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/episodes/{episode.public_id}/body-chart/")
    page.locator('a[data-muscle="levator_scapulae:right"]').first.click()
    assert (
        page.get_by_role("combobox", name=re.compile("^Muscle")).input_value() == "levator_scapulae"
    )
    assert page.get_by_label("Right", exact=True).is_checked()
    page.get_by_label("Taut band palpable").check()
    page.get_by_label("Referred pain reproduced").check()
    page.get_by_label("Referred pain pattern").fill("angle of the neck")
    page.get_by_role("button", name="Record trigger point").click()
    expect(page.get_by_text("Trigger point recorded: Levator scapulae (right).")).to_be_visible()
    assert page.locator('polygon.tp-active[data-region="levator_scapulae:right"]').count() >= 1
    _accessible(visit, "08-body-chart")


def test_a_new_patient_form_shows_errors_next_to_the_field(visit: Visit, world: World):
    world.patient(mrn="A-0042")
    page = visit.page
    visit.sign_in("frank", PASSWORD)
    visit.go("/patients/new/")
    page.get_by_label("Medical record number (MRN)").fill("A-0042")
    page.get_by_label("Given name").fill("Ruth")
    page.get_by_label("Family name").fill("Ng")
    page.get_by_label("Date of birth").fill("1970-03-04")
    page.get_by_role("button", name="Register patient").click()
    error = page.locator("#id_medical_record_number_error")
    assert "already used" in error.inner_text()
    _accessible(visit, "09-new-patient-with-error")


def test_a_site_ticked_where_none_was_recorded_is_saved(visit: Visit, world: World):
    """A condition recorded as "None" earlier, found on a later visit: ticking its site unticks
    "None" (they exclude each other), so the save records the site instead of refusing both."""
    patient, _ = _patient(world)
    answer_required_questions(world.alice, patient)  # lymphedema: none, recorded
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/evaluation/")
    none = page.locator("#id_lymphoedema_sites__none")
    assert none.is_checked()
    # recorded, so its table is shown open
    page.get_by_label("Lymphedema: upper limb, left").check()
    assert not none.is_checked()
    none.check()  # and back: "None" unticks the sites
    assert not page.get_by_label("Lymphedema: upper limb, left").is_checked()
    page.get_by_label("Lymphedema: upper limb, left").check()
    _accessible(visit, "05b-evaluation-site-after-none")
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_text("Evaluation saved: 1 facts recorded.")).to_be_visible()
    facts = patient_screening_facts(patient=patient, on=timezone.localdate())
    assert facts["lymphoedema_sites"] == [{"area": "upper_limb", "side": "left"}]
