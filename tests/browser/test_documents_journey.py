"""A clinician opens a patient's progress report PDF: from the patient's chart to the progress
page, where the "Download progress report (PDF)" link answers a PDF of this patient's report
(Chromium's PDF viewer is not needed: the link's answer is fetched with the tab's session)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_journeys import _accessible
from tests.documents.paper import FAMILY, GIVEN, NPI, paper_world, pdf_text
from tests.personas import PASSWORD, World

pytestmark = pytest.mark.browser


def test_a_clinician_opens_a_patients_progress_report_pdf(visit: Visit, world: World) -> None:
    paper = paper_world(world)
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{paper.patient.public_id}/")
    progress = f"/patients/{paper.patient.public_id}/episodes/{paper.episode.public_id}/progress/"
    visit.page.locator(f'a[href="{progress}"]').click()
    link = visit.page.get_by_role("link", name="Download progress report (PDF)")
    expect(link).to_be_visible()
    _accessible(visit, "progress-with-report-link")
    href = link.get_attribute("href")
    assert href == paper.episode_url("progress-report")
    response = visit.page.request.get(visit.base_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert f"{GIVEN} {FAMILY}" in text and f"NPI {NPI}" in text
    assert "Improved beyond the MCID" in text
