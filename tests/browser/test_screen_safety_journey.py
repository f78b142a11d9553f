"""Safety journeys in a real browser: what the screen shows is what the record keeps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from needlerx.patients.services import history_fact_record
from needlerx.screening.models import ScreeningRun
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import Visit
from tests.personas import PASSWORD, World

pytestmark = pytest.mark.browser


def test_a_pacemaker_with_electrical_stimulation_is_saved_as_do_not_needle(
    visit: Visit, world: World
):
    patient = world.patient(mrn="P-0101", given_name="Walter", family_name="Brennan")
    episode = world.episode(patient, regions=["cervical", "thoracic"])
    history_fact_record(
        actor=world.alice, patient=patient, fact="implanted_electrical_device", value=True
    )
    page = visit.page
    visit.go("/login/")
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/episodes/{episode.public_id}/screen/")

    page.get_by_label("Technique").select_option("electrical")
    page.get_by_role("button", name="Update exclusions").click()
    expect(page.get_by_role("heading", name="Do not needle")).to_be_visible()
    assert page.locator("#choose-upper_trapezius-left").is_disabled()
    assert serious_violations(page) == []
    visit.screenshot("17-screen-blocked-electrical")

    page.get_by_role("button", name="Save the screen to document the decision").click()
    page.wait_for_url(re.compile(r"/screens/"))

    run = ScreeningRun.objects.get()
    assert run.decision == "do_not_needle"
    expect(
        page.get_by_role("heading", name=re.compile("Suitability screen: Do not needle"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("No muscle can be needled"))).to_be_visible()
    assert "Proceed" not in page.locator("h1").inner_text()
    assert serious_violations(page) == []
    assert visit.console_errors == []
    visit.screenshot("18-screen-result-blocked")
