"""The record a clinic sees, in a real browser: the patient header's safety alerts, and every
step label of the session note legible (WCAG AA contrast), checked by axe and by the colours the
browser actually paints."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from needlerx.patients import services as patients
from needlerx.treatments import services as treatments
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import Visit
from tests.personas import PASSWORD, World
from tests.treatments.helpers import answer_required_questions, consent

pytestmark = pytest.mark.browser

AA_NORMAL_TEXT = 4.5

# The contrast of each step label against the nearest painted background, as WCAG 2 defines it
# (relative luminance of sRGB colours), computed from the browser's own computed styles.
STEP_CONTRAST_JS = """
() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const channel = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || (colour.length === 4 && colour[3] > 0)) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll('.steps li a')].map((link) => {
    const [a, b] = [luminance(rgb(getComputedStyle(link).color)), luminance(background(link))];
    return {label: link.textContent.trim(),
            current: link.parentElement.classList.contains('current'),
            ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
  });
}
"""


def _contrast_problems(page: Any) -> list[str]:
    steps = page.evaluate(STEP_CONTRAST_JS)
    assert steps, "no step labels found"
    assert any(step["current"] for step in steps), "no current step in the bar"
    return [
        f"{step['label']}: {step['ratio']:.2f}:1"
        for step in steps
        if step["ratio"] < AA_NORMAL_TEXT
    ]


def _axe_contrast_in_step_bar(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        context=".steps",
        options={"runOnly": ["color-contrast"], "resultTypes": ["violations", "incomplete"]},
    )
    return [
        f"{kind}: {node['target']}"
        for kind in ("violations", "incomplete")
        for rule in results.response[kind]
        for node in rule["nodes"]
    ]


def _anticoagulated_patient(world: World) -> Any:
    patient = world.patient(mrn="A-0077", given_name="Harold", family_name="Brennan", sex="male")
    episode = world.episode(patient, regions=["cervical"])
    answer_required_questions(world.alice, patient, vitamin_k_antagonist=False)
    patients.medication_add(
        actor=world.alice,
        patient=patient,
        name="Apixaban 5 mg",
        drug_class="anticoagulant",
        started_on=timezone.localdate() - dt.timedelta(days=90),
    )
    return patient, episode


def test_the_chart_shows_a_clinician_the_anticoagulant_at_a_glance(visit: Visit, world: World):
    patient, _ = _anticoagulated_patient(world)
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/")
    alerts = page.get_by_role("list", name="Safety alerts")
    expect(alerts).to_be_visible()
    expect(alerts.get_by_text("Anticoagulant")).to_be_visible()
    assert serious_violations(page) == []
    assert visit.console_errors == []
    visit.screenshot("patient-header-alerts")


def test_the_front_desk_sees_the_chart_without_clinical_alerts(visit: Visit, world: World):
    patient, _ = _anticoagulated_patient(world)
    page = visit.page
    visit.sign_in("frank", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/")
    expect(page.get_by_role("heading", name="Harold Brennan")).to_be_visible()
    assert page.get_by_role("list", name="Safety alerts").count() == 0
    assert page.get_by_text("Anticoagulant").count() == 0


def test_every_step_label_of_a_draft_note_is_legible(visit: Visit, world: World):
    patient, episode = _anticoagulated_patient(world)
    consent(world.alice, episode)
    session = treatments.treatment_session_start(actor=world.alice, episode=episode)
    page = visit.page
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/sessions/{session.public_id}/")
    current = page.locator(".steps li.current a")
    assert current.inner_text() == "Sign"
    assert _contrast_problems(page) == []
    assert _axe_contrast_in_step_bar(page) == []
